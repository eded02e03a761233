/**
 * Date-sorted pages from the catalog's order by `created` or `released_at`. Undated cables come
 * last in both directions; ties go by id in the sort's direction. A page of a large set is a walk
 * of that order from the cursor; a small set's members are sorted by their place in it.
 */
import type { SortOrder } from '../types.js';
import { type Catalog, compareKeys, type DateKey } from './catalog.js';
import type { IdSet, Scratch } from './sets.js';

/** The key and id of the last row of the previous page. */
export type DateCursor = [string | null, number];

export function sortKey(sort: SortOrder): DateKey {
  return sort.endsWith('released') ? 'released' : 'created';
}

/** A cable's place in the walk of one sort: its rank ascending; descending, the dated rows reversed, then the undated. */
class Walk {
  readonly order: Int32Array;
  private readonly rank: Int32Array;
  private readonly dated: number;
  private readonly n: number;
  private readonly desc: boolean;

  constructor(
    private readonly cat: Catalog,
    private readonly sort: SortOrder,
  ) {
    const o = cat.order(sortKey(sort));
    this.order = o.ids;
    this.rank = o.rank;
    this.dated = o.dated;
    this.n = o.ids.length;
    this.desc = sort.startsWith('-');
  }

  place(id: number): number {
    const r = this.rank[id]!;
    if (!this.desc) return r;
    return r < this.dated ? this.dated - 1 - r : this.dated + (this.n - 1 - r);
  }

  at(place: number): number {
    if (!this.desc) return this.order[place]!;
    return this.order[place < this.dated ? this.dated - 1 - place : this.n - 1 - (place - this.dated)]!;
  }

  /** The place after which the rows following `cursor` start (-1: from the first). */
  after(cursor: DateCursor | null): number {
    if (!cursor) return -1;
    const vals = sortKey(this.sort) === 'created' ? this.cat.created : this.cat.released;
    // The first index, ascending, of a row not below (key, id): strictly above when `past`.
    const first = (key: string | null, id: number, past: boolean) => {
      let lo = 0;
      let hi = this.n;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        const m = this.order[mid]!;
        const c = compareKeys(vals[m]!, m, key, id);
        if (c < 0 || (past && c === 0)) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
    const [key, id] = cursor;
    if (!this.desc) return first(key, id, true) - 1;
    if (key !== null) return this.dated - 1 - first(key, id, false);
    return this.dated + this.n - 1 - first(null, id, false);
  }

  get size(): number {
    return this.n;
  }
}

/** Up to `limit` members of `set` after `cursor`, in `sort` order. */
export function datePage(
  cat: Catalog,
  s: Scratch,
  sort: SortOrder,
  set: IdSet,
  cursor: DateCursor | null,
  limit: number,
): number[] {
  const w = new Walk(cat, sort);
  const from = w.after(cursor);
  // A set spread over the order meets a page soon on a walk from the cursor (each cable looked up
  // in the ascending set by binary search); a small or bunched one is cheaper to select from.
  if (set.length * 32 >= w.size) {
    const out: number[] = [];
    const end = Math.min(w.size, from + 1 + Math.max(WALK_BUDGET, set.length));
    for (let p = from + 1; p < end && out.length < limit; p++) {
      const id = w.at(p);
      if (has(set, id)) out.push(id);
    }
    if (out.length >= limit || end === w.size) return out;
  }
  return smallest(set, (id) => w.place(id), from, limit).map((p) => w.at(p));
}

/** Places walked (at least; as many as the set has) before a large set is selected from instead. */
const WALK_BUDGET = 20_000;

/** The `limit` smallest places above `from` of the set's members, ascending (a bounded max-heap). */
function smallest(set: IdSet, place: (id: number) => number, from: number, limit: number): number[] {
  const heap: number[] = [];
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && heap[l]! > heap[m]!) m = l;
      if (r < heap.length && heap[r]! > heap[m]!) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  };
  for (let i = 0; i < set.length; i++) {
    const p = place(set[i]!);
    if (p <= from) continue;
    if (heap.length < limit) {
      heap.push(p);
      for (let j = heap.length - 1; j > 0 && heap[(j - 1) >> 1]! < heap[j]!; j = (j - 1) >> 1)
        [heap[j], heap[(j - 1) >> 1]] = [heap[(j - 1) >> 1]!, heap[j]!];
    } else if (p < heap[0]!) {
      heap[0] = p;
      down(0);
    }
  }
  return heap.sort((a, b) => a - b);
}

function has(set: IdSet, id: number): boolean {
  let lo = 0;
  let hi = set.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (set[mid]! < id) lo = mid + 1;
    else hi = mid;
  }
  return lo < set.length && set[lo] === id;
}

/** Every member of `set` in `sort` order. */
export function sorted(cat: Catalog, s: Scratch, sort: SortOrder, set: IdSet): number[] {
  return datePage(cat, s, sort, set, null, set.length);
}
