/**
 * Facet values of every cable, held in memory as typed arrays indexed by cable id: year, origin,
 * classification, creation month, and tag and marking lists in compressed-row form. About 10 MB
 * for the full archive, loaded in ~1 s; counting the facets of a set of ids is then a loop over
 * arrays (microseconds per thousand ids) instead of thousands of b-tree seeks.
 *
 * It holds every cable, released or not: callers pass only ids that already passed the embargo
 * test, so nothing here decides what is public.
 */
import type Database from 'better-sqlite3';

export interface FacetCounts {
  year: Map<number, number>;
  origin: Map<number, number>;
  classification: Map<string, number>;
  month: Map<string, number>;
  tag: Map<number, number>;
  marking: Map<string, number>;
}

/**
 * Column conditions of a query that the index can test per cable (the top-level `origin:`,
 * `classification:`, `year:`, `created:` and `released:` filters). Dates are `yyyymmdd` numbers,
 * ranges half-open as in SQL; an absent member does not restrict.
 */
export interface ColumnFilter {
  years: { from: number | null; to: number | null }[];
  origins: number[][];
  classifications: string[][];
  created: { from: number | null; to: number | null }[];
  released: { from: number | null; to: number | null }[];
  /** Each: the cable has one of these tag ids. */
  tags: number[][];
}

/** `2009` → 20090000, `2009-06` → 20090600, `2009-06-30` → 20090630; null for anything else. */
export function dayNumber(d: string): number | null {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(d);
  return m ? Number(m[1]) * 10000 + Number(m[2] ?? 0) * 100 + Number(m[3] ?? 0) : null;
}

/** 32-bit words per cable record (64 bytes), and the 16-bit list slots after the first three. */
const WORDS = 16;
const SLOTS = (WORDS - 3) * 2;
const OVERFLOW = 1 << 16;

export class FacetIndex {
  private constructor(
    readonly dataVersion: number,
    year: Int16Array,
    origin: Int32Array,
    cls: Uint16Array,
    clsNames: string[],
    month: Uint16Array,
    monthNames: string[],
    tagStart: Uint32Array,
    tagIds: Int32Array,
    markStart: Uint32Array,
    markIds: Int32Array,
    markNames: string[],
    /** Creation and release day as `yyyymmdd`, 0 when absent (NULL), -1 when not a date. */
    private readonly createdDay: Int32Array,
    private readonly releasedDay: Int32Array,
    /** 1 where a cable has this id. */
    private readonly exists: Uint8Array,
    inlineSlots: number,
    /** `created` and `released_at` as stored: the keys of date-sorted pages and their cursors. */
    private readonly created: (string | null)[],
    private readonly released: (string | null)[],
  ) {
    let maxYear = 0;
    let maxTag = 0;
    for (const y of year) if (y > maxYear) maxYear = y;
    for (const t of tagIds) if (t > maxTag) maxTag = t;
    const n = year.length;
    const originIds = [-1];
    const originIdx = new Map<number, number>();
    // Shared memory: the facet helper thread counts from these very arrays (`shared`).
    const meta = new Uint32Array(new SharedArrayBuffer((n + 1) * WORDS * 4));
    const slots = new Uint16Array(meta.buffer);
    const fits = (v: number, what: string) => {
      if (v > 0xffff) throw new Error(`facet index: more than 65,535 distinct ${what}`);
      return v;
    };
    fits(maxYear, 'years');
    fits(clsNames.length, 'classifications');
    fits(monthNames.length, 'months');
    const inline = maxTag <= 0xffff && markNames.length <= 0xffff;
    for (let id = 0; id < n; id++) {
      const o = origin[id]!;
      let oi = 0;
      if (o >= 0) {
        oi = originIdx.get(o) ?? 0;
        if (oi === 0) {
          oi = fits(originIds.length, 'origins');
          originIds.push(o);
          originIdx.set(o, oi);
        }
      }
      const b = id * WORDS;
      meta[b] = (year[id]! & 0xffff) | (cls[id]! << 16);
      meta[b + 1] = oi | (month[id]! << 16);
      const t0 = tagStart[id]!;
      const nt = tagStart[id + 1]! - t0;
      const m0 = markStart[id]!;
      const nm = markStart[id + 1]! - m0;
      if (!inline || nt + nm > inlineSlots) {
        meta[b + 2] = OVERFLOW;
        continue;
      }
      meta[b + 2] = nt | (nm << 8);
      let k = (b + 3) * 2;
      for (let i = 0; i < nt; i++) slots[k++] = tagIds[t0 + i]!;
      for (let i = 0; i < nm; i++) slots[k++] = markIds[m0 + i]!;
    }
    this.originIdx = originIdx;
    this.datesExact = !createdDay.includes(-1) && !releasedDay.includes(-1);
    this.shared = {
      meta,
      tagStart,
      tagIds,
      markStart,
      markIds,
      n,
      maxYear,
      maxTag,
      originIds,
      clsNames,
      monthNames,
      markNames,
    };
  }

