/**
 * What search needs of every cable, in typed arrays indexed by cable id: the facet values, the
 * date keys, tag and marking lists, and the orders by date. Filters, facets and date-sorted pages
 * are answered from here; only text and people queries go to SQLite. Holds every cable, public
 * or not: `visibility()` says which are public at a given instant.
 */
import type Database from 'better-sqlite3';
import { isPublic, nowParam } from '../../store/visibility.js';

/** Compressed rows: the values of cable `i` are `values[start[i] .. start[i + 1])`. */
export interface Lists {
  start: Uint32Array;
  values: Int32Array;
}

export interface Visibility {
  /** 1 at each public id. */
  mask: Uint8Array;
  /** The public ids, ascending. */
  ids: Int32Array;
  all: boolean;
  /** The instant `now` was judged at, and the next release time after it (null: none). */
  at: string;
  until: string | null;
}

export type Field = 'tag' | 'marking' | 'origin' | 'class' | 'year';
export type DateKey = 'created' | 'released';

export class Catalog {
  /** One past the highest cable id. */
  readonly size: number;
  readonly year: Int16Array;
  /** Origin id, 0 when none. */
  readonly origin: Int32Array;
  /** Index into `classNames`, 0 when none. */
  readonly cls: Uint8Array;
  readonly classNames: string[] = [''];
  /** Index into `monthNames` (`YYYY-MM` of creation), 0 when none. */
  readonly month: Uint16Array;
  readonly monthNames: string[] = [''];
  readonly created: (string | null)[];
  readonly released: (string | null)[];
  readonly exists: Uint8Array;
  readonly tags: Lists;
  readonly markings: Lists;
  readonly markNames: string[] = [''];
  readonly origins = new Map<number, { name: string; slug: string }>();
  readonly tagNames = new Map<number, string>();
  readonly maxOrigin: number;
  readonly maxYear: number;
  readonly maxTag: number;
  /**
   * What facet counting reads of a cable, in 16 bytes: year | class << 16, month | origin << 16,
   * then where its tags and markings start (they end where the next cable's start). A sampled
   * set's ids are spread over the archive, so one cache line per hit instead of one per array.
   */
  readonly facetRecords: Uint32Array;
  private readonly inverted = new Map<Field, Lists>();
  private readonly orders = new Map<DateKey, { ids: Int32Array; rank: Int32Array; dated: number }>();
  private seen: Visibility | null = null;

  constructor(
    db: Database.Database,
    /** The archive's data version it was read at: stale once that changes. */
    readonly version: unknown,
  ) {
    const n = (db.prepare('SELECT ifnull(max(id), 0) + 1 FROM cables').pluck().get() as number) ?? 1;
    this.size = n;
    this.year = new Int16Array(n);
    this.origin = new Int32Array(n);
    this.cls = new Uint8Array(n);
    this.month = new Uint16Array(n);
    this.created = new Array<string | null>(n).fill(null);
    this.released = new Array<string | null>(n).fill(null);
    this.exists = new Uint8Array(n);
    const classIdx = new Map<string, number>();
    const monthIdx = new Map<string, number>();
    type Row = [number, number | null, number | null, string | null, string | null, string | null];
    const rows = db
      .prepare('SELECT id, year, origin_id, classification, created, released_at FROM cables')
      .raw()
      .iterate() as Iterable<Row>;
    for (const [id, year, origin, cls, created, released] of rows) {
      this.exists[id] = 1;
      this.year[id] = year ?? 0;
      this.origin[id] = origin ?? 0;
      this.cls[id] = dict(this.classNames, classIdx, cls);
      this.month[id] = dict(this.monthNames, monthIdx, created?.slice(0, 7) ?? null);
      this.created[id] = created;
      this.released[id] = released;
    }
    for (const [id, name, slug] of db.prepare('SELECT id, name, slug FROM origins').raw().all() as [
      number,
      string,
      string,
    ][])
      this.origins.set(id, { name, slug });
    for (const [id, name] of db.prepare('SELECT id, name FROM tags').raw().all() as [number, string][])
      this.tagNames.set(id, name);
    this.maxOrigin = this.origin.reduce((m, v) => Math.max(m, v), 0);
    this.maxYear = this.year.reduce((m, v) => Math.max(m, v), 0);
    this.tags = lists(db.prepare('SELECT cable_id, tag_id FROM cable_tags').raw(), n, (v) => v as number);
    const markIdx = new Map<string, number>();
    this.maxTag = this.tags.values.reduce((m, v) => Math.max(m, v), 0);
    this.markings = lists(db.prepare('SELECT cable_id, marking FROM search_markings').raw(), n, (v) =>
      dict(this.markNames, markIdx, v as string),
    );
    if (this.maxOrigin > 0xffff || this.monthNames.length > 0xffff)
      throw new Error('search catalog: more than 65,535 origins or months');
    const r = new Uint32Array((n + 1) * 4);
    for (let id = 0; id <= n; id++) {
      const b = id * 4;
      if (id < n) {
        r[b] = (this.year[id]! & 0xffff) | (this.cls[id]! << 16);
        r[b + 1] = this.month[id]! | (this.origin[id]! << 16);
      }
      r[b + 2] = this.tags.start[id]!;
      r[b + 3] = this.markings.start[id]!;
    }
    this.facetRecords = r;
  }

  /** Which cables are public at `now`, kept until the data or the next release time changes it. */
  visibility(now: Date): Visibility {
    const at = nowParam(now);
    const v = this.seen;
    if (v && at >= v.at && (v.until === null || at < v.until)) return v;
    const mask = new Uint8Array(this.size);
    let count = 0;
    let until: string | null = null;
    let total = 0;
    for (let id = 0; id < this.size; id++) {
      if (!this.exists[id]) continue;
      total++;
      const r = this.released[id]!;
      if (isPublic(r, now)) {
        mask[id] = 1;
        count++;
      } else if (r !== null && r > at && (until === null || r < until)) until = r;
    }
    const ids = new Int32Array(count);
    for (let id = 0, k = 0; id < this.size; id++) if (mask[id]) ids[k++] = id;
    this.seen = { mask, ids, all: count === total, at, until };
    return this.seen;
  }

