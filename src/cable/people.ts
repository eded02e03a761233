import type { Cable } from './types.js';

/** TO and INFO addressees both count as recipients (search's `to:`). */
export function recipientNames(p: Partial<Pick<Cable, 'recipients' | 'infoRecipients'>>): string[] {
  return [...(p.recipients ?? []), ...(p.infoRecipients ?? [])].map((r) => r.name);
}
