import { basename } from 'node:path';
import Database from 'better-sqlite3';
import { isPublic, nowParam, publicWhere } from '../../release/visibility.js';
import { decodeParsed } from '../codec.js';
import type {
  ArchiveReader,
  CableDetail,
  CableLookup,
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
  TagEntry,
  VersionText,
  YearMonths,
} from '../reader.js';
import { slugify } from '../slug.js';

export interface ReaderOptions {
  /** The clock deciding what is released (tests move it). */
  clock?: () => Date;
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

/** Where each listing kind selects its cables; `@key` is the listing key, `@hi` an upper bound. */
const LISTING_WHERE: Record<ListingKind, string> = {
  reldate: 'c.released_at >= @key AND c.released_at < @hi',
  date: 'c.created >= @key AND c.created < @hi',
  origin: 'c.origin_id = (SELECT id FROM origins WHERE slug = @key)',
  tag: 'c.id IN (SELECT cable_id FROM cable_tags WHERE tag_id = (SELECT id FROM tags WHERE name = @key))',
  classification: 'c.classification = @key',
};

const MAX_MEMO = 20_000;

/**
 * The embargo test with its column hidden from the index chooser (unary `+`), for walks that must
 * follow a sort-order index rather than a range of release times. Same rule as `publicWhere`.
 */
const P_UNINDEXED = unindexed(P);

function unindexed(where: string): string {
  return where.replace(/(?<!\+)\bc\.(released_at|created|origin_id|classification)\b/g, '+c.$1');
}
/** The exact complement of `P`, spelled as two index ranges (NULL, after now) the planner can use. */
const NOT_PUBLIC = '(c.released_at IS NULL OR c.released_at > @now)';
/** Has this cable (`c`) the tag `@tid`? One probe of `cable_tags_tag (tag_id, cable_id)`. */
const HAS_TAG = 'EXISTS (SELECT 1 FROM cable_tags ct WHERE ct.cable_id = c.id AND ct.tag_id = @tid)';
/** A walk step along an index costs about this fraction of a random row probe plus a sort share. */
const PROBE_COST = 3;

function summary(r: SummaryRow): CableSummary {
  return {
    id: r.id,
    subject: r.subject,
    created: r.created,
    released: r.released,
    classification: r.classification,
    classificationSlug: r.classification ? slugify(r.classification) : null,
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
  private dataVersion = -1;
  private nextRelease: string | null = null;
  private generation = 0;

  constructor(file: string, opts: ReaderOptions = {}) {
    this.db = new Database(file, { readonly: true, fileMustExist: true });
    this.db.pragma('busy_timeout = 10000');
    this.db.pragma('cache_size = -65536');
    this.db.pragma('temp_store = MEMORY');
    // Small on purpose: mapped pages count towards RSS, and the page cache serves the rest as well.
    this.db.pragma('mmap_size = 67108864');
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
    const total = this.memoise(`count:${q.kind}:${params['key']}`, () => {
      return this.st(`SELECT count(*) FROM cables c WHERE ${where} AND ${P}`).pluck().get(params) as number;
    });
    if (total === 0) return { total, rows: [] };
    const col = q.sort === 'created' ? 'c.created' : 'c.released_at';
    const dir = q.dir === 'asc' ? 'ASC' : 'DESC';
    const offset = (q.page - 1) * q.pageSize;
    // Either walk the sort order's index, testing each cable for the key, until the page is full;
    // or gather the key's cables by its index and sort them. The planner cannot tell which is
    // cheaper (it does not know how many cables a key has), the count can: a big listing's early
    // pages walk, a small listing or a deep page gathers. Unary `+` keeps an index out of a plan.
    const walk = ((offset + q.pageSize) * this.countsSync().released) / total < total * PROBE_COST;
    const pub = (walk ? q.sort === 'released' : q.kind === 'reldate') ? P : P_UNINDEXED;
    const sql = `SELECT c.id FROM cables c WHERE ${walk ? unindexed(where) : where} AND ${pub}
      ORDER BY ${col} ${dir}, c.id ${dir} LIMIT @limit OFFSET @offset`;
    // Ids first: the sort then carries narrow rows an index can supply, not thousands of wide
    // cable rows; only the page's rows are read in full.
    const ids = this.st(sql)
      .pluck()
      .all({ ...params, limit: q.pageSize, offset }) as number[];
    return { total, rows: this.summariesById(ids) };
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
    const offset = (q.page - 1) * q.pageSize;
    const col = q.sort === 'created' ? 'c.created' : 'c.released_at';
    const dir = q.dir === 'asc' ? 'ASC' : 'DESC';
    const walk = ((offset + q.pageSize) * released) / t.count < t.count * PROBE_COST;
    const sql = walk
      ? `SELECT c.id FROM cables c WHERE ${q.sort === 'created' ? P_UNINDEXED : P} AND ${HAS_TAG}
         ORDER BY ${col} ${dir}, c.id ${dir} LIMIT @limit OFFSET @offset`
      : `SELECT c.id FROM cables c WHERE c.id IN (SELECT cable_id FROM cable_tags WHERE tag_id = @tid) AND ${P}
         ORDER BY ${col} ${dir}, c.id ${dir} LIMIT @limit OFFSET @offset`;
    const ids = this.st(sql)
      .pluck()
      .all({ tid: t.id, now: this.now(), limit: q.pageSize, offset }) as number[];
    return { total: t.count, rows: this.summariesById(ids) };
  }

  /** Summaries of the given cables, in the given order. */
  private summariesById(ids: number[]): CableSummary[] {
    if (ids.length === 0) return [];
    const rows = this.st(
      `SELECT c.id AS rowid, ${SUMMARY} FROM ${FROM} WHERE c.id IN (SELECT value FROM json_each(@ids))`,
    ).all({ ids: JSON.stringify(ids) }) as (SummaryRow & { rowid: number })[];
    const byId = new Map(rows.map((r) => [r.rowid, r]));
    return ids.flatMap((id) => {
      const r = byId.get(id);
      return r ? [summary(r)] : [];
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
    const now = this.now();
    const row = this.st(
      `SELECT ${SUMMARY}, c.id AS rowid, c.reference_id, c.created_as_shown, c.parsed, v.header, v.body,
         (SELECT count(*) FROM versions x WHERE x.cable_id = c.id) AS version_count
       FROM ${FROM} JOIN versions v ON v.id = c.version_id WHERE c.canonical_id = @id AND ${P}`,
    ).get({ id, now }) as
      | (SummaryRow & {
          rowid: number;
          reference_id: string;
          created_as_shown: string | null;
          parsed: Buffer;
          header: string;
          body: string;
          version_count: number;
        })
      | undefined;
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
      tags: this.st(
        'SELECT t.name, t.kind FROM cable_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.cable_id = ? ORDER BY ct.position',
      ).all(row.rowid) as { name: string; kind: string }[],
      paragraphs: this.st(
        'SELECT number, marking, start, "end" FROM paragraphs WHERE cable_id = ? ORDER BY position',
      ).all(row.rowid) as CableDetail['paragraphs'],
      flags: parsed.flags ?? [],
      redactions: parsed.redactions ?? [],
      aliases: this.st('SELECT alias FROM aliases WHERE cable_id = ? AND alias <> ? ORDER BY alias')
        .pluck()
        .all(row.rowid, row.id) as string[],
      versionCount: row.version_count,
    };
    return { kind: 'found', cable };
  }

  /** Row id, origin and creation time of a public cable. */
  private publicRow(id: string): { rowid: number; origin_id: number | null; created: string | null } | null {
    return (
      (this.st(
        `SELECT c.id AS rowid, c.origin_id, c.created FROM cables c WHERE c.canonical_id = @id AND ${P}`,
      ).get({
        id,
        now: this.now(),
      }) as { rowid: number; origin_id: number | null; created: string | null } | undefined) ?? null
    );
  }

  // The embargo test is kept off the index chooser: walking the origin in creation order from this
  // cable finds its neighbour at once, while an origin's release range must be read and sorted whole.
  async neighbours(id: string): Promise<Neighbours> {
    const r = this.publicRow(id);
    if (!r || r.origin_id === null || r.created === null) return { previous: null, next: null };
    const params = { o: r.origin_id, cr: r.created, rid: r.rowid, now: this.now() };
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
    if (!r) return { total: 0, rows: [] };
    const citing = `c.id IN (SELECT r.cable_id FROM refs r WHERE r.target IN
      (SELECT alias FROM aliases WHERE cable_id = @rid)) AND c.id <> @rid AND ${P}`;
    const params = { rid: r.rowid, now: this.now(), limit };
    const total = this.st(`SELECT count(*) FROM cables c WHERE ${citing}`).pluck().get(params) as number;
    const rows = this.st(
      `SELECT ${SUMMARY} FROM ${FROM} WHERE ${citing} ORDER BY c.created DESC, c.id DESC LIMIT @limit`,
    ).all(params) as SummaryRow[];
    return { total, rows: rows.map(summary) };
  }

  async references(id: string): Promise<ResolvedReference[]> {
    const r = this.publicRow(id);
    if (!r) return [];
    const now = this.clock();
    const rows = this.st(
      `SELECT r.kind, r.bullet, r.value, r.target, ${SUMMARY} FROM refs r
       LEFT JOIN aliases a ON a.alias = r.target
       LEFT JOIN cables c ON c.id = a.cable_id LEFT JOIN origins o ON o.id = c.origin_id
       WHERE r.cable_id = ? ORDER BY r.position`,
    ).all(r.rowid) as (SummaryRow & {
      kind: string;
      bullet: string | null;
      value: string;
      target: string | null;
    })[];
    let text: string | undefined;
    return rows.map((x): ResolvedReference => {
      const base = { kind: x.kind, bullet: x.bullet, value: x.value };
      if (x.target === null) return { ...base, status: 'none', target: null };
      if (x.id === null) return { ...base, status: 'absent', target: null };
      if (!isPublic(x.released, now)) {
        // A reference may come from the source's metadata rather than the cable's text; then its
        // value is the embargoed cable's ID, which the public must not learn from us.
        text ??= this.st(
          'SELECT v.header || char(10) || v.body FROM cables c JOIN versions v ON v.id = c.version_id WHERE c.id = ?',
        )
          .pluck()
          .get(r.rowid) as string;
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
