/**
 * Highlighting of query terms in a cable's text, for a cable page reached from a search result
 * (`?hl=<the query>`). Matches the way the index does: case- and accent-insensitive tokens,
 * `prefix*`, phrases as consecutive tokens, numbers with or without leading zeros.
 */
import { ftsTokens, parseQuery, type QueryNode } from './query.js';

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
  while (from > 0 && /[\p{L}\p{N}\p{M}\p{Co}]/u.test(text[from - 1]!)) from--;
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

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;',
  );
}

/** Only the start of a long text is searched for a passage to show. */
const SNIPPET_SCAN = 12_000;

/**
 * An HTML-escaped excerpt of `text` around the first place the query's terms occur, with every
 * occurrence inside it in `<mark>`; the start of the text when they do not occur. Computed here
 * rather than by FTS5's snippet(), which re-runs the query per cable (a prefix query re-expands
 * its prefix each time: tens of milliseconds per hit).
 */
export function snippetHtml(text: string, query: string, width = 220): string {
  const head = text.length > SNIPPET_SCAN ? text.slice(0, SNIPPET_SCAN) : text;
  const terms = highlightTermsOf(query);
  // Find the first occurrence in steps (most are near the start), then mark around it.
  let first: [number, number] | undefined;
  for (let at = 0; at < head.length && !first; at += 4000) {
    first = spansOf(head, terms, at, Math.min(head.length, at + 4000))[0];
  }
  const spans = first
    ? spansOf(head, terms, Math.max(0, first[0] - width), Math.min(head.length, first[0] + 2 * width))
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
  const clean = (s: string) => escapeHtml(s.replace(/\s+/g, ' '));
  let out = start > 0 ? '…' : '';
  let at = start;
  for (const [s, e] of spans) {
    if (e <= start || s >= end) continue;
    const a = Math.max(s, start);
    const b = Math.min(e, end);
    out += `${clean(head.slice(at, a))}<mark>${clean(head.slice(a, b))}</mark>`;
    at = b;
  }
  out += clean(head.slice(at, end));
  if (end < text.length) out += '…';
  return out.trim();
}
