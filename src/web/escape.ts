const SPECIAL = /[&<>'"]/;

/**
 * The web layer's one escaper, for text and attribute values in HTML and XML alike: the characters
 * hono/jsx escapes, escaped the same way (tested), so string templates and JSX share a page.
 */
export function escapeText(s: string): string {
  let i = s.search(SPECIAL);
  if (i < 0) return s;
  let out = '';
  let last = 0;
  for (; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    const e =
      ch === 38
        ? '&amp;'
        : ch === 60
          ? '&lt;'
          : ch === 62
            ? '&gt;'
            : ch === 34
              ? '&quot;'
              : ch === 39
                ? '&#39;'
                : null;
    if (e === null) continue;
    out += s.slice(last, i) + e;
    last = i + 1;
  }
  return out + s.slice(last);
}
