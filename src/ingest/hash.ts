import { createHash } from 'node:crypto';

/** Identity of a text version: header and body, separated so that moving a line between them counts. */
export function textHash(header: string, body: string): string {
  return createHash('sha256').update(header).update('\u0000').update(body).digest('hex');
}
