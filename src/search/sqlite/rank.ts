/**
 * Relevance: hits with a positive phrase of the query in their subject or tags come first (tier
 * 1, ranked by bm25 over `search_titles`, whose doclists are short), then the others (tier 2,
 * bm25 of the whole match over `cable_fts`), each tier by score, then id. Tier 2 is scored only
 * when a page reaches it.
 */

import type { Statements } from '../../store/sqlite/statements.js';
import { type IdSet, intersect, type Scratch } from './sets.js';

/** `[id, bm25 (lower is better), tier]`. */
export type Ranked = [number, number, 1 | 2];

/** Added to a first-tier hit's score, so that scores decrease down the ranking. */
export const TIER_BONUS = 1000;

export function compareRanked(a: Ranked, b: Ranked): number {
  return a[2] - b[2] || a[1] - b[1] || a[0] - b[0];
}

/** The public score of a ranked hit: higher is better. */
export function score(r: Ranked): number {
  return Math.round((-r[1] + (r[2] === 1 ? TIER_BONUS : 0)) * 1000) / 1000;
}

/** The cables matching `top` in the titles index, ascending; those of `set` when given. */
export function titleHits(st: Statements, s: Scratch, top: string, set: IdSet | null): number[] {
  const ids = st.pluck('SELECT rowid FROM search_titles WHERE search_titles MATCH ?').all(top) as number[];
  return set ? Array.from(intersect(s, Int32Array.from(ids), set)) : ids;
}

const TIERS = {
  1: { table: 'search_titles', bm25: 'bm25(search_titles, 10.0, 5.0)' },
  2: { table: 'cable_fts', bm25: 'bm25(cable_fts, 10.0, 5.0, 1.0)' },
} as const;

/** Which matching cables a tier ranks: only these, all but these, or all. */
export type Among = { only: ArrayLike<number> } | { except: ArrayLike<number> } | null;

/**
 * Up to `limit` hits of a tier after `cursor` (-1: all). SQL scores every matching row, but only
 * a page crosses into JavaScript. The id list is a filter of the match's scan (`+rowid`): as an
 * index on rowid it would run the whole expression once per listed cable.
 */
export function ranked(
  st: Statements,
  tier: 1 | 2,
  match: string,
  among: Among,
  cursor: Ranked | null,
  limit: number,
): Ranked[] {
  if (among && 'only' in among && among.only.length === 0) return [];
  const { table, bm25 } = TIERS[tier];
  const list = among ? JSON.stringify(Array.from('only' in among ? among.only : among.except)) : null;
  const filter = !among
    ? ''
    : `AND +rowid ${'only' in among ? 'IN' : 'NOT IN'} (SELECT value FROM json_each(?))`;
  const past = cursor?.[2] === tier ? 'WHERE b > ? OR (b = ? AND r > ?)' : '';
  const rows = st
    .raw(`SELECT r, b FROM (SELECT rowid AS r, ${bm25} AS b FROM ${table} WHERE ${table} MATCH ? ${filter})
       ${past} ORDER BY b, r LIMIT ?`)
    .all(
      match,
      ...(list === null ? [] : [list]),
      ...(past ? [cursor![1], cursor![1], cursor![0]] : []),
      limit,
    ) as [number, number][];
  return rows.map(([id, b]): Ranked => [id, b, tier]);
}
