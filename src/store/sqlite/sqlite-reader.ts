import { basename } from 'node:path';
import type Database from 'better-sqlite3';
import { isPublic, notPublicWhere, nowParam, publicWhere } from '../../release/visibility.js';
import { decodeParsed } from '../codec.js';
import { slugify } from '../slug.js';
import type {
  ArchiveReader,
  CableDetail,
  CableLookup,
  CablePageLookup,
  CableSummary,
  ChartData,
  ClassificationEntry,
  Counts,
  Listing,
  ListingKind,
  ListingQuery,
  MonthDays,
  Neighbours,
  OriginEntry,
  ResolvedReference,
  SortKey,
  TagEntry,
  VersionText,
  YearMonths,
} from '../types.js';
import { openReadonly } from './sqlite-store.js';

export interface ReaderOptions {
  /** The clock deciding what is released (tests move it). */
  clock?: () => Date;
  /** SQLite page cache of the connection, in KiB. */
  cacheKiB?: number;
}

interface PublicRow {
  rowid: number;
  origin_id: number | null;
  created: string | null;
}

interface SummaryRow {
  id: string;
  subject: string;
  created: string | null;
  released: string;
  classification: string | null;
  origin: string | null;
  origin_slug: string | null;
}

const P = publicWhere('c');
const SUMMARY = `c.canonical_id AS id, c.subject, c.created, c.released_at AS released, c.classification,
  o.name AS origin, o.slug AS origin_slug`;
const FROM = 'cables c LEFT JOIN origins o ON o.id = c.origin_id';

/** A reference with its target's summary columns (all null when no cable is found). */
type RefRow = SummaryRow & { kind: string; bullet: string | null; value: string; target: string | null };
type RefTuple = [
  string,
  string | null,
  string,
  string | null,
  string | null,
  string,
  string | null,
  string,
  string | null,
  string | null,
  string | null,
];

function refRow(t: RefTuple): RefRow {
  const [kind, bullet, value, target, id, subject, created, released, classification, origin, slug] = t;
  return {
    kind,
    bullet,
    value,
    target,
    id,
    subject,
    created,
    released,
    classification,
    origin,
    origin_slug: slug,
  } as RefRow;
}

/** The columns of a cable found by `findCable`. */
interface CableRow extends SummaryRow {
  rowid: number;
  origin_id: number | null;
  reference_id: string;
  created_as_shown: string | null;
  parsed: Buffer;
  header: string;
  body: string;
  version_count: number;
  tags_json: string;
  paragraphs_json: string;
  aliases_json: string;
}

/**
 * What a cable page shows beside the cable (`c`), as ids or JSON: its references with their
 * targets (whose embargo is tested in JS, on their release time), the ids of up to `CITING` citing
 * cables (the embargo applied when their summaries are read), and its public neighbours from the
 * same origin in creation order (the embargo test kept off the index chooser, so the origin's
 * creation-order index is walked from this cable). `CITING` is a number written into the
 * statement: as a bound parameter, that LIMIT made the whole statement twice as slow.
 */
const P_X_UNINDEXED = unindexed(publicWhere('x'), 'x');
const PAGE_COLUMNS = `,
  (SELECT json_group_array(json_array(r.kind, r.bullet, r.value, r.target, t.canonical_id, t.subject, t.created,
      t.released_at, t.classification, o2.name, o2.slug) ORDER BY r.position)
     FROM refs r LEFT JOIN aliases a ON a.alias = r.target LEFT JOIN cables t ON t.id = a.cable_id
     LEFT JOIN origins o2 ON o2.id = t.origin_id WHERE r.cable_id = c.id) AS refs_json,
  (SELECT json_group_array(cid) FROM (SELECT DISTINCT r.cable_id AS cid FROM aliases a JOIN refs r ON r.target = a.alias
     WHERE a.cable_id = c.id AND r.cable_id <> c.id LIMIT CITING)) AS citing_json,
  (SELECT x.id FROM cables x WHERE x.origin_id = c.origin_id AND (x.created, x.id) < (c.created, c.id)
     AND ${P_X_UNINDEXED}
     ORDER BY x.created DESC, x.id DESC LIMIT 1) AS prev_id,
  (SELECT x.id FROM cables x WHERE x.origin_id = c.origin_id AND (x.created, x.id) > (c.created, c.id)
     AND ${P_X_UNINDEXED}
     ORDER BY x.created ASC, x.id ASC LIMIT 1) AS next_id`;

/** A public cable by canonical ID, with `PAGE_COLUMNS` or nothing in their place. */
const CABLE_SQL = `SELECT ${SUMMARY}, c.id AS rowid, c.origin_id, c.reference_id, c.created_as_shown, c.parsed,
    v.header, v.body,
    (SELECT count(*) FROM versions x WHERE x.cable_id = c.id) AS version_count,
    (SELECT json_group_array(json_array(name, kind)) FROM (SELECT t.name, t.kind
       FROM cable_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.cable_id = c.id ORDER BY ct.position)) AS tags_json,
    (SELECT json_group_array(json_array(number, marking, start, "end")) FROM (SELECT number, marking, start, "end"
       FROM paragraphs p WHERE p.cable_id = c.id ORDER BY p.position)) AS paragraphs_json,
    (SELECT json_group_array(alias) FROM (SELECT a.alias
       FROM aliases a WHERE a.cable_id = c.id AND a.alias <> c.canonical_id ORDER BY a.alias)) AS aliases_json
    PAGE_COLUMNS
  FROM ${FROM} JOIN versions v ON v.id = c.version_id WHERE c.canonical_id = @id AND ${P}`;

