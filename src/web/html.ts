/**
 * The string template of the two pages rendered on every uncached request (cable page, listings):
 * it writes what hono/jsx writes for the same markup, without building a tree to walk (BENCHMARKS.md).
 */
import { escapeText } from './escape.js';

/** Markup that is already safe: written by `html`, or escaped. */
export class Html {
  /** Read by hono/jsx: an `Html` inside a JSX tree is spliced in as it is. */
  readonly isEscaped = true;
  constructor(readonly html: string) {}
  toString(): string {
    return this.html;
  }
}

export type HtmlValue = Html | string | number | null | undefined | false | readonly HtmlValue[];

function append(out: string, v: HtmlValue): string {
  if (typeof v === 'string') return out + escapeText(v);
  if (v instanceof Html) return out + v.html;
  if (typeof v === 'number') return out + v;
  if (v === null || v === undefined || v === false) return out;
  for (const x of v) out = append(out, x);
  return out;
}

/** Each value escaped (string), spliced (`Html`), written (number), dropped (null, false), or each item so (array). */
export function html(parts: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = parts[0]!;
  for (let i = 0; i < values.length; i++) out = append(out, values[i]!) + parts[i + 1]!;
  return new Html(out);
}

/** Trusted markup as it is: constants, and markup a template already rendered. */
export function trusted(markup: string): Html {
  return new Html(markup);
}
