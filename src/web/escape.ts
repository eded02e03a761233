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
    let e: string;
    switch (s.charCodeAt(i)) {
      case 34:
        e = '&quot;';
        break;
      case 38:
        e = '&amp;';
        break;
      case 39:
        e = '&#39;';
        break;
      case 60:
        e = '&lt;';
        break;
      case 62:
        e = '&gt;';
        break;
      default:
        continue;
    }
    out += s.slice(last, i) + e;
    last = i + 1;
  }
  return out + s.slice(last);
}