interface PageColumns {
  refs_json: string;
  citing_json: string;
  prev_id: number | null;
  next_id: number | null;
}

/** Where each listing kind selects its cables; `@key` is the listing key, `@hi` an upper bound. */
const LISTING_WHERE: Record<ListingKind, string> = {
  reldate: 'c.released_at >= @key AND c.released_at < @hi',
  date: 'c.created >= @key AND c.created < @hi',
  origin: 'c.origin_id = (SELECT id FROM origins WHERE slug = @key)',
  tag: 'c.id IN (SELECT cable_id FROM cable_tags WHERE tag_id = (SELECT id FROM tags WHERE name = @key))',
  classification: 'c.classification = @key',
};

const MAX_MEMO = 20_000;
/** The sort orders a listing kind's own index gives (the `cables_*` listing indexes). */
const ORDERED_BY: Record<ListingKind, SortKey[]> = {
  reldate: ['released'],
  date: ['created'],
  origin: ['created', 'released'],
  classification: ['created', 'released'],
  tag: [],
};
/** Ids of listing orders kept (4 bytes each). */
const MAX_ORDER_IDS = 2_000_000;

/**
 * The embargo test with its column hidden from the index chooser (unary `+`), for walks that must
 * follow a sort-order index rather than a range of release times. Same rule as `publicWhere`.
 */
const P_UNINDEXED = unindexed(P);

function unindexed(where: string, alias = 'c'): string {
  const column = new RegExp(`(?<!\\+)\\b${alias}\\.(released_at|created|origin_id|classification)\\b`, 'g');
  return where.replace(column, `+${alias}.$1`);
}
/** The exact complement of `P`. */
const NOT_PUBLIC = notPublicWhere('c');
/** Has this cable (`c`) the tag `@tid`? One probe of `cable_tags_tag (tag_id, cable_id)`. */
const HAS_TAG = 'EXISTS (SELECT 1 FROM cable_tags ct WHERE ct.cable_id = c.id AND ct.tag_id = @tid)';
/** A walk step along an index costs about this fraction of a random row probe plus a sort share. */
const PROBE_COST = 3;

/** Slugs of classification markings: a handful of distinct values, slugified once each. */
const CLASS_SLUGS = new Map<string, string>();
function classSlug(name: string): string {
  let slug = CLASS_SLUGS.get(name);
  if (slug === undefined) {
    slug = slugify(name);
    if (CLASS_SLUGS.size < 1000) CLASS_SLUGS.set(name, slug);
  }
  return slug;
}

function summary(r: SummaryRow): CableSummary {
  return {
    id: r.id,
    subject: r.subject,
    created: r.created,
    released: r.released,
    classification: r.classification,
    classificationSlug: r.classification ? classSlug(r.classification) : null,
    origin: r.origin,
    originSlug: r.origin_slug,
  };
}

