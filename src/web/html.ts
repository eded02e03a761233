/**
 * HTML built as strings for the pages rendered on every uncached request (cable pages, listings,
 * the page around them). A tagged template escapes every interpolated value unless it is `Html`
 * made by this module, so text stays text exactly as with the JSX templates, at a fraction of
 * their cost: one concatenation pass instead of a tree of nodes walked per request. The output is
 * byte-for-byte what hono/jsx renders for the same markup (same escaped characters, `<br/>`-style
 * empty elements), so both kinds of template can share a page.
 */

/** Markup that is already safe: written by a template of this module, or escaped. */
export class Html {
  /** Read by hono/jsx: an `Html` inside a JSX tree is spliced in as it is. */
  readonly isEscaped = true;
  constructor(readonly html: string) {}
  toString(): string {
    return this.html;
  }
}

export type HtmlValue = Html | string | number | null | undefined | false | readonly HtmlValue[];

const ESCAPE = /[&<>'"]/;

/** The characters hono/jsx escapes, escaped the same way, in text and attribute values alike. */
export function escapeHtml(s: string): string {
  let i = s.search(ESCAPE);
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

function append(out: string, v: HtmlValue): string {
  if (typeof v === 'string') return out + escapeHtml(v);
  if (v instanceof Html) return out + v.html;
  if (typeof v === 'number') return out + v;
  if (v === null || v === undefined || v === false) return out;
  for (const x of v) out = append(out, x);
  return out;
}

/**
 * `html\`<a href="${url}">${text}</a>\``: the literal parts as written, each value escaped (a
 * string), spliced (an `Html`), written out (a number), dropped (null, undefined, false), or each
 * of its items so treated (an array).
 */
export function html(parts: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = parts[0]!;
  for (let i = 0; i < values.length; i++) out = append(out, values[i]!) + parts[i + 1]!;
  return new Html(out);
}

/** Trusted markup as it is: for constants and markup rendered once by a template. */
export function trusted(markup: string): Html {
  return new Html(markup);
}
