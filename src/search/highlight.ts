/**
 * Highlighting of query terms in a cable's text, for a cable page reached from a search result
 * (`?hl=<the query>`). Matches the way the index does: case- and accent-insensitive tokens,
 * `prefix*`, phrases as consecutive tokens, numbers with or without leading zeros.
 */
import { ftsTokens, parseQuery, type QueryNode } from './query.js';
import type { Snippet } from './types.js';

/** A token character, and a token from a position (the tokeniser's classes, as `spansOf` uses them). */
const TOKEN_CHAR = /^[\p{L}\p{N}\p{M}\p{Co}]$/u;
const TOKEN = /[\p{L}\p{N}\p{M}\p{Co}]+/uy;

interface Term {
  tokens: string[];
  prefix: boolean;
}

function fold(tok: string): string {
  // Most tokens are ASCII: they skip the Unicode normalisation.
  const t = /^[\x00-\x7f]*$/.test(tok)
    ? tok.toLowerCase()
    : tok.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  return /^\d+$/.test(t) ? t.replace(/^0+(?=\d)/, '') : t;
}

/** The positive text terms of a query (negated terms and field filters are not highlighted). */
export function highlightTermsOf(query: string): Term[] {
  const out: Term[] = [];
  const walk = (n: QueryNode, neg: boolean) => {
    if ((n.kind === 'word' || n.kind === 'phrase') && !neg) {
      const tokens = ftsTokens(n.text).map(fold);
      if (tokens.length) out.push({ tokens, prefix: n.kind === 'word' && n.prefix });
    } else if (n.kind === 'not') walk(n.child, !neg);
    else if (n.kind === 'and' || n.kind === 'or') for (const c of n.children) walk(c, neg);
  };
  const { ast } = parseQuery(query);
  if (ast) walk(ast, false);
  return out.slice(0, 32);
}

/** Sorted, non-overlapping `[start, end)` UTF-16 spans of `text` that match the query's terms. */
export function highlightSpans(text: string, query: string): [number, number][] {
  return spansOf(text, highlightTermsOf(query), 0, text.length);
}

/** Spans of matches starting in `[from, to)` (a phrase may run on past `to`). */
function spansOf(text: string, terms: Term[], from: number, to: number): [number, number][] {
  if (terms.length === 0) return [];
  const longest = Math.max(...terms.map((t) => t.tokens.length));
  const toks: { s: number; e: number; t: string }[] = [];
  const re = /[\p{L}\p{N}\p{M}\p{Co}]+/gu;
  // Start on a token boundary, not inside a word.
  while (from > 0 && TOKEN_CHAR.test(text[from - 1]!)) from--;
  re.lastIndex = from;
  let past = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m.index >= to && ++past >= longest) break;
    toks.push({ s: m.index, e: m.index + m[0].length, t: fold(m[0]) });
  }
  const spans: [number, number][] = [];
  for (let i = 0; i < toks.length && toks[i]!.s < to; i++) {
    let best = 0;
    for (const term of terms) {
      const n = term.tokens.length;
      if (i + n > toks.length || n <= best) continue;
      let ok = true;
      for (let j = 0; j < n && ok; j++) {
        const want = term.tokens[j]!;
        const have = toks[i + j]!.t;
        ok = term.prefix && j === n - 1 ? have.startsWith(want) : have === want;
      }
      if (ok) best = n;
    }
    if (best > 0) {
      const start = toks[i]!.s;
      const end = toks[i + best - 1]!.e;
      const last = spans[spans.length - 1];
      if (last && start <= last[1]) last[1] = Math.max(last[1], end);
      else spans.push([start, end]);
      i += best - 1;
    }
  }
  return spans;
}

/** Only the start of a long text is searched for a passage to show. */
const SNIPPET_SCAN = 12_000;