/** The day or month after `key` (`YYYY-MM-DD` / `YYYY-MM`), as the exclusive upper bound of a range. */
function nextKey(kind: ListingKind, key: string): string {
  if (kind === 'reldate') {
    const d = new Date(`${key}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + 1);
    return d.toISOString().slice(0, 10);
  }
  const [y, m] = key.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/**
 * The SQLite `ArchiveReader`: its own read-only connection, so it runs beside an ingest writing the
 * same WAL file. Aggregates (counts, calendars, indexes) are memoised under the public state: the
 * memo is dropped when another connection commits (`PRAGMA data_version`) or when the next
 * scheduled release time passes, so nothing is ever served stale.
 */
export class SqliteReader implements ArchiveReader {
  readonly db: Database.Database;
  private readonly clock: () => Date;
  private readonly memo = new Map<string, unknown>();
  private readonly stmts = new Map<string, Database.Statement>();
  /** `CABLE_SQL` by number of citing cables probed (0: without the page's parts). */
  private readonly cableStmts = new Map<number, Database.Statement>();
  /** `summariesById` by number of ids (powers of two). */
  private readonly summaryStmts = new Map<number, Database.Statement>();
  /** Listing orders known so far (`pageIds`), under the same public state as `memo`. */
  private readonly orders = new Map<string, { ids: Int32Array; complete: boolean }>();
  private orderIds = 0;
  private dataVersion = -1;
  private nextRelease: string | null = null;
  private generation = 0;

  constructor(file: string, opts: ReaderOptions = {}) {
    this.db = openReadonly(file);
    this.db.pragma('busy_timeout = 10000');
    // 32 MiB: the b-tree interior pages and hot index pages; leaves come from the OS page cache
    // (a pread each), which costs no process memory. No mmap: mapped pages count towards RSS and
    // measured no faster here.
    this.db.pragma(`cache_size = -${opts.cacheKiB ?? 32 * 1024}`);
    this.db.pragma('temp_store = MEMORY');
    this.db.pragma('mmap_size = 0');
    this.clock = opts.clock ?? (() => new Date());
  }

  private st(sql: string): Database.Statement {
    let s = this.stmts.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.stmts.set(sql, s);
    }
    return s;
  }

  private now(): string {
    return nowParam(this.clock());
  }

  /** Drops the memo when the public state may have changed; returns the current generation. */
  private refresh(): number {
    const dv = this.st('PRAGMA data_version').pluck().get() as number;
    const now = this.now();
    if (dv !== this.dataVersion || (this.nextRelease !== null && now >= this.nextRelease)) {
      this.dataVersion = dv;
      this.nextRelease =
        (this.st('SELECT min(released_at) FROM cables WHERE released_at > @now').pluck().get({ now }) as
          | string
          | null) ?? null;
      this.memo.clear();
      this.orders.clear();
      this.orderIds = 0;
      this.generation++;
    }
    return this.generation;
  }

  private memoise<T>(key: string, fn: () => T): T {
    this.refresh();
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const v = fn();
    if (this.memo.size >= MAX_MEMO) this.memo.clear();
    this.memo.set(key, v);
    return v;
  }

  async stateKey(): Promise<string> {
    return `${this.refresh()}`;
  }

  async counts(): Promise<Counts> {
    return this.countsSync();
  }

  async listing(q: ListingQuery): Promise<Listing> {
    if (q.kind === 'tag') return this.tagListing(q);
    const where = LISTING_WHERE[q.kind];
    const params: Record<string, unknown> = { now: this.now(), key: q.key };
    if (q.kind === 'reldate' || q.kind === 'date') params['hi'] = nextKey(q.kind, q.key);
    if (q.kind === 'classification') {
      const cl = (await this.classifications()).find((x) => x.slug === q.key);
      if (!cl) return { total: 0, rows: [] };
      params['key'] = cl.name;
    }
    const total = this.listingCount(q.kind, params['key'] as string);
    if (total === 0) return { total, rows: [] };
    const col = q.sort === 'created' ? 'c.created' : 'c.released_at';
    const dir = q.dir === 'asc' ? 'ASC' : 'DESC';
    const released = this.countsSync().released;
    const ids = this.pageIds(`${q.kind}:${params['key']}:${q.sort}:${q.dir}`, total, q, (offset, limit) => {
      const run = (sql: string, lim: number) =>
        this.st(
          `SELECT c.id FROM cables c WHERE ${sql} ORDER BY ${col} ${dir}, c.id ${dir} LIMIT @limit OFFSET @offset`,
        )
          .pluck()
          .all({ ...params, limit: lim, offset }) as number[];
      // The key's own index already in the page's order: read from where the page starts.
      if (ORDERED_BY[q.kind].includes(q.sort))
        return run(`${where} AND ${q.kind === 'reldate' ? P : P_UNINDEXED}`, limit);
      // Otherwise either walk the sort order's index, testing each cable for the key, until the
      // page is full; or gather the key's cables by its index and sort them. The planner cannot
      // tell which is cheaper (it does not know how many cables a key has), the count can: a big
      // listing's early pages walk, a small listing or a deep page gathers. A month always
      // gathers: it holds a few thousand cables, read from a covering index, while a walk that
      // assumes its cables spread evenly over the release order may pass most of the archive
      // (cables ingested month by month are released in that order). A gather sorts the whole
      // key, so it returns the whole rest of the order. Unary `+` keeps an index out of a plan.
      const walk = q.kind !== 'date' && ((offset + limit) * released) / total < total * PROBE_COST;
      if (walk) return run(`${unindexed(where)} AND ${q.sort === 'released' ? P : P_UNINDEXED}`, limit);
      return run(`${where} AND ${q.kind === 'reldate' ? P : P_UNINDEXED}`, total - offset);
    });
    return { total, rows: this.summariesById(ids) };
  }

  /**
   * The ids of page `q.page` of a listing of `total` cables, from the memoised order of that
   * listing (`key`: kind, key, sort), extended by `fetch(offset, limit)` when the page lies beyond
   * what is known: a page ahead, then doubling, so paging through a listing costs about one walk
   * of it, not one per page (`fetch` may return more, up to the whole rest, when that costs it
   * nothing more). The memo is dropped with the public state, like the counts.
   */
  private pageIds(
    key: string,
    total: number,
    q: ListingQuery,
    fetch: (offset: number, limit: number) => number[],
  ): number[] {
    this.refresh();
    const offset = (q.page - 1) * q.pageSize;
    if (offset >= total) return [];
    const need = Math.min(offset + q.pageSize, total);
    let o = this.orders.get(key);
    if (o) {
      // Re-insert: the Map's order is the eviction order.
      this.orders.delete(key);
      this.orders.set(key, o);
    }
    if (!o || (!o.complete && o.ids.length < need)) {
      const have = o?.ids.length ?? 0;
      const want = Math.min(total, Math.max(need + q.pageSize, 2 * have));
      const more = fetch(have, want - have);
      const ids = new Int32Array(have + more.length);
      if (o) ids.set(o.ids);
      ids.set(more, have);
      if (o) this.orderIds -= o.ids.length;
      o = { ids, complete: more.length < want - have || ids.length >= total };
      this.orders.set(key, o);
      this.orderIds += ids.length;
      for (const [k, v] of this.orders) {
        if (this.orderIds <= MAX_ORDER_IDS || k === key) break;
        this.orders.delete(k);
        this.orderIds -= v.ids.length;
      }
    }
    return Array.from(o.ids.subarray(offset, offset + q.pageSize));
  }

  /**
   * Public cables of a listing key other than a tag, from the memoised aggregates the navigation
   * and the index pages are built from (same rule, same public state): a lookup, not a count.
   */
  private listingCount(kind: Exclude<ListingKind, 'tag'>, key: string): number {
    const counts = this.memoise('listingCounts', () => {
      const m = new Map<string, number>();
      for (const x of this.classificationsSync()) m.set(`classification:${x.name}`, x.count);
      for (const x of this.originsSync()) m.set(`origin:${x.slug}`, x.count);
      for (const y of this.creationCalendarSync())
        for (const x of y.months) m.set(`date:${x.month}`, x.count);
      for (const r of this.releaseCalendarSync()) for (const x of r.days) m.set(`reldate:${x.day}`, x.count);
      return m;
    });
    return counts.get(`${kind}:${key}`) ?? 0;
  }

  /** The tag's id and its number of public cables (distinct: a cable may list a tag twice). */
  private tagInfo(name: string): { id: number; name: string; kind: string; count: number } | null {
    return this.memoise(`tagInfo:${name}`, () => {
      const t = this.st('SELECT id, name, kind FROM tags WHERE name = ?').get(name) as
        | { id: number; name: string; kind: string }
        | undefined;
      if (!t) return null;
      const params = { tid: t.id, now: this.now() };
      const all = this.st('SELECT count(DISTINCT cable_id) FROM cable_tags WHERE tag_id = @tid')
        .pluck()
        .get(params) as number;
      const counts = this.countsSync();
      // Count from whichever side is smaller: the tag's cables joined to their release times, or
      // the not-yet-public cables (usually few, and found by the release-time index) subtracted.
      const count =
        counts.total - counts.released <= all
          ? all -
            (this.st(`SELECT count(*) FROM cables c WHERE ${NOT_PUBLIC} AND ${HAS_TAG}`)
              .pluck()
              .get(params) as number)
          : (this.st(`SELECT count(*) FROM cables c WHERE c.id IN
               (SELECT cable_id FROM cable_tags WHERE tag_id = @tid) AND ${P}`)
              .pluck()
              .get(params) as number);
      return { ...t, count };
    });
  }

  /**
   * A tag's page of cables. A common tag walks the sort-order index and probes each cable for the
   * tag, stopping after the page; a rare one gathers its few cables and sorts them. The cost model
   * picks whichever touches fewer rows for this page.
   */
  private async tagListing(q: ListingQuery): Promise<Listing> {
    const t = this.tagInfo(q.key);
    if (!t || t.count === 0) return { total: 0, rows: [] };
    const released = this.countsSync().released;
    const col = q.sort === 'created' ? 'c.created' : 'c.released_at';
    const dir = q.dir === 'asc' ? 'ASC' : 'DESC';
    const ids = this.pageIds(`tag:${t.name}:${q.sort}:${q.dir}`, t.count, q, (offset, limit) => {
      const walk = ((offset + limit) * released) / t.count < t.count * PROBE_COST;
      const sql = walk
        ? `SELECT c.id FROM cables c WHERE ${q.sort === 'created' ? P_UNINDEXED : P} AND ${HAS_TAG}
           ORDER BY ${col} ${dir}, c.id ${dir} LIMIT @limit OFFSET @offset`
        : `SELECT c.id FROM cables c WHERE c.id IN (SELECT cable_id FROM cable_tags WHERE tag_id = @tid) AND ${P}
           ORDER BY ${col} ${dir}, c.id ${dir} LIMIT @limit OFFSET @offset`;
      // A gather sorts all of the tag's cables: the whole rest of the order comes at no extra cost.
      return this.st(sql)
        .pluck()
        .all({ tid: t.id, now: this.now(), limit: walk ? limit : t.count - offset, offset }) as number[];
    });
    return { total: t.count, rows: this.summariesById(ids) };
  }

  /** Summaries of the given cables, in the given order. */
  private summariesById(ids: number[]): CableSummary[] {
    if (ids.length === 0) return [];
    // Rows as arrays and origins from memory: the rows are the cost of a listing page once its
    // order is known. One statement per power of two of ids, the list padded with an id no row has.
    let size = 8;
    while (size < ids.length) size *= 2;
    let st = this.summaryStmts.get(size);
    if (!st) {
      st = this.db
        .prepare(
          `SELECT c.id, c.canonical_id, c.subject, c.created, c.released_at, c.classification, c.origin_id
           FROM cables c WHERE c.id IN (${Array(size).fill('?').join(',')})`,
        )
        .raw();
      this.summaryStmts.set(size, st);
    }
    const args = ids.length === size ? ids : [...ids, ...Array<number>(size - ids.length).fill(-1)];
    const origins = this.originsById();
    const byId = new Map<number, CableSummary>();
    for (const r of st.all(args) as [
      number,
      string,
      string,
      string | null,
      string,
      string | null,
      number | null,
    ][]) {
      const o = r[6] === null ? undefined : origins.get(r[6]);
      byId.set(r[0], {
        id: r[1],
        subject: r[2],
        created: r[3],
        released: r[4],
        classification: r[5],
        classificationSlug: r[5] ? classSlug(r[5]) : null,
        origin: o?.name ?? null,
        originSlug: o?.slug ?? null,
      });
    }
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /** Every origin's name and slug by id (a few hundred rows). */
  private originsById(): Map<number, { name: string; slug: string }> {
    return this.memoise('originsById', () => {
      const rows = this.st('SELECT id, name, slug FROM origins').all() as {
        id: number;
        name: string;
        slug: string;
      }[];
      return new Map(rows.map((r) => [r.id, { name: r.name, slug: r.slug }]));
    });
  }

  private countsSync(): Counts {
    return this.memoise('counts', () => ({
      total: this.st('SELECT count(*) FROM cables').pluck().get() as number,
      released: this.st(`SELECT count(*) FROM cables c WHERE ${P}`)
        .pluck()
        .get({ now: this.now() }) as number,
    }));
  }

  async latest(limit: number, filter: { tag?: string; origin?: string } = {}): Promise<CableSummary[]> {
    if (filter.tag !== undefined) {
      const page = { kind: 'tag', key: filter.tag, sort: 'released', dir: 'desc', page: 1, pageSize: limit };
      return (await this.tagListing(page as ListingQuery)).rows;
    }
    let where = '1';
    const params: Record<string, unknown> = { now: this.now(), limit };
    if (filter.origin !== undefined) {
      where = LISTING_WHERE.origin;
      params['key'] = filter.origin;
    }
    const rows = this.st(
      `SELECT ${SUMMARY} FROM ${FROM} WHERE ${where} AND ${P}
       ORDER BY c.released_at DESC, c.id DESC LIMIT @limit`,
    ).all(params) as SummaryRow[];
    return rows.map(summary);
  }

  async releaseCalendar(): Promise<MonthDays[]> {
    return this.releaseCalendarSync();
  }

  private releaseCalendarSync(): MonthDays[] {
    return this.memoise('releaseCalendar', () => {
      const rows = this.st(
        `SELECT substr(c.released_at, 1, 10) AS day, count(*) AS n FROM cables c WHERE ${P}
         GROUP BY day ORDER BY day DESC`,
      ).all({ now: this.now() }) as { day: string; n: number }[];
      const out: MonthDays[] = [];
      for (const r of rows) {
        const month = r.day.slice(0, 7);
        let m = out[out.length - 1];
        if (!m || m.month !== month) {
          m = { month, count: 0, days: [] };
          out.push(m);
        }
        m.count += r.n;
        m.days.push({ day: r.day, count: r.n });
      }
      return out;
    });
  }

  async creationCalendar(): Promise<YearMonths[]> {
    return this.creationCalendarSync();
  }

  private creationCalendarSync(): YearMonths[] {
    return this.memoise('creationCalendar', () => {
      const rows = this.st(
        `SELECT substr(c.created, 1, 7) AS month, count(*) AS n FROM cables c
         WHERE c.created IS NOT NULL AND ${P} GROUP BY month ORDER BY month`,
      ).all({ now: this.now() }) as { month: string; n: number }[];
      const out: YearMonths[] = [];
      for (const r of rows) {
        const year = Number(r.month.slice(0, 4));
        let y = out[out.length - 1];
        if (!y || y.year !== year) {
          y = { year, count: 0, months: [] };
          out.push(y);
        }
        y.count += r.n;
        y.months.push({ month: r.month, count: r.n });
      }
      return out;
    });
  }

  async origins(): Promise<OriginEntry[]> {
    return this.originsSync();
  }

  private originsSync(): OriginEntry[] {
    return this.memoise('origins', () =>
      this.st(
        `SELECT o.name, o.slug, n AS count FROM
           (SELECT c.origin_id AS oid, count(*) AS n FROM cables c WHERE c.origin_id IS NOT NULL AND ${P}
            GROUP BY c.origin_id)
         JOIN origins o ON o.id = oid ORDER BY o.name COLLATE NOCASE`,
      ).all({ now: this.now() }),
    ) as OriginEntry[];
  }

  async origin(slug: string): Promise<OriginEntry | null> {
    return (await this.origins()).find((o) => o.slug === slug) ?? null;
  }

  async tags(): Promise<TagEntry[]> {
    return this.memoise('tags', () => {
      const now = this.now();
      const counts = this.countsSync();
      // As for one tag: count from the tag index alone and subtract the not-yet-public cables when
      // they are the fewer; joining every tagging to its cable row costs seconds on a full archive.
      if (counts.total - counts.released > counts.released) {
        return this.st(
          `SELECT t.name, t.kind, n AS count FROM
             (SELECT ct.tag_id AS tid, count(DISTINCT ct.cable_id) AS n FROM cable_tags ct
              JOIN cables c ON c.id = ct.cable_id WHERE ${P} GROUP BY ct.tag_id)
           JOIN tags t ON t.id = tid ORDER BY t.name`,
        ).all({ now }) as TagEntry[];
      }
      const hidden = new Map(
        (
          this.st(
            // CROSS JOIN fixes the order: the few hidden cables first, then their tags.
            `SELECT ct.tag_id AS tid, count(DISTINCT ct.cable_id) AS n FROM cables c
             CROSS JOIN cable_tags ct ON ct.cable_id = c.id WHERE ${NOT_PUBLIC} GROUP BY ct.tag_id`,
          ).all({ now }) as { tid: number; n: number }[]
        ).map((r) => [r.tid, r.n]),
      );
      const all = this.st(
        `SELECT t.id, t.name, t.kind, n FROM
           (SELECT tag_id AS tid, count(DISTINCT cable_id) AS n FROM cable_tags GROUP BY tag_id)
         JOIN tags t ON t.id = tid ORDER BY t.name`,
      ).all() as { id: number; name: string; kind: string; n: number }[];
      return all.flatMap((t) => {
        const count = t.n - (hidden.get(t.id) ?? 0);
        return count > 0 ? [{ name: t.name, kind: t.kind, count }] : [];
      });
    });
  }

  async tag(name: string): Promise<TagEntry | null> {
    const t = this.tagInfo(name);
    return t && t.count > 0 ? { name: t.name, kind: t.kind, count: t.count } : null;
  }

  async classifications(): Promise<ClassificationEntry[]> {
    return this.classificationsSync();
  }

  private classificationsSync(): ClassificationEntry[] {
    return this.memoise('classifications', () =>
      (
        this.st(
          `SELECT c.classification AS name, count(*) AS count FROM cables c
           WHERE c.classification IS NOT NULL AND ${P} GROUP BY c.classification ORDER BY count DESC`,
        ).all({ now: this.now() }) as { name: string; count: number }[]
      ).map((r) => ({ ...r, slug: slugify(r.name) })),
    );
  }

  async cable(id: string): Promise<CableLookup> {
    const f = this.findCable(id, this.clock(), 0);
    return f.kind === 'found' ? { kind: 'found', cable: f.cable } : f;
  }

  async cablePage(id: string, citedByLimit: number): Promise<CablePageLookup> {
    const clock = this.clock();
    // One citing cable more than shown tells whether there are more than shown.
    const f = this.findCable(id, clock, citedByLimit + 1);
    if (f.kind !== 'found') return f;
    const row = f.row as CableRow & PageColumns;
    const now = nowParam(clock);
    // Neighbours and citing cables came as ids; their summaries are one more statement. The
    // citing ids are those of any cable, so the embargo is applied there.
    const citing = JSON.parse(row.citing_json) as number[];
    const heavy = citing.length > citedByLimit;
    const want = [row.prev_id, row.next_id, ...(heavy ? [] : citing)].filter((x): x is number => x !== null);
    const byId = this.publicSummaries(want, now);
    const one = (rid: number | null) => (rid === null ? null : (byId.get(rid) ?? null));
    let citedBy: { total: number; rows: CableSummary[] };
    if (heavy) citedBy = this.citedByOf(row.rowid, citedByLimit, now);
    else {
      const rows = citing.flatMap((x) => byId.get(x) ?? []);
      // As ORDER BY c.created DESC, c.id DESC: a cable without a creation time last.
      rows.sort((a, b) =>
        a.created === b.created
          ? b.rowid - a.rowid
          : a.created === null
            ? 1
            : b.created === null || a.created > b.created
              ? -1
              : 1,
      );
      citedBy = { total: rows.length, rows: rows.map(summary) };
    }
    const prev = one(row.prev_id);
    const next = one(row.next_id);
    return {
      kind: 'found',
      cable: f.cable,
      references: this.resolveReferences(
        (JSON.parse(row.refs_json) as RefTuple[]).map(refRow),
        clock,
        () => `${row.header}\n${row.body}`,
      ),
      citedBy,
      neighbours: { previous: prev ? summary(prev) : null, next: next ? summary(next) : null },
    };
  }

  /**
   * A public cable by canonical ID, or the public cable it is an alias of. Tags, paragraphs and
   * aliases come in the same statement, as JSON; with `citing`, so do the ids of what its page shows
   * beside it (`PAGE_COLUMNS`): one statement instead of one per part, each part still an index
   * probe.
   */
  private findCable(
    id: string,
    clock: Date,
    /** Citing cables to list with the page's parts; 0: the cable alone. */
    citing: number,
  ): { kind: 'found'; cable: CableDetail; row: CableRow } | Exclude<CableLookup, { kind: 'found' }> {
    const now = nowParam(clock);
    let st = this.cableStmts.get(citing);
    if (!st) {
      st = this.db.prepare(
        CABLE_SQL.replace(
          'PAGE_COLUMNS',
          citing ? PAGE_COLUMNS.replace('CITING', String(Math.trunc(citing))) : '',
        ),
      );
      this.cableStmts.set(citing, st);
    }
    const row = st.get({ id, now }) as CableRow | undefined;
    if (!row) {
      const alias = this.st(
        `SELECT c.canonical_id AS id, c.created FROM aliases a JOIN cables c ON c.id = a.cable_id
         WHERE a.alias = @id AND ${P}`,
      ).get({ id, now }) as { id: string; created: string | null } | undefined;
      return alias ? { kind: 'redirect', id: alias.id, created: alias.created } : { kind: 'missing' };
    }
    const parsed = decodeParsed(row.parsed) as {
      dtg?: { text: string; utc: string | null } | null;
      flags?: string[];
      redactions?: { start: number; end: number }[];
    };
    const cable: CableDetail = {
      ...summary(row),
      referenceId: row.reference_id,
      createdAsShown: row.created_as_shown,
      dtg: parsed.dtg ?? null,
      header: row.header,
      body: row.body,
      tags: (JSON.parse(row.tags_json) as [string, string][]).map(([name, kind]) => ({ name, kind })),
      paragraphs: (JSON.parse(row.paragraphs_json) as [number, string | null, number, number][]).map(
        ([number, marking, start, end]) => ({ number, marking, start, end }),
      ),
      flags: parsed.flags ?? [],
      redactions: parsed.redactions ?? [],
      aliases: JSON.parse(row.aliases_json) as string[],
      versionCount: row.version_count,
    };
    return { kind: 'found', cable, row };
  }

  /** Summaries of those of the given cables that are public now, by row id. */
  private publicSummaries(ids: number[], now: string): Map<number, SummaryRow & { rowid: number }> {
    if (ids.length === 0) return new Map();
    const rows = this.st(
      `SELECT c.id AS rowid, ${SUMMARY} FROM ${FROM} WHERE c.id IN (SELECT value FROM json_each(@ids)) AND ${P}`,
    ).all({ ids: JSON.stringify(ids), now }) as (SummaryRow & { rowid: number })[];
    return new Map(rows.map((r) => [r.rowid, r]));
  }

  /** Row id, origin and creation time of a public cable. */
  private publicRow(id: string): PublicRow | null {
    return (
      (this.st(
        `SELECT c.id AS rowid, c.origin_id, c.created FROM cables c WHERE c.canonical_id = @id AND ${P}`,
      ).get({
        id,
        now: this.now(),
      }) as PublicRow | undefined) ?? null
    );
  }

  // The embargo test is kept off the index chooser: walking the origin in creation order from this
  // cable finds its neighbour at once, while an origin's release range must be read and sorted whole.
  async neighbours(id: string): Promise<Neighbours> {
    const r = this.publicRow(id);
    return r ? this.neighboursOf(r, this.now()) : { previous: null, next: null };
  }

  private neighboursOf(r: PublicRow, now: string): Neighbours {
    if (r.origin_id === null || r.created === null) return { previous: null, next: null };
    const params = { o: r.origin_id, cr: r.created, rid: r.rowid, now };
    const prev = this.st(
      `SELECT ${SUMMARY} FROM ${FROM} WHERE c.origin_id = @o AND (c.created, c.id) < (@cr, @rid) AND ${P_UNINDEXED}
       ORDER BY c.created DESC, c.id DESC LIMIT 1`,
    ).get(params) as SummaryRow | undefined;
    const next = this.st(
      `SELECT ${SUMMARY} FROM ${FROM} WHERE c.origin_id = @o AND (c.created, c.id) > (@cr, @rid) AND ${P_UNINDEXED}
       ORDER BY c.created ASC, c.id ASC LIMIT 1`,
    ).get(params) as SummaryRow | undefined;
    return { previous: prev ? summary(prev) : null, next: next ? summary(next) : null };
  }

  async citedBy(id: string, limit: number): Promise<{ total: number; rows: CableSummary[] }> {
    const r = this.publicRow(id);
    return r ? this.citedByOf(r.rowid, limit, this.now()) : { total: 0, rows: [] };
  }

  private citedByOf(rowid: number, limit: number, now: string): { total: number; rows: CableSummary[] } {
    // Most cables are cited by none or a few: their citing cables' ids come from two index probes,
    // and only those few rows are read. A much-cited cable is counted by a window over the same
    // rows before the LIMIT, in one statement.
    const citing = this.st(
      'SELECT DISTINCT r.cable_id FROM aliases a JOIN refs r ON r.target = a.alias WHERE a.cable_id = ? AND r.cable_id <> ?',
    )
      .pluck()
      .all(rowid, rowid) as number[];
    if (citing.length === 0) return { total: 0, rows: [] };
    if (citing.length <= limit) {
      const rows = this.st(
        `SELECT ${SUMMARY} FROM ${FROM} WHERE c.id IN (SELECT value FROM json_each(@ids)) AND ${P}
         ORDER BY c.created DESC, c.id DESC`,
      ).all({ ids: JSON.stringify(citing), now }) as SummaryRow[];
      return { total: rows.length, rows: rows.map(summary) };
    }
    const rows = this.st(
      `SELECT ${SUMMARY}, count(*) OVER () AS total FROM ${FROM}
       WHERE c.id IN (SELECT r.cable_id FROM aliases a JOIN refs r ON r.target = a.alias WHERE a.cable_id = @rid)
         AND c.id <> @rid AND ${P}
       ORDER BY c.created DESC, c.id DESC LIMIT @limit`,
    ).all({ rid: rowid, now, limit }) as (SummaryRow & { total: number })[];
    return { total: rows[0]?.total ?? 0, rows: rows.map(summary) };
  }

  async references(id: string): Promise<ResolvedReference[]> {
    const r = this.publicRow(id);
    return r ? this.referencesOf(r.rowid, this.clock()) : [];
  }

  private referencesOf(rowid: number, now: Date): ResolvedReference[] {
    const rows = this.st(
      `SELECT r.kind, r.bullet, r.value, r.target, ${SUMMARY} FROM refs r
       LEFT JOIN aliases a ON a.alias = r.target
       LEFT JOIN cables c ON c.id = a.cable_id LEFT JOIN origins o ON o.id = c.origin_id
       WHERE r.cable_id = ? ORDER BY r.position`,
    ).all(rowid) as RefRow[];
    return this.resolveReferences(
      rows,
      now,
      () =>
        this.st(
          'SELECT v.header || char(10) || v.body FROM cables c JOIN versions v ON v.id = c.version_id WHERE c.id = ?',
        )
          .pluck()
          .get(rowid) as string,
    );
  }

  /** The citing cable's references, each resolved against the archive as the public may see it. */
  private resolveReferences(rows: RefRow[], now: Date, citingText: () => string): ResolvedReference[] {
    let text: string | undefined;
    return rows.map((x): ResolvedReference => {
      const base = { kind: x.kind, bullet: x.bullet, value: x.value };
      if (x.target === null) return { ...base, status: 'none', target: null };
      if (x.id === null) return { ...base, status: 'absent', target: null };
      if (!isPublic(x.released, now)) {
        // A reference may come from the source's metadata rather than the cable's text; then its
        // value is the embargoed cable's ID, which the public must not learn from us.
        text ??= citingText();
        const value = text.includes(x.value) ? x.value : 'a cable not yet released';
        return { ...base, value, status: 'embargoed', target: null };
      }
      return { ...base, status: 'released', target: summary(x) };
    });
  }

  async versions(id: string): Promise<VersionText[]> {
    const r = this.publicRow(id);
    if (!r) return [];
    const cur = this.st('SELECT version_id FROM cables WHERE id = ?').pluck().get(r.rowid) as number;
    const rows = this.st(
      `SELECT id, hash, reference_id, header, body, source, source_time, ingested_at, variant
       FROM versions WHERE cable_id = ? ORDER BY id`,
    ).all(r.rowid) as {
      id: number;
      hash: string;
      reference_id: string;
      header: string;
      body: string;
      source: string;
      source_time: string | null;
      ingested_at: string;
      variant: number;
    }[];
    return rows.map((v, i) => ({
      number: i + 1,
      hash: v.hash,
      referenceId: v.reference_id,
      // The file name only: the ingest machine's directories are nobody's business.
      source: basename(v.source),
      sourceTime: v.source_time,
      ingestedAt: v.ingested_at,
      variant: v.variant === 1,
      current: v.id === cur,
      header: v.header,
      body: v.body,
    }));
  }

  async charts(): Promise<ChartData> {
    const releasesPerDay = (await this.releaseCalendar())
      .flatMap((m) => m.days)
      .sort((a, b) => (a.day < b.day ? -1 : 1));
    return this.memoise('charts', () => {
      const rows = this.st(
        `SELECT c.year, coalesce(c.classification, 'UNKNOWN') AS cl, count(*) AS n FROM cables c
         WHERE c.year IS NOT NULL AND ${P} GROUP BY c.year, cl ORDER BY c.year`,
      ).all({ now: this.now() }) as { year: number; cl: string; n: number }[];
      const totals = new Map<string, number>();
      for (const r of rows) totals.set(r.cl, (totals.get(r.cl) ?? 0) + r.n);
      const classifications = [...totals.keys()].sort((a, b) => totals.get(b)! - totals.get(a)!);
      const years: ChartData['years'] = [];
      for (const r of rows) {
        let y = years[years.length - 1];
        if (!y || y.year !== r.year) {
          y = { year: r.year, counts: classifications.map(() => 0) };
          years.push(y);
        }
        y.counts[classifications.indexOf(r.cl)] = r.n;
      }
      return { classifications, years, releasesPerDay };
    });
  }

  async cableIds(offset: number, limit: number) {
    return this.st(
      `SELECT c.canonical_id AS id, c.created, c.released_at AS released FROM cables c WHERE ${P}
       ORDER BY c.id LIMIT @limit OFFSET @offset`,
    ).all({ now: this.now(), limit, offset }) as { id: string; created: string | null; released: string }[];
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