  /**
   * The per-cable records, tag and marking lists and dictionaries: what counting needs, also for
   * another thread (posted, the typed arrays share this index's memory — SharedArrayBuffer — and
   * only the small dictionaries are copied).
   */
  readonly shared: FacetCountData;

  /** `inlineSlots`: list slots used per record (fewer only to test the overflow lists). */
  static load(db: Database.Database, hasMarkings: boolean, inlineSlots = SLOTS): FacetIndex {
    const dataVersion = db.pragma('data_version', { simple: true }) as number;
    const maxId = (db.prepare('SELECT ifnull(max(id), 0) FROM cables').pluck().get() as number) + 1;
    const year = new Int16Array(maxId);
    const origin = new Int32Array(maxId).fill(-1);
    const cls = new Uint16Array(maxId);
    const month = new Uint16Array(maxId);
    const createdDay = new Int32Array(maxId);
    const releasedDay = new Int32Array(maxId);
    const exists = new Uint8Array(maxId);
    const created = new Array<string | null>(maxId).fill(null);
    const released = new Array<string | null>(maxId).fill(null);
    const releases = new Map<string, string>();
    // Index 0 of each dictionary stands for "none".
    const clsNames = [''];
    const clsIdx = new Map<string, number>();
    const monthNames = [''];
    const monthIdx = new Map<string, number>();
    const dict = (names: string[], idx: Map<string, number>, v: string | null) => {
      if (v === null || v === '') return 0;
      let i = idx.get(v);
      if (i === undefined) {
        i = names.length;
        names.push(v);
        idx.set(v, i);
      }
      return i;
    };
    // A date column as yyyymmdd, compared as SQL compares the ISO strings (by day: every bound
    // a query can give is a day, a month or a year).
    const day = (col: string) =>
      `CASE WHEN ${col} IS NULL THEN 0 WHEN ${col} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*'
       THEN CAST(substr(${col}, 1, 4) || substr(${col}, 6, 2) || substr(${col}, 9, 2) AS INTEGER) ELSE -1 END`;
    for (const r of db
      .prepare(
        `SELECT id, year, origin_id, classification, substr(created, 1, 7), ${day('created')}, ${day('released_at')},
           created, released_at
         FROM cables`,
      )
      .raw()
      .iterate() as Iterable<
      [
        number,
        number | null,
        number | null,
        string | null,
        string | null,
        number,
        number,
        string | null,
        string | null,
      ]
    >) {
      const id = r[0];
      year[id] = r[1] ?? 0;
      origin[id] = r[2] ?? -1;
      cls[id] = dict(clsNames, clsIdx, r[3]);
      month[id] = dict(monthNames, monthIdx, r[4]);
      createdDay[id] = r[5];
      releasedDay[id] = r[6];
      exists[id] = 1;
      created[id] = r[7];
      // Cables are released in batches: one string per release time.
      let rel = r[8];
      if (rel !== null) {
        const known = releases.get(rel);
        if (known === undefined) releases.set(rel, rel);
        else rel = known;
      }
      released[id] = rel;
    }
    // Rows are streamed into typed arrays (8 bytes a pair) rather than collected as row objects:
    // `all()` over cable_tags would hold ~1.4 M JavaScript arrays (~150 MB) at once.
    const csr = <T extends Int32Array>(
      sql: string,
      make: (n: number) => T,
      value: (v: unknown) => number,
    ): [Uint32Array, T] => {
      let ids = new Int32Array(1 << 16);
      let vals = new Int32Array(1 << 16);
      let n = 0;
      for (const [id, v] of db.prepare(sql).raw().iterate() as Iterable<[number, unknown]>) {
        if (id >= maxId) continue;
        if (n === ids.length) {
          const grow = (a: Int32Array) => {
            const b = new Int32Array(a.length * 2);
            b.set(a);
            return b;
          };
          ids = grow(ids);
          vals = grow(vals);
        }
        ids[n] = id;
        vals[n++] = value(v);
      }
      const counts = new Uint32Array(new SharedArrayBuffer((maxId + 1) * 4));
      for (let i = 0; i < n; i++) counts[ids[i]! + 1]!++;
      for (let i = 1; i <= maxId; i++) counts[i]! += counts[i - 1]!;
      const out = make(n);
      const fill = counts.slice(0, maxId);
      for (let i = 0; i < n; i++) out[fill[ids[i]!]!++] = vals[i]!;
      return [counts, out];
    };
    const shared = (n: number) => new Int32Array(new SharedArrayBuffer(n * 4));
    const [tagStart, tagIds] = csr('SELECT cable_id, tag_id FROM cable_tags', shared, (v) => v as number);
    const markNames = [''];
    const markIdx = new Map<string, number>();
    const [markStart, markIds] = hasMarkings
      ? csr('SELECT cable_id, marking FROM search_markings', shared, (v) =>
          dict(markNames, markIdx, v as string),
        )
      : [new Uint32Array(new SharedArrayBuffer((maxId + 1) * 4)), shared(0)];
    return new FacetIndex(
      dataVersion,
      year,
      origin,
      cls,
      clsNames,
      month,
      monthNames,
      tagStart,
      tagIds,
      markStart,
      markIds,
      markNames,
      createdDay,
      releasedDay,
      exists,
      Math.min(SLOTS, inlineSlots),
      created,
      released,
    );
  }