/** The terms of a query, prepared once for the excerpts of a page of results. */
export interface SnippetQuery {
  terms: Term[];
  /**
   * Finds, in ASCII text, every place a term may start (a superset: each is then checked by
   * `spansOf`); null when a term is not plain ASCII. Scanning for it is ~50× faster than
   * tokenising the whole text to find the first match.
   */
  finder: RegExp | null;
  /** Every token of the terms (a term's last one a prefix when the term is), and the most tokens a term has. */
  wanted: { tok: string; prefix: boolean }[];
  longest: number;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function snippetQuery(query: string): SnippetQuery {
  const terms = highlightTermsOf(query);
  const alts = new Set<string>();
  let ascii = terms.length > 0;
  for (const t of terms) {
    // A token folds to the term's when it equals it ignoring case, or (numbers) after leading
    // zeros; a phrase's tokens are separated by anything that is not a token character.
    const parts = t.tokens.map((tok, i) => {
      if (!/^[a-z0-9]+$/.test(tok)) ascii = false;
      const body = /^\d+$/.test(tok) ? `0*${escapeRe(tok)}` : escapeRe(tok);
      return t.prefix && i === t.tokens.length - 1 ? body : `${body}(?![A-Za-z0-9])`;
    });
    alts.add(parts.join('[^A-Za-z0-9]+'));
  }
  const finder = ascii ? new RegExp(`(?<![A-Za-z0-9])(?:${[...alts].join('|')})`, 'gi') : null;
  const wanted = terms.flatMap((t) =>
    t.tokens.map((tok, i) => ({ tok, prefix: t.prefix && i === t.tokens.length - 1 })),
  );
  return { terms, finder, wanted, longest: Math.max(0, ...terms.map((t) => t.tokens.length)) };
}

/** The first match of the terms in `head`, or undefined. */
function firstSpan(head: string, q: SnippetQuery): [number, number] | undefined {
  if (!q.finder) {
    // Non-ASCII terms: tokenise in steps (most first matches are near the start).
    for (let at = 0; at < head.length; at += 4000) {
      const s = spansOf(head, q.terms, at, Math.min(head.length, at + 4000))[0];
      if (s) return s;
    }
    return undefined;
  }
  // A match made of ASCII tokens only is found by the finder, whose boundaries are the
  // tokeniser's in ASCII; any other match holds a token with a non-ASCII letter ("São" for
  // "sao"), which are rare: each that folds to a term's token is checked where a match holding it
  // can start. The earlier of the two is the first match.
  const re = q.finder;
  re.lastIndex = 0;
  let found: [number, number] | undefined;
  for (let m = re.exec(head); m !== null; m = re.exec(head)) {
    found = spansOf(head, q.terms, m.index, m.index + 1)[0];
    if (found) break;
    re.lastIndex = m.index + 1;
  }
  const limit = found ? found[0] : head.length;
  const { wanted, longest } = q;
  const nonAscii = /[^\x00-\x7f]/gu;
  for (let m = nonAscii.exec(head); m !== null && m.index < limit; m = nonAscii.exec(head)) {
    if (!TOKEN_CHAR.test(m[0])) continue;
    const s = tokensBack(head, m.index, 0);
    TOKEN.lastIndex = s;
    const e = s + TOKEN.exec(head)![0].length;
    nonAscii.lastIndex = e;
    if (s >= limit) break;
    const tok = fold(head.slice(s, e));
    if (!wanted.some((w) => (w.prefix ? tok.startsWith(w.tok) : tok === w.tok))) continue;
    const span = spansOf(head, q.terms, tokensBack(head, s, longest - 1), e)[0];
    if (span && span[0] < limit) return span;
  }
  return found;
}

/** The code point that ends at `i` (a surrogate pair counts as one). */
function charBefore(text: string, i: number): string {
  const lo = text.charCodeAt(i - 1);
  return lo >= 0xdc00 && lo <= 0xdfff && i >= 2 ? text.slice(i - 2, i) : text.slice(i - 1, i);
}

/** The start of the token holding `at` (k = 0), or of the k-th token before it. */
function tokensBack(text: string, at: number, k: number): number {
  let i = at;
  const back = (token: boolean) => {
    for (let c = charBefore(text, i); i > 0 && TOKEN_CHAR.test(c) === token; c = charBefore(text, i))
      i -= c.length;
  };
  back(true);
  for (let n = 0; n < k && i > 0; n++) {
    back(false);
    back(true);
  }
  return i;
}

/**
 * An excerpt of `text` around the first place the query's terms occur, with every occurrence
 * inside it marked; the start of the text when they do not occur. Computed here rather than by
 * FTS5's snippet(), which re-runs the query per cable.
 */
export function snippetOf(text: string, query: string | SnippetQuery, width = 220): Snippet {
  const head = text.length > SNIPPET_SCAN ? text.slice(0, SNIPPET_SCAN) : text;
  const q = typeof query === 'string' ? snippetQuery(query) : query;
  const first = q.terms.length ? firstSpan(head, q) : undefined;
  const spans = first
    ? spansOf(head, q.terms, Math.max(0, first[0] - width), Math.min(head.length, first[0] + 2 * width))
    : [];
  let start = 0;
  if (spans.length) {
    start = Math.max(0, spans[0]![0] - Math.floor(width / 3));
    const ws = head.lastIndexOf(' ', spans[0]![0]);
    if (start > 0 && ws > start - 20 && ws < spans[0]![0]) start = ws + 1;
  }
  let end = Math.min(head.length, start + width);
  if (end < head.length) {
    const ws = head.indexOf(' ', end);
    if (ws >= 0 && ws - end < 20) end = ws;
  }
  const clean = (s: string) => s.replace(/\s+/g, ' ');
  let out = start > 0 ? '…' : '';
  const marks: [number, number][] = [];
  let at = start;
  for (const [s, e] of spans) {
    if (e <= start || s >= end) continue;
    const a = Math.max(s, start);
    const b = Math.min(e, end);
    out += clean(head.slice(at, a));
    const m = clean(head.slice(a, b));
    marks.push([out.length, out.length + m.length]);
    out += m;
    at = b;
  }
  out += clean(head.slice(at, end));
  if (end < text.length) out += '…';
  // Trim leading white space (shifting the marks) and trailing white space (after the last mark).
  const lead = out.length - out.trimStart().length;
  const text2 = out.trim();
  return { text: text2, marks: marks.map(([s, e]) => [s - lead, Math.min(e - lead, text2.length)]) };
}