  /** The cables with this value of a column, ascending. */
  cables(field: Field, value: number): Int32Array {
    let l = this.inverted.get(field);
    if (!l) {
      const column = { origin: this.origin, class: this.cls, year: this.year }[field as 'origin'];
      l =
        field === 'tag'
          ? invert(this.tags)
          : field === 'marking'
            ? invert(this.markings)
            : invertColumn(column);
      this.inverted.set(field, l);
    }
    return value > 0 && value < l.start.length - 1
      ? l.values.subarray(l.start[value]!, l.start[value + 1]!)
      : EMPTY;
  }

  /** The values a column has (those with a list of cables). */
  values(field: Field): number[] {
    this.cables(field, 0);
    const l = this.inverted.get(field)!;
    const out: number[] = [];
    for (let v = 1; v < l.start.length - 1; v++) if (l.start[v + 1]! > l.start[v]!) out.push(v);
    return out;
  }

  /**
   * Every cable in `created` or `released_at` order, ascending, ties by id, undated last; each
   * cable's position in it; and how many are dated.
   */
  order(key: DateKey): { ids: Int32Array; rank: Int32Array; dated: number } {
    let o = this.orders.get(key);
    if (!o) {
      const vals = key === 'created' ? this.created : this.released;
      const ids: number[] = [];
      for (let id = 0; id < this.size; id++) if (this.exists[id]) ids.push(id);
      ids.sort((a, b) => compareKeys(vals[a]!, a, vals[b]!, b));
      const rank = new Int32Array(this.size).fill(-1);
      ids.forEach((id, i) => {
        rank[id] = i;
      });
      let dated = 0;
      while (dated < ids.length && vals[ids[dated]!] !== null) dated++;
      o = { ids: Int32Array.from(ids), rank, dated };
      this.orders.set(key, o);
    }
    return o;
  }

  /** The position in `order(key)` of the first cable whose key is not below `bound`, as SQL compares. */
  lowerBound(key: DateKey, bound: string): number {
    const { ids, dated } = this.order(key);
    const vals = key === 'created' ? this.created : this.released;
    let lo = 0;
    let hi = dated;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (vals[ids[mid]!]! < bound) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

export const EMPTY = new Int32Array(0);

/** Ascending by key with nulls last, then by id (the date orders of pages and cursors). */
export function compareKeys(x: string | null, a: number, y: string | null, b: number): number {
  if (x !== y) {
    if (x === null) return 1;
    if (y === null) return -1;
    return x < y ? -1 : 1;
  }
  return a - b;
}

function dict(names: string[], idx: Map<string, number>, v: string | null): number {
  if (v === null || v === '') return 0;
  let i = idx.get(v);
  if (i === undefined) {
    i = names.length;
    names.push(v);
    idx.set(v, i);
  }
  return i;
}

/** Streams `(cable id, value)` rows into compressed rows, without holding them as objects. */
function lists(stmt: Database.Statement, n: number, value: (v: unknown) => number): Lists {
  let ids = new Int32Array(1 << 16);
  let vals = new Int32Array(1 << 16);
  let count = 0;
  for (const [id, v] of stmt.iterate() as Iterable<[number, unknown]>) {
    if (id >= n) continue;
    if (count === ids.length) {
      ids = grow(ids);
      vals = grow(vals);
    }
    ids[count] = id;
    vals[count++] = value(v);
  }
  return group(ids.subarray(0, count), vals.subarray(0, count), n);
}

function grow(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/** Pairs `(keys[i], vals[i])` grouped by key (stable), as compressed rows over `0 .. n`. */
function group(keys: Int32Array, vals: Int32Array, n: number): Lists {
  const start = new Uint32Array(n + 1);
  for (const k of keys) start[k + 1]!++;
  for (let i = 1; i <= n; i++) start[i]! += start[i - 1]!;
  const fill = start.slice(0, n);
  const values = new Int32Array(keys.length);
  for (let i = 0; i < keys.length; i++) values[fill[keys[i]!]!++] = vals[i]!;
  return { start, values };
}

/** A column (0: none) as value → cables. */
function invertColumn(col: ArrayLike<number>): Lists {
  const n = col.length;
  let max = 0;
  for (let i = 0; i < n; i++) if (col[i]! > max) max = col[i]!;
  const keys = new Int32Array(n);
  const cables = new Int32Array(n);
  let k = 0;
  for (let id = 0; id < n; id++)
    if (col[id]! > 0) {
      keys[k] = col[id]!;
      cables[k++] = id;
    }
  return group(keys.subarray(0, k), cables.subarray(0, k), max + 1);
}

/** Cable → values turned into value → cables (ascending, since cables are visited in order). */
function invert(l: Lists): Lists {
  let max = 0;
  for (const v of l.values) if (v > max) max = v;
  const keys = new Int32Array(l.values.length);
  const cables = new Int32Array(l.values.length);
  // A cable may name a value twice; it is listed once.
  const last = new Int32Array(max + 1).fill(-1);
  let k = 0;
  for (let id = 0; id < l.start.length - 1; id++)
    for (let j = l.start[id]!; j < l.start[id + 1]!; j++) {
      const v = l.values[j]!;
      if (last[v] === id) continue;
      last[v] = id;
      keys[k] = v;
      cables[k++] = id;
    }
  return group(keys.subarray(0, k), cables.subarray(0, k), max + 1);
}