  count(ids: ArrayLike<number>): FacetCounts {
    return countFacets(this.shared, ids);
  }

  /** Whether every date is a day this index can compare (else date ranges stay in SQL). */
  readonly datesExact: boolean;

  /**
   * The cables that pass `f`, ascending: of `ids` when given, else of the whole archive
   * (`skip[id]` set excludes a cable). Null when the index cannot decide (a date
   * that is not a day) or when an id lies beyond it (written after it was loaded).
   */
  filter(
    f: ColumnFilter,
    ids: Int32Array | number[] | null,
    skip: Uint8Array | null = null,
    /** `ids` is one of this index's own lists (ascending, every id a cable). */
    trusted = false,
  ): Int32Array | null {
    if ((f.created.length || f.released.length) && !this.datesExact) return null;
    // Tags, origins, classifications and years have lists of their cables: their unions and
    // intersections (passes over sequential arrays) replace a test per cable that misses the CPU
    // cache (~100 ns each: its record is anywhere in 16 MB).
    const lists = this.columnLists();
    const parts: Int32Array[] = [];
    const slice = (l: { start: Uint32Array; ids: Int32Array }, v: number) =>
      v >= 0 && v < l.start.length - 1 ? l.ids.subarray(l.start[v]!, l.start[v + 1]!) : new Int32Array(0);
    for (const t of f.tags) parts.push(this.tagged(t));
    for (const list of f.origins)
      parts.push(this.union(list.map((o) => slice(lists.origin, this.originIdx.get(o) ?? -1))));
    for (const list of f.classifications) {
      const idx = new Set(list.map((name) => this.shared.clsNames.indexOf(name)).filter((i) => i > 0));
      parts.push(this.union([...idx].map((i) => slice(lists.cls, i))));
    }
    for (const r of f.years) {
      const from = Math.max(1, r.from ?? 1);
      const to = Math.min(this.shared.maxYear + 1, r.to ?? this.shared.maxYear + 1);
      const years: Int32Array[] = [];
      for (let y = from; y < to; y++) years.push(slice(lists.year, y));
      parts.push(this.union(years));
    }
    if (ids && !trusted) {
      let sorted = true;
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i]!;
        if (id < 0 || id >= this.shared.n) return null;
        if (i > 0 && ids[i - 1]! >= id) sorted = false;
      }
      parts.push(sorted ? Int32Array.from(ids) : Int32Array.from(new Set(ids)).sort());
    } else if (ids) parts.push(ids as Int32Array);
    if (parts.length) {
      parts.sort((x, y) => x.length - y.length);
      let cur = parts[0]!;
      for (let i = 1; i < parts.length && cur.length; i++) cur = merge(cur, parts[i]!, false);
      ids = cur;
    }
    // What is left to test per cable: the date ranges (each an intersection of bounds; a missing
    // date, 0, is below every lower bound, ≥ 1).
    const bounds = (ranges: { from: number | null; to: number | null }[]): [number, number] => {
      if (ranges.length === 0) return [-(2 ** 31), 2 ** 31 - 1];
      let lo = 1;
      let hi = 2 ** 31 - 1;
      for (const r of ranges) {
        if (r.from !== null) lo = Math.max(lo, r.from);
        if (r.to !== null) hi = Math.min(hi, r.to);
      }
      return [lo, hi];
    };
    const [cLo, cHi] = bounds(f.created);
    const [rLo, rHi] = bounds(f.released);
    if (ids instanceof Int32Array && !f.created.length && !f.released.length && !skip) return ids;
    const { createdDay, releasedDay } = this;
    const { n } = this.shared;
    const ok = (id: number) => {
      const c = createdDay[id]!;
      const r = releasedDay[id]!;
      return c >= cLo && c < cHi && r >= rLo && r < rHi;
    };
    // Into a typed array: pushing 200,000 numbers onto a JavaScript array cost 20–30 ms here.
    const out = new Int32Array(ids ? ids.length : n);
    let k = 0;
    if (ids) {
      // Every id here is a cable of the index: checked above, or one of its own lists.
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i]!;
        if (!skip?.[id] && ok(id)) out[k++] = id;
      }
    } else {
      const { exists } = this;
      for (let id = 1; id < n; id++) if (exists[id] && !skip?.[id] && ok(id)) out[k++] = id;
    }
    return out.subarray(0, k);
  }

  private columns: Record<'origin' | 'cls' | 'year', { start: Uint32Array; ids: Int32Array }> | null = null;

  /** Each origin's, classification's and year's cables, ascending, built on first use. */
  private columnLists(): Record<'origin' | 'cls' | 'year', { start: Uint32Array; ids: Int32Array }> {
    if (this.columns) return this.columns;
    const { exists } = this;
    const { meta, n } = this.shared;
    const build = (values: number, of: (id: number) => number) =>
      buckets(values, (emit) => {
        for (let id = 0; id < n; id++) if (exists[id]) emit(of(id), id);
      });
    this.columns = {
      origin: build(this.shared.originIds.length, (id) => meta[id * WORDS + 1]! & 0xffff),
      cls: build(this.shared.clsNames.length, (id) => meta[id * WORDS]! >>> 16),
      year: build(this.shared.maxYear + 1, (id) => meta[id * WORDS]! & 0xffff),
    };
    return this.columns;
  }

  /** The ids in any of these ascending lists, ascending (merged pairwise, shortest first). */
  private union(parts: Int32Array[]): Int32Array {
    if (parts.length === 0) return new Int32Array(0);
    const queue = [...parts].sort((x, y) => x.length - y.length);
    while (queue.length > 1) {
      const merged = merge(queue.shift()!, queue.shift()!, true);
      let at = 0;
      while (at < queue.length && queue[at]!.length < merged.length) at++;
      queue.splice(at, 0, merged);
    }
    return queue[0]!;
  }

  /** The cables with any of these tags, ascending (a tag's list is a slice of the index). */
  tagged(tags: readonly number[]): Int32Array {
    const { start, ids } = this.tagLists();
    return this.union(
      tags
        .filter((t) => t >= 0 && t <= this.shared.maxTag)
        .map((t) => ids.subarray(start[t]!, start[t + 1]!)),
    );
  }

  private byTag: { start: Uint32Array; ids: Int32Array } | null = null;

  /** Every tag's cables (the transpose of the cables' tag lists), built on first use. */
  private tagLists(): { start: Uint32Array; ids: Int32Array } {
    if (this.byTag) return this.byTag;
    const { tagIds, tagStart, n } = this.shared;
    // A tag twice on one cable (`last`) lists it once.
    const last = new Int32Array(this.shared.maxTag + 1);
    this.byTag = buckets(this.shared.maxTag + 1, (emit) => {
      last.fill(-1);
      for (let id = 0; id < n; id++)
        for (let i = tagStart[id]!, e = tagStart[id + 1]!; i < e; i++) {
          const t = tagIds[i]!;
          if (last[t] !== id) emit(t, id);
          last[t] = id;
        }
    });
    return this.byTag;
  }

  /**
   * `[id, created]` (or `released_at`) of these cables, the very strings SQL sorts, in their
   * order; null when an id lies beyond the index. A date-sorted small set needs the key of every
   * hit: from SQL that is a b-tree seek each (~2 µs), 4–8 ms for a few thousand hits.
   */
  keys(ids: readonly number[], which: 'created' | 'released'): [number, string | null][] | null {
    const col = which === 'created' ? this.created : this.released;
    const out: [number, string | null][] = new Array(ids.length);
    for (let k = 0; k < ids.length; k++) {
      const id = ids[k]!;
      if (id < 0 || id >= this.shared.n || !this.exists[id]) return null;
      out[k] = [id, col[id] ?? null];
    }
    return out;
  }

  private ranks: Partial<Record<'created' | 'released', { rank: Float64Array; sorted: string[] }>> = {};

  /**
   * The order of a date column as numbers: `rank[id]` is the place of the cable's key among the
   * distinct keys (equal strings, equal ranks; -1 for none, NaN for no cable), `sorted` the
   * distinct keys. Comparing two ranks is comparing the two strings as SQL does, without reading
   * the strings (each a cache miss somewhere in the heap: ~0.3 µs per hit in a page cut from
   * 40,000). Built on first use (a sort of the archive's keys, ~0.3 s).
   */
  rankColumn(which: 'created' | 'released'): { rank: Float64Array; sorted: string[] } {
    const have = this.ranks[which];
    if (have) return have;
    const col = which === 'created' ? this.created : this.released;
    const ids: number[] = [];
    for (let id = 0; id < this.shared.n; id++) if (this.exists[id] && col[id] != null) ids.push(id);
    ids.sort((a, b) => (col[a]! < col[b]! ? -1 : col[a]! > col[b]! ? 1 : 0));
    const rank = new Float64Array(this.shared.n).fill(Number.NaN);
    for (let id = 0; id < this.shared.n; id++) if (this.exists[id]) rank[id] = -1;
    const sorted: string[] = [];
    for (const id of ids) {
      const key = col[id]!;
      if (sorted.length === 0 || sorted[sorted.length - 1] !== key) sorted.push(key);
      rank[id] = sorted.length - 1;
    }
    const out = { rank, sorted };
    this.ranks[which] = out;
    return out;
  }

  private readonly originIdx: Map<number, number>;
}

