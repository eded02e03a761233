import { escapeToBuffer } from 'hono/utils/html';

/** The web layer's one escaper, the one JSX uses: text and attribute values, in HTML and XML alike. */
export function escapeText(s: string): string {
  const out = [''];
  escapeToBuffer(s, out);
  return out[0]!;
}
