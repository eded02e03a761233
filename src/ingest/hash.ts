import { hash } from 'node:crypto';

/**
 * Identity of a text version: header and body, separated so that moving a line between them counts.
 * SHA-256 of `header NUL body` as UTF-8, in one call (`crypto.hash`: one UTF-8 encoding, no Hash object).
 */
export function textHash(header: string, body: string): string {
  return hash('sha256', `${header}\u0000${body}`);
}