/**
 * The ids grouped by key: `visit` is called twice (to count, then to place) and emits each
 * `(key, id)`; ids emitted in ascending order come out ascending in each key's slice
 * `ids[start[key] .. start[key + 1])`.
 */
function buckets(
  keys: number,
  visit: (emit: (key: number, id: number) => void) => void,
): { start: Uint32Array; ids: Int32Array } {
  const start = new Uint32Array(keys + 1);
  visit((key) => {
    start[key + 1]!++;
  });
  for (let k = 1; k <= keys; k++) start[k]! += start[k - 1]!;
  const fill = start.slice(0, keys);
  const ids = new Int32Array(start[keys]!);
  visit((key, id) => {
    ids[fill[key]!++] = id;
  });
  return { start, ids };
}

/** The ids of two ascending lists, ascending and each once: those in either, or in both. */
function merge(a: Int32Array, b: Int32Array, either: boolean): Int32Array {
  const out = new Int32Array(either ? a.length + b.length : Math.min(a.length, b.length));
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      out[k++] = x;
      i++;
      j++;
    } else if (x < y) {
      if (either) out[k++] = x;
      i++;
    } else {
      if (either) out[k++] = y;
      j++;
    }
  }
  if (either) {
    while (i < a.length) out[k++] = a[i++]!;
    while (j < b.length) out[k++] = b[j++]!;
  }
  return out.subarray(0, k);
}

