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
  /**
   * One 64-byte record (a cache line) per cable id: year | classification << 16, origin |
   * month << 16 (indexes into dictionaries, 0 for none), the number of its tags | of its
   * markings << 8 (| OVERFLOW when they do not fit), then up to 26 16-bit tag ids and marking
   * indexes. At 5,000 random ids the cache misses, not the arithmetic, are the cost of counting:
   * one line per hit instead of three (the lists of a cable with too many live in `tagIds` and
   * `markIds` only).
   */
  private readonly meta: Uint32Array;
  private readonly slots: Uint16Array;
  private readonly originIds: number[];
  private readonly n: number;

  private constructor(
    readonly dataVersion: number,
    year: Int16Array,
    origin: Int32Array,
    cls: Uint16Array,
    private readonly clsNames: string[],
    month: Uint16Array,
    private readonly monthNames: string[],
    tagStart: Uint32Array,
    private readonly tagIds: Int32Array,
    markStart: Uint32Array,
    private readonly markIds: Int32Array,
    private readonly markNames: string[],
    /** Creation and release day as `yyyymmdd`, 0 when absent (NULL), -1 when not a date. */
    private readonly createdDay: Int32Array,
    private readonly releasedDay: Int32Array,
    /** 1 where a cable has this id. */
    private readonly exists: Uint8Array,
    inlineSlots: number,
  ) {
    let maxYear = 0;
    let maxTag = 0;
    for (const y of year) if (y > maxYear) maxYear = y;
    for (const t of tagIds) if (t > maxTag) maxTag = t;
    this.maxYear = maxYear;
    this.maxTag = maxTag;
    const n = year.length;
    this.n = n;
    const originIds = [-1];
    const originIdx = new Map<number, number>();
    const meta = new Uint32Array((n + 1) * WORDS);
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
    this.slots = slots;
    this.tagStart = tagStart;
    this.markStart = markStart;
    this.meta = meta;
    this.originIds = originIds;
    this.originIdx = originIdx;
    this.datesExact = !createdDay.includes(-1) && !releasedDay.includes(-1);
  }

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
        `SELECT id, year, origin_id, classification, substr(created, 1, 7), ${day('created')}, ${day('released_at')}
         FROM cables`,
      )
      .raw()
      .iterate() as Iterable<
      [number, number | null, number | null, string | null, string | null, number, number]
    >) {
      const id = r[0];
      year[id] = r[1] ?? 0;
      origin[id] = r[2] ?? -1;
      cls[id] = dict(clsNames, clsIdx, r[3]);
      month[id] = dict(monthNames, monthIdx, r[4]);
      createdDay[id] = r[5];
      releasedDay[id] = r[6];
      exists[id] = 1;
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
      const counts = new Uint32Array(maxId + 1);
      for (let i = 0; i < n; i++) counts[ids[i]! + 1]!++;
      for (let i = 1; i <= maxId; i++) counts[i]! += counts[i - 1]!;
      const out = make(n);
      const fill = counts.slice(0, maxId);
      for (let i = 0; i < n; i++) out[fill[ids[i]!]!++] = vals[i]!;
      return [counts, out];
    };
    const [tagStart, tagIds] = csr(
      'SELECT cable_id, tag_id FROM cable_tags',
      (n) => new Int32Array(n),
      (v) => v as number,
    );
    const markNames = [''];
    const markIdx = new Map<string, number>();
    const [markStart, markIds] = hasMarkings
      ? csr(
          'SELECT cable_id, marking FROM search_markings',
          (n) => new Int32Array(n),
          (v) => dict(markNames, markIdx, v as string),
        )
      : [new Uint32Array(maxId + 1), new Int32Array(0)];
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
    );
  }

  count(ids: ArrayLike<number>): FacetCounts {
    // Plain counter arrays rather than Maps: ~10× faster; read through locals so that the loop
    // stays monomorphic.
    const yearN = new Uint32Array(this.maxYear + 1);
    const originN = new Uint32Array(this.originIds.length);
    const clsN = new Uint32Array(this.clsNames.length);
    const monthN = new Uint32Array(this.monthNames.length);
    const tagN = new Uint32Array(this.maxTag + 1);
    const markN = new Uint32Array(this.markNames.length);
    const { meta, slots, tagIds, markIds, tagStart, markStart, n } = this;
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
    for (let i = 1; i < originN.length; i++) if (originN[i]) origins.set(this.originIds[i]!, originN[i]!);
    return {
      year: byIndex(yearN, 1),
      origin: origins,
      classification: named(this.clsNames, clsN),
      month: named(this.monthNames, monthN),
      tag: byIndex(tagN),
      marking: named(this.markNames, markN),
    };
  }

  /** Whether every date is a day this index can compare (else date ranges stay in SQL). */
  readonly datesExact: boolean;

  /**
   * The cables that pass `f`: of `ids` when given (in their order), else of the whole archive
   * (ascending; `skip[id]` set excludes a cable). Null when the index cannot decide (a date
   * that is not a day) or when an id lies beyond it (written after it was loaded).
   */
  filter(f: ColumnFilter, ids: ArrayLike<number> | null, skip: Uint8Array | null = null): number[] | null {
    if ((f.created.length || f.released.length) && !this.datesExact) return null;
    const { meta, n, createdDay, releasedDay } = this;
    const yearOk = new Uint8Array(this.maxYear + 1);
    yearOk.fill(1);
    for (const r of f.years)
      for (let y = 0; y <= this.maxYear; y++) if (!inRange(y || null, r)) yearOk[y] = 0;
    const originOk = new Uint8Array(this.originIds.length).fill(1);
    for (const list of f.origins) {
      const allowed = new Set(list.map((o) => this.originIdx.get(o) ?? -1));
      for (let i = 0; i < originOk.length; i++) if (!allowed.has(i)) originOk[i] = 0;
    }
    const clsOk = new Uint8Array(this.clsNames.length).fill(1);
    for (const list of f.classifications) {
      const allowed = new Set(list);
      for (let i = 0; i < clsOk.length; i++) if (i === 0 || !allowed.has(this.clsNames[i]!)) clsOk[i] = 0;
    }
    // Ranges on one column intersect; a missing date (0) is below every lower bound (≥ 1).
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
    const ok = (id: number) => {
      const b = id * WORDS;
      const a = meta[b]!;
      const c = createdDay[id]!;
      const r = releasedDay[id]!;
      return (
        yearOk[a & 0xffff] === 1 &&
        clsOk[a >>> 16] === 1 &&
        originOk[meta[b + 1]! & 0xffff] === 1 &&
        c >= cLo &&
        c < cHi &&
        r >= rLo &&
        r < rHi
      );
    };
    const out: number[] = [];
    if (ids) {
      for (let k = 0; k < ids.length; k++) {
        const id = ids[k]!;
        if (id < 0 || id >= n) return null;
        if (ok(id)) out.push(id);
      }
    } else {
      for (let id = 1; id < n; id++) if (!skip?.[id] && this.exists[id] && ok(id)) out.push(id);
    }
    return out;
  }

  private readonly originIdx: Map<number, number>;
  private readonly tagStart: Uint32Array;
  private readonly markStart: Uint32Array;
  private readonly maxYear: number;
  private readonly maxTag: number;
}

/** `v` within `[from, to)` as SQL compares it: a NULL (null) is in no range. */
function inRange(v: number | null, r: { from: number | null; to: number | null }): boolean {
  if (v === null) return false;
  return (r.from === null || v >= r.from) && (r.to === null || v < r.to);
}
