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
  const t = tok
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase();
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
  const terms = highlightTermsOf(query);
  if (terms.length === 0) return [];
  const toks: { s: number; e: number; t: string }[] = [];
  for (const m of text.matchAll(/[\p{L}\p{N}\p{M}\p{Co}]+/gu)) {
    toks.push({ s: m.index, e: m.index + m[0].length, t: fold(m[0]) });
  }
  const spans: [number, number][] = [];
  for (let i = 0; i < toks.length; i++) {
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