/** The arrays and dictionaries that counting reads (see `FacetIndex.shared`). */
export interface FacetCountData {
  /**
   * One 64-byte record (a cache line) per cable id: year | classification << 16, origin |
   * month << 16 (indexes into dictionaries, 0 for none), the number of its tags | of its
   * markings << 8 (| OVERFLOW when they do not fit), then up to 26 16-bit tag ids and marking
   * indexes. At 5,000 random ids the cache misses, not the arithmetic, are the cost of counting:
   * one line per hit instead of three (the lists of a cable with too many live in `tagIds` and
   * `markIds` only).
   */
  meta: Uint32Array;
  tagStart: Uint32Array;
  tagIds: Int32Array;
  markStart: Uint32Array;
  markIds: Int32Array;
  n: number;
  maxYear: number;
  maxTag: number;
  originIds: number[];
  clsNames: string[];
  monthNames: string[];
  markNames: string[];
}

export function countFacets(src: FacetCountData, ids: ArrayLike<number>): FacetCounts {
  // Plain counter arrays rather than Maps: ~10× faster; read through locals so that the loop
  // stays monomorphic.
  const yearN = new Uint32Array(src.maxYear + 1);
  const originN = new Uint32Array(src.originIds.length);
  const clsN = new Uint32Array(src.clsNames.length);
  const monthN = new Uint32Array(src.monthNames.length);
  const tagN = new Uint32Array(src.maxTag + 1);
  const markN = new Uint32Array(src.markNames.length);
  const { meta, tagIds, markIds, tagStart, markStart, n } = src;
  const slots = new Uint16Array(meta.buffer, meta.byteOffset, meta.length * 2);
  for (let k = 0; k < ids.length; k++) {
    const id = ids[k]!;
    if (id < 0 || id >= n) continue;
    const b = id * WORDS;
    const a = meta[b]!;
    const c = meta[b + 1]!;
    const d = meta[b + 2]!;
    yearN[a & 0xffff]!++;
    clsN[a >>> 16]!++;
    originN[c & 0xffff]!++;
    monthN[c >>> 16]!++;
    if (d === OVERFLOW) {
      for (let i = tagStart[id]!, e = tagStart[id + 1]!; i < e; i++) tagN[tagIds[i]!]!++;
      for (let i = markStart[id]!, e = markStart[id + 1]!; i < e; i++) markN[markIds[i]!]!++;
      continue;
    }
    let i = (b + 3) * 2;
    for (const e = i + (d & 0xff); i < e; i++) tagN[slots[i]!]!++;
    for (const e = i + ((d >>> 8) & 0xff); i < e; i++) markN[slots[i]!]!++;
  }
  const byIndex = (counts: Uint32Array, from = 0) => {
    const m = new Map<number, number>();
    for (let i = from; i < counts.length; i++) if (counts[i]) m.set(i, counts[i]!);
    return m;
  };
  const named = (names: string[], counts: Uint32Array) => {
    const m = new Map<string, number>();
    for (let i = 1; i < names.length; i++) if (counts[i]) m.set(names[i]!, counts[i]!);
    return m;
  };
  const origins = new Map<number, number>();
  for (let i = 1; i < originN.length; i++) if (originN[i]) origins.set(src.originIds[i]!, originN[i]!);
  return {
    year: byIndex(yearN, 1),
    origin: origins,
    classification: named(src.clsNames, clsN),
    month: named(src.monthNames, monthN),
    tag: byIndex(tagN),
    marking: named(src.markNames, markN),
  };
}
