/**
 * Search over the SQLite archive. A query runs as one pass over its matching public cables,
 * read from the narrow covering index `search_cables_cover` (joined to FTS5 when the query has
 * text): that pass yields the total, the sort keys, the bm25 scores and the exact year / origin /
 * classification facets and histogram. The page is then sorted and cut in memory, so cursor
 * pagination has no cap. Tag and marking facets need one more lookup per hit; above
 * `FACET_EXACT_LIMIT` hits they are counted on an evenly spaced sample and scaled
 * (`facetsApproximate`), which bounds the cost of `tag:PGOV`-sized result sets.
 *
 * User text reaches FTS5 only through `ftsLeaf` (every token double-quoted) and SQL only as bound
 * parameters; the embargo test is `publicWhere` from src/release, applied in the single pass.
 */
import type Database from 'better-sqlite3';
import { canonicalizeId } from '../parse/ids.js';
import { nowParam, publicWhere } from '../release/visibility.js';
import { openDatabase } from '../store/sqlite/sqlite-store.js';
import type {
  ExportRow,
  Facets,
  FacetValue,
  SearchEngine,
  SearchHit,
  SearchOptions,
  SearchResult,
  SortOrder,
} from './engine.js';
import { formatQuery, ftsLeaf, ftsTokens, highlightTerms, parseQuery, type QueryNode } from './query.js';
import { normalizeMarking, updateSideIndex } from './side-index.js';

/** Weights of the FTS columns subject, tags, body for bm25. */
const BM25 = 'bm25(cable_fts, 10.0, 5.0, 1.0)';
export interface Tuning {
  /** Up to this many hits facets are exact; above, they are estimated from about `facetSample`. */
  facetExactLimit: number;
  facetSample: number;
  /** Up to this many hits a date-sorted page is cut from all hits sorted in memory. */
  materializeLimit: number;
}

export const DEFAULT_TUNING: Tuning = { facetExactLimit: 2000, facetSample: 1000, materializeLimit: 4000 };
const FACET_TOP = { tag: 40, origin: 40, marking: 30 };
const MAX_LIMIT = 1000;
const EXPORT_PAGE = 500;

interface Compiled {
  match: string | null;
  /** Conditions; `{id}` stands for the driving id expression, `c.` for the cable's row. */
  conds: string[];
  /** Some condition reads a column of `cables` (origin, classification, dates, year). */
  needsCables: boolean;
  /** Without a MATCH: a subquery of distinct cable ids (`SELECT … AS id …`) to drive the scan. */
  driver: string | null;
  params: Record<string, unknown>;
  /** FTS expression of every positive text term, for snippets. */
  highlight: string | null;
  messages: string[];
}

/** How a compiled query is scanned: FROM clause, the id expression and the WHERE terms. */
interface Plan {
  from: string;
  id: string;
  where: string[];
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;',
  );
}

const MARK_OPEN = '\uE000';
const MARK_CLOSE = '\uE001';

function markToHtml(s: string): string {
  return escapeHtml(s.replace(/\s+/g, ' ').trim())
    .replace(/\uE000/g, '<mark>')
    .replace(/\uE001/g, '</mark>');
}

/** `2009` → `2010`, `2009-12` → `2010-01`, `2009-06-30` → `2009-07-01`: the exclusive upper bound. */
export function dateSuccessor(d: string): string {
  const [y, m, day] = d.split('-').map(Number) as [number, number | undefined, number | undefined];
  if (m === undefined) return String(y + 1).padStart(4, '0');
  if (day === undefined) return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return new Date(Date.UTC(y, m - 1, day + 1)).toISOString().slice(0, 10);
}

const CLASS_ALIASES: Record<string, string> = {
  NF: 'NOFORN',
  FOUO: 'FOR OFFICIAL USE ONLY',
  S: 'SECRET',
  C: 'CONFIDENTIAL',
  U: 'UNCLASSIFIED',
  SBU: 'SENSITIVE BUT UNCLASSIFIED',
};

function encodeCursor(key: string | number | null, id: number): string {
  return Buffer.from(JSON.stringify([key, id])).toString('base64url');
}

function decodeCursor(c: string): [string | number | null, number] | null {
  try {
    const v = JSON.parse(Buffer.from(c, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(v) &&
      v.length === 2 &&
      (typeof v[0] === 'string' || typeof v[0] === 'number' || v[0] === null) &&
      Number.isInteger(v[1])
    ) {
      return [v[0], v[1]];
    }
  } catch {
    // fall through: a bad cursor restarts at the first page
  }
  return null;
}

export class SqliteSearch implements SearchEngine {
  private readonly hasSide: boolean;
  private readonly hasCover: boolean;
  private origins: { at: number; byId: Map<number, { name: string; slug: string }> } | null = null;
  private embargo: {
    dataVersion: number;
    from: string;
    until: string | null;
    any: boolean;
    everything?: ReturnType<SqliteSearch['facets']>;
  } | null = null;
  private readonly indexes = new Map<string, boolean>();
  private classes: { dataVersion: number; values: string[] } | null = null;

  private readonly tuning: Tuning;

  constructor(
    readonly db: Database.Database,
    private readonly ownsDb = false,
    tuning: Partial<Tuning> = {},
  ) {
    this.tuning = { ...DEFAULT_TUNING, ...tuning };
    const has = (type: string, name: string) =>
      db.prepare('SELECT 1 FROM sqlite_master WHERE type = ? AND name = ?').get(type, name) !== undefined;
    this.hasSide = has('table', 'search_indexed');
    this.hasCover = has('index', 'search_cables_cover');
  }

  /**
   * Opens an archive for searching. A writable open upgrades the schema and brings the search
   * side index up to date first; a read-only file is searched as it is.
   */
  static open(file: string, opts: { readonly?: boolean; tuning?: Partial<Tuning> } = {}): SqliteSearch {
    if (!opts.readonly) {
      try {
        const db = openDatabase(file);
        updateSideIndex(db);
        // Planner statistics (cheap with a sampling limit): which index suits a condition depends on them.
        db.pragma('analysis_limit = 1000');
        db.pragma('optimize = 0x10002');
        return new SqliteSearch(db, true, opts.tuning);
      } catch (e) {
        if (!/readonly|read-only|EACCES|EROFS/i.test(String((e as Error).message))) throw e;
      }
    }
    return new SqliteSearch(openDatabase(file, { readonly: true }), true, opts.tuning);
  }

  async close(): Promise<void> {
    if (this.ownsDb && this.db.open) this.db.close();
  }

  private originMap(): Map<number, { name: string; slug: string }> {
    // Origins only change with an ingest; a minute's staleness costs nothing.
    if (!this.origins || Date.now() - this.origins.at > 60_000) {
      const byId = new Map<number, { name: string; slug: string }>();
      for (const r of this.db.prepare('SELECT id, name, slug FROM origins').all() as {
        id: number;
        name: string;
        slug: string;
      }[]) {
        byId.set(r.id, { name: r.name, slug: r.slug });
      }
      this.origins = { at: Date.now(), byId };
    }
    return this.origins.byId;
  }

  /** The archive's distinct classifications (a handful), re-read when the data changes. */
  private classifications(): string[] {
    const dv = this.db.pragma('data_version', { simple: true }) as number;
    if (!this.classes || this.classes.dataVersion !== dv) {
      const values = this.db
        .prepare('SELECT DISTINCT classification FROM cables WHERE classification IS NOT NULL')
        .pluck()
        .all() as string[];
      this.classes = { dataVersion: dv, values };
    }
    return this.classes.values;
  }

  // -------------------------------------------------------------------------------------------
  // Compilation of the AST to one FTS5 MATCH string plus SQL conditions

  private compile(ast: QueryNode | null): Compiled {
    const out: Compiled = {
      match: null,
      conds: [],
      needsCables: false,
      driver: null,
      params: {},
      highlight: null,
      messages: [],
    };
    if (!ast) return out;
    const conj = ast.kind === 'and' ? ast.children : [ast];
    const pos: string[] = [];
    const neg: string[] = [];
    const rest: QueryNode[] = [];
    for (const n of conj) {
      if (n.kind === 'not') {
        const e = ftsExpr(n.child);
        if (e) neg.push(e);
        else rest.push(n);
      } else {
        const e = ftsExpr(n);
        if (e) pos.push(e);
        else rest.push(n);
      }
    }
    if (pos.length > 0) {
      let m = pos.length === 1 ? pos[0]! : pos.map((p) => `(${p})`).join(' AND ');
      if (neg.length > 0) m = `(${m}) NOT (${neg.map((x) => `(${x})`).join(' OR ')})`;
      out.match = m;
    } else {
      for (const e of neg) out.conds.push(`NOT ${this.ftsIn(e, out)}`);
    }
    for (const n of rest) {
      // The first positive id-set filter (tag, marking, signer, to, id) drives a query with no text.
      if (!out.match && !out.driver && n.kind === 'filter' && n.field !== 'origin' && n.field !== 'classification') {
        const set = this.idSet(n.field, n.value, out);
        if (set) {
          out.driver = set;
          continue;
        }
      }
      out.conds.push(this.sqlOf(n, out));
    }
    const hl: string[] = [];
    const walk = (x: QueryNode, negated: boolean) => {
      if ((x.kind === 'word' || x.kind === 'phrase') && !negated) {
        const e = ftsLeaf(x.text, x.kind === 'word' && x.prefix, x.field);
        if (e) hl.push(`(${e})`);
      } else if (x.kind === 'not') walk(x.child, !negated);
      else if (x.kind === 'and' || x.kind === 'or') for (const c of x.children) walk(c, negated);
    };
    walk(ast, false);
    out.highlight = hl.length ? hl.join(' OR ') : null;
    return out;
  }

  private param(c: Compiled, v: unknown): string {
    const name = `p${Object.keys(c.params).length}`;
    c.params[name] = v;
    return `@${name}`;
  }

  private ftsIn(expr: string, c: Compiled): string {
    return `{id} IN (SELECT rowid FROM cable_fts WHERE cable_fts MATCH ${this.param(c, expr)})`;
  }

  private sqlOf(n: QueryNode, c: Compiled): string {
    const fe = n.kind === 'filter' || n.kind === 'range' ? null : ftsExpr(n);
    if (fe) return this.ftsIn(fe, c);
    switch (n.kind) {
      case 'word':
      case 'phrase':
        return '0';
      case 'and':
        return `(${n.children.map((x) => this.sqlOf(x, c)).join(' AND ')})`;
      case 'or':
        return `(${n.children.map((x) => this.sqlOf(x, c)).join(' OR ')})`;
      case 'not':
        return `NOT ${this.sqlOf(n.child, c)}`;
      case 'range': {
        c.needsCables = true;
        const col = n.field === 'created' ? 'c.created' : n.field === 'released' ? 'c.released_at' : 'c.year';
        const parts: string[] = [];
        if (n.field === 'year') {
          if (n.from) parts.push(`${col} >= ${this.param(c, Number(n.from))}`);
          if (n.to) parts.push(`${col} <= ${this.param(c, Number(n.to))}`);
        } else {
          if (n.from) parts.push(`${col} >= ${this.param(c, n.from)}`);
          if (n.to) parts.push(`${col} < ${this.param(c, dateSuccessor(n.to))}`);
        }
        return `(${parts.join(' AND ')})`;
      }
      case 'filter': {
        if (n.field === 'origin') {
          c.needsCables = true;
          const ids = this.originIds(n.value);
          if (ids.length === 0) c.messages.push(`origin:${n.value}: no such origin`);
          return ids.length ? `c.origin_id IN (${ids.join(',')})` : '0';
        }
        if (n.field === 'classification') {
          c.needsCables = true;
          const v = n.value.toUpperCase().replace(/\s+/g, ' ').trim();
          const want = CLASS_ALIASES[v] ?? v;
          // A part between `//` matches: `secret` finds SECRET and SECRET//NOFORN, `noforn` both NOFORNs.
          const values = this.classifications().filter(
            (x) => x.toUpperCase() === want || x.toUpperCase().split('//').includes(want),
          );
          if (values.length === 0) {
            c.messages.push(`classification:${n.value}: no such classification`);
            return '0';
          }
          return `c.classification IN (${values.map((x) => this.param(c, x)).join(', ')})`;
        }
        const set = this.idSet(n.field, n.value, c);
        return set ? `{id} IN (${set})` : '0';
      }
    }
  }

  /** A subquery of the distinct ids of cables matching an id-set filter, or null when none can. */
  private idSet(field: string, value: string, c: Compiled): string | null {
    switch (field) {
      case 'tag': {
        const ids = this.db
          .prepare('SELECT id FROM tags WHERE name = ? COLLATE NOCASE')
          .pluck()
          .all(value) as number[];
        if (ids.length === 0) return null;
        return `SELECT ${ids.length > 1 ? 'DISTINCT ' : ''}cable_id AS id FROM cable_tags WHERE tag_id IN (${ids.join(',')})`;
      }
      case 'marking':
        if (!this.hasSide) {
          c.messages.push('marking: is not indexed in this archive yet');
          return null;
        }
        return `SELECT cable_id AS id FROM search_markings WHERE marking = ${this.param(c, normalizeMarking(value))}`;
      case 'signer':
      case 'to': {
        if (!this.hasSide) {
          c.messages.push(`${field}: is not indexed in this archive yet`);
          return null;
        }
        const leaf = ftsLeaf(value, false, 'any');
        if (!leaf) return null;
        const col = field === 'signer' ? 'signers' : 'recipients';
        return `SELECT rowid AS id FROM search_people WHERE search_people MATCH ${this.param(c, `${col} : (${leaf})`)}`;
      }
      case 'id': {
        const v = value.trim().toUpperCase();
        const canon = canonicalizeId(v).toUpperCase();
        return `SELECT DISTINCT cable_id AS id FROM aliases WHERE alias IN (${this.param(c, v)}, ${this.param(c, canon)})`;
      }
      default:
        return null;
    }
  }

  /** An origin by exact name or slug; else every origin whose slug contains the words in order. */
  private originIds(value: string): number[] {
    const map = this.originMap();
    const v = value.toLowerCase();
    const slug = ftsTokens(value.normalize('NFKD').replace(/[\u0300-\u036f]/g, ''))
      .join('-')
      .toLowerCase();
    const exact = [...map].filter(([, o]) => o.name.toLowerCase() === v || o.slug === v || o.slug === slug);
    if (exact.length) return exact.map(([id]) => id);
    if (!slug) return [];
    return [...map].filter(([, o]) => `-${o.slug}-`.includes(`-${slug}-`)).map(([id]) => id);
  }

  // -------------------------------------------------------------------------------------------
  // The embargo: the ids that are not public at `now`, kept in a temporary table for as long as
  // neither the data (data_version) nor the set (the next release time) changes. The archive's
  // usual state has few or none, and then no query pays for the predicate at all.

  private embargoed(now: Date): boolean {
    const at = nowParam(now);
    const dv = this.db.pragma('data_version', { simple: true }) as number;
    const e = this.embargo;
    if (e && e.dataVersion === dv && at >= e.from && (e.until === null || at < e.until)) return e.any;
    this.db.exec('CREATE TEMP TABLE IF NOT EXISTS search_embargoed (id INTEGER PRIMARY KEY)');
    this.db.transaction(() => {
      this.db.exec('DELETE FROM temp.search_embargoed');
      this.db
        .prepare(`INSERT INTO temp.search_embargoed SELECT c.id FROM cables c WHERE NOT ${publicWhere('c')}`)
        .run({ now: at });
    })();
    const any = this.db.prepare('SELECT 1 FROM temp.search_embargoed LIMIT 1').get() !== undefined;
    const until = this.db
      .prepare('SELECT min(released_at) FROM cables WHERE released_at > @now')
      .pluck()
      .get({ now: at }) as string | null;
    this.embargo = { dataVersion: dv, from: at, until, any };
    return any;
  }

  /**
   * The scan of a query. Text drives it when there is text (bm25 needs the FTS cursor outermost);
   * else an id-set filter (`tag:`…) when no condition reads a cable column; else the cables table,
   * where SQLite picks the index of a column condition. Id-set conditions are written `+id IN (…)`
   * so that they are tested against a set built once, never used to drive lookups into FTS5 (one
   * MATCH per probe). With `cables`, the plan also reads the cable's columns, from the covering
   * index by id. `mod` keeps only ids that are multiples of it, tested before any row is read.
   */
  private plan(q: Compiled, now: Date, opts: { cables?: boolean; mod?: number } = {}): Plan {
    const cover = this.hasCover ? 'INDEXED BY search_cables_cover' : '';
    const mod = opts.mod && opts.mod > 1 ? opts.mod : 0;
    const embargoed = this.embargoed(now);
    const conds = (id: string) => {
      const w = q.conds.map((x) => x.replaceAll('{id}', `+${id}`));
      if (embargoed) w.push(`+${id} NOT IN (SELECT id FROM temp.search_embargoed)`);
      if (mod) w.push(`${id} % ${mod} = 0`);
      return w;
    };
    if (q.match) {
      const id = 'cable_fts.rowid';
      const join = q.needsCables || opts.cables ? ` JOIN cables c ${cover} ON c.id = ${id}` : '';
      return { from: `cable_fts${join}`, id, where: ['cable_fts MATCH @match', ...conds(id)] };
    }
    if (q.driver && !q.needsCables) {
      const join = opts.cables ? ` JOIN cables c ${cover} ON c.id = d.id` : '';
      return { from: `(${q.driver}) d${join}`, id: 'd.id', where: conds('d.id') };
    }
    const where = conds('c.id');
    if (q.driver) where.push(`+c.id IN (${q.driver})`);
    if (!opts.cables || where.length === 0) {
      return { from: where.length ? 'cables c' : `cables c ${cover}`, id: 'c.id', where };
    }
    // Select the ids through whichever index suits the conditions, then read the columns from the
    // covering index (MATERIALIZED keeps SQLite from merging the two and scanning the cover).
    return {
      from: `(WITH hits AS MATERIALIZED (SELECT c.id FROM cables c WHERE ${where.join(' AND ')})
              SELECT id FROM hits) d JOIN cables c ${cover} ON c.id = d.id`,
      id: 'd.id',
      where: [],
    };
  }

  private params(q: Compiled, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return q.match ? { ...q.params, match: q.match, ...extra } : { ...q.params, ...extra };
  }

  private count(q: Compiled, now: Date): number {
    const p = this.plan(q, now);
    const sql = `SELECT count(*) FROM ${p.from}${p.where.length ? ` WHERE ${p.where.join(' AND ')}` : ''}`;
    return this.db.prepare(sql).pluck().get(this.params(q)) as number;
  }

  /** One page in relevance order: `[id, bm25]` after the cursor's (score, id). */
  private rankedPage(q: Compiled, now: Date, limit: number, after: [number, number] | null): Row[] {
    const p = this.plan(q, now);
    const where = [...p.where];
    const extra: Record<string, unknown> = { lim: limit };
    if (after) {
      where.push(`(s > @ck OR (s = @ck AND ${p.id} > @ci))`);
      extra['ck'] = after[0];
      extra['ci'] = after[1];
    }
    const sql = `SELECT ${p.id}, ${BM25} AS s FROM ${p.from} WHERE ${where.join(' AND ')} ORDER BY s, ${p.id} LIMIT @lim`;
    return this.db.prepare(sql).raw().all(this.params(q, extra)) as Row[];
  }

  /** Every hit as `[id, key]`, for sorting in memory (small result sets, exports). */
  private allKeys(q: Compiled, now: Date, sort: SortOrder): Row[] {
    if (sort === 'relevance') {
      const p = this.plan(q, now);
      const sql = `SELECT ${p.id}, ${BM25} FROM ${p.from} WHERE ${p.where.join(' AND ')}`;
      return this.db.prepare(sql).raw().all(this.params(q)) as Row[];
    }
    const p = this.plan(q, now, { cables: true });
    const col = sort.endsWith('created') ? 'c.created' : 'c.released_at';
    const sql = `SELECT ${p.id}, ${col} FROM ${p.from}${p.where.length ? ` WHERE ${p.where.join(' AND ')}` : ''}`;
    return this.db.prepare(sql).raw().all(this.params(q)) as Row[];
  }

  /**
   * One page in date order for a large result set: walks the date index from the cursor and
   * tests each cable, so a page costs about limit ÷ selectivity index steps. Undated cables come
   * last in both directions, in a second phase.
   */
  private datePage(q: Compiled, now: Date, sort: SortOrder, limit: number, after: Row | null): Row[] {
    const created = sort.endsWith('created');
    const col = created ? 'c.created' : 'c.released_at';
    const index = created ? 'search_cables_by_created' : 'search_cables_by_released';
    const desc = sort.startsWith('-');
    const hint = this.hasIndex(index) ? `INDEXED BY ${index}` : '';
    const conds = q.conds.map((x) => x.replaceAll('{id}', '+c.id'));
    if (q.match) conds.push('+c.id IN (SELECT rowid FROM cable_fts WHERE cable_fts MATCH @match)');
    if (q.driver) conds.push(`+c.id IN (${q.driver})`);
    if (this.embargoed(now)) conds.push('+c.id NOT IN (SELECT id FROM temp.search_embargoed)');
    const out: Row[] = [];
    const inNulls = after !== null && after[1] === null;
    if (!inNulls) {
      const where = [`${col} IS NOT NULL`, ...conds];
      const extra: Record<string, unknown> = { lim: limit };
      if (after) {
        where.push(
          desc
            ? `${col} <= @ck AND (${col} < @ck OR c.id < @ci)`
            : `${col} >= @ck AND (${col} > @ck OR c.id > @ci)`,
        );
        extra['ck'] = after[1];
        extra['ci'] = after[0];
      }
      const dir = desc ? 'DESC' : 'ASC';
      const sql = `SELECT c.id, ${col} FROM cables c ${hint} WHERE ${where.join(' AND ')}
                   ORDER BY ${col} ${dir}, c.id ${dir} LIMIT @lim`;
      out.push(...(this.db.prepare(sql).raw().all(this.params(q, extra)) as Row[]));
    }
    if (out.length < limit) {
      const where = [`${col} IS NULL`, ...conds];
      const extra: Record<string, unknown> = { lim: limit - out.length };
      if (inNulls) {
        where.push(desc ? 'c.id < @ci' : 'c.id > @ci');
        extra['ci'] = after[0];
      }
      const sql = `SELECT c.id, NULL FROM cables c WHERE ${where.join(' AND ')}
                   ORDER BY c.id ${desc ? 'DESC' : 'ASC'} LIMIT @lim`;
      out.push(...(this.db.prepare(sql).raw().all(this.params(q, extra)) as Row[]));
    }
    return out;
  }

  private hasIndex(name: string): boolean {
    let v = this.indexes.get(name);
    if (v === undefined) {
      v = this.db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?`).get(name) !== undefined;
      this.indexes.set(name, v);
    }
    return v;
  }

  /** The FTS5 MATCH string and SQL conditions a query compiles to (benchmarks, debugging). */
  explain(query: string): { match: string | null; conds: string[]; driver: string | null } {
    const q = this.compile(parseQuery(query).ast);
    return { match: q.match, conds: q.conds, driver: q.driver };
  }

  async search(query: string, opts: SearchOptions = {}): Promise<SearchResult> {
    const parsed = parseQuery(query);
    const q = this.compile(parsed.ast);
    const messages = [...parsed.messages, ...q.messages];
    let sort: SortOrder = opts.sort ?? (q.match ? 'relevance' : '-created');
    if (sort === 'relevance' && !q.match) sort = '-created';
    const limit = Math.max(1, Math.min(MAX_LIMIT, Math.trunc(opts.limit ?? 20) || 20));
    const now = opts.now ?? new Date();
    const cursor = opts.cursor ? decodeCursor(opts.cursor) : null;
    if (opts.cursor && !cursor) messages.push('the page cursor was not understood: showing the first page');
    let total = 0;
    let page: Row[] = [];
    let facets: Facets | null = null;
    let approximate = false;
    let histogram: { month: string; count: number }[] = [];
    try {
      total = this.count(q, now);
      const after: Row | null = cursor ? [cursor[1], cursor[0] as Row[1]] : null;
      if (total === 0) page = [];
      else if (sort === 'relevance') {
        page = this.rankedPage(
          q,
          now,
          limit + 1,
          after && typeof after[1] === 'number' ? [after[1], after[0]] : null,
        );
      } else if (total <= this.tuning.materializeLimit) {
        const rows = this.allKeys(q, now, sort);
        rows.sort((a, b) => compareRows(a, b, sort));
        let start = 0;
        if (after) while (start < rows.length && compareRows(rows[start]!, after, sort) <= 0) start++;
        page = rows.slice(start, start + limit + 1);
      } else {
        page = this.datePage(q, now, sort, limit + 1, after);
      }
      if (opts.facets !== false && total > 0) {
        // The browse-everything page is the one query whose facets cover the whole archive: it
        // is kept for as long as the embargo state it was computed under.
        const e = this.embargo;
        const f =
          parsed.ast === null && e
            ? (e.everything ??= this.facets(q, now, total))
            : this.facets(q, now, total);
        facets = f.facets;
        approximate = f.approximate;
        histogram = f.histogram;
      } else if (opts.facets !== false) {
        facets = { tag: [], origin: [], classification: [], year: [], marking: [] };
      }
    } catch (e) {
      // The compiled SQL only ever contains quoted terms and bound values; should FTS5 still
      // refuse an expression, answer with a message rather than an error page.
      messages.push(`the query could not be run (${(e as Error).message}); showing no results`);
      total = 0;
      page = [];
    }
    const more = page.length > limit;
    if (more) page = page.slice(0, limit);
    const last = page[page.length - 1];
    const nextCursor = more && last ? encodeCursor(last[1], last[0]) : null;
    const hits = this.details(
      page.map((r) => r[0]),
      q.highlight,
      true,
    ).map((h, i) => ({
      ...h,
      score: sort === 'relevance' && typeof page[i]![1] === 'number' ? round(-(page[i]![1] as number)) : null,
    }));
    const onlyId = parsed.ast?.kind === 'filter' && parsed.ast.field === 'id';
    return {
      query,
      normalized: formatQuery(parsed.ast),
      messages: [...new Set(messages)],
      total,
      sort,
      hits,
      nextCursor,
      facets,
      facetsApproximate: approximate,
      histogram,
      redirect: onlyId && total === 1 ? (hits[0]?.id ?? null) : null,
      highlight: highlightTerms(parsed.ast),
    };
  }

  /**
   * Facets and histogram. Up to FACET_EXACT_LIMIT hits they are exact; above, they are counted on
   * the hits whose id is a multiple of ⌈total / FACET_SAMPLE⌉ (a deterministic, evenly spread
   * sample drawn inside the index scan, before any cable row is read) and scaled up.
   */
  private facets(
    q: Compiled,
    now: Date,
    total: number,
  ): { facets: Facets; approximate: boolean; histogram: { month: string; count: number }[] } {
    const mod = total > this.tuning.facetExactLimit ? Math.ceil(total / this.tuning.facetSample) : 1;
    const p = this.plan(q, now, { cables: true, mod });
    const rows = this.db
      .prepare(
        `SELECT ${p.id}, c.year, c.origin_id, c.classification, substr(c.created, 1, 7) FROM ${p.from}
         ${p.where.length ? `WHERE ${p.where.join(' AND ')}` : ''}`,
      )
      .raw()
      .all(this.params(q)) as [number, number | null, number | null, string | null, string | null][];
    const scale = mod > 1 && rows.length ? total / rows.length : 1;
    const origins = this.originMap();
    const year = new Map<string, number>();
    const origin = new Map<number, number>();
    const cls = new Map<string, number>();
    const month = new Map<string, number>();
    const inc = <K>(m: Map<K, number>, k: K) => m.set(k, (m.get(k) ?? 0) + 1);
    for (const r of rows) {
      if (r[1] !== null) inc(year, String(r[1]));
      if (r[2] !== null) inc(origin, r[2]);
      if (r[3] !== null) inc(cls, r[3]);
      if (r[4]) inc(month, r[4]);
    }
    // In id order, the lookups into cable_tags and search_markings walk their b-trees forward.
    const ids = JSON.stringify(rows.map((r) => r[0]).sort((a, b) => a - b));
    const tag = rows.length
      ? (this.db
          .prepare(
            `SELECT g.name AS value, n AS count FROM (SELECT t.tag_id, count(*) AS n FROM json_each(?) j
               JOIN cable_tags t ON t.cable_id = j.value GROUP BY t.tag_id ORDER BY n DESC LIMIT ${FACET_TOP.tag})
             JOIN tags g ON g.id = tag_id ORDER BY n DESC, g.name`,
          )
          .all(ids) as FacetValue[])
      : [];
    const marking =
      rows.length && this.hasSide
        ? (this.db
            .prepare(
              `SELECT m.marking AS value, count(*) AS count FROM json_each(?) j
               JOIN search_markings m ON m.cable_id = j.value GROUP BY m.marking ORDER BY count DESC, m.marking
               LIMIT ${FACET_TOP.marking}`,
            )
            .all(ids) as FacetValue[])
        : [];
    const scaled = (n: number) => (scale === 1 ? n : Math.max(1, Math.round(n * scale)));
    const list = (m: Map<string, number>) => [...m].map(([value, n]) => ({ value, count: scaled(n) }));
    const byCount = (a: FacetValue, b: FacetValue) => b.count - a.count || a.value.localeCompare(b.value);
    return {
      facets: {
        tag: tag.map((t) => ({ ...t, count: scaled(t.count) })),
        origin: [...origin]
          .map(([id, n]) => ({
            value: origins.get(id)?.slug ?? String(id),
            label: origins.get(id)?.name ?? String(id),
            count: scaled(n),
          }))
          .sort(byCount)
          .slice(0, FACET_TOP.origin),
        classification: list(cls).sort(byCount),
        year: list(year).sort((a, b) => a.value.localeCompare(b.value)),
        marking: marking.map((m) => ({ ...m, count: scaled(m.count) })),
      },
      approximate: mod > 1,
      histogram: list(month)
        .map((x) => ({ month: x.value, count: x.count }))
        .sort((a, b) => a.month.localeCompare(b.month)),
    };
  }

  /** Display fields of some cables, in the order given. */
  private details(ids: number[], highlight: string | null, snippets: boolean): Omit<SearchHit, 'score'>[] {
    if (ids.length === 0) return [];
    const json = JSON.stringify(ids);
    const base = this.db
      .prepare(
        `SELECT c.id, c.canonical_id, c.subject, c.created, c.released_at, o.name AS origin, o.slug AS origin_slug,
           c.classification FROM json_each(?) j JOIN cables c ON c.id = j.value LEFT JOIN origins o ON o.id = c.origin_id`,
      )
      .all(json) as {
      id: number;
      canonical_id: string;
      subject: string;
      created: string | null;
      released_at: string | null;
      origin: string | null;
      origin_slug: string | null;
      classification: string | null;
    }[];
    const tags = new Map<number, string[]>();
    for (const r of this.db
      .prepare(
        `SELECT t.cable_id AS id, g.name FROM json_each(?) j JOIN cable_tags t ON t.cable_id = j.value
         JOIN tags g ON g.id = t.tag_id ORDER BY t.cable_id, t.position`,
      )
      .all(json) as { id: number; name: string }[]) {
      const l = tags.get(r.id) ?? [];
      l.push(r.name);
      tags.set(r.id, l);
    }
    const snips = new Map<number, string>();
    if (snippets) {
      // better-sqlite3 binds numbers as REAL, and FTS5 ignores a REAL rowid constraint (it then
      // returns every match): hence the CAST.
      const hl = highlight
        ? this.db.prepare(
            `SELECT snippet(cable_fts, -1, '${MARK_OPEN}', '${MARK_CLOSE}', '…', 28) FROM cable_fts
             WHERE cable_fts MATCH ? AND rowid = CAST(? AS INTEGER)`,
          )
        : null;
      const start = this.db.prepare(
        'SELECT substr(v.body, 1, 400) FROM cables c JOIN versions v ON v.id = c.version_id WHERE c.id = ?',
      );
      for (const id of ids) {
        let s: string | undefined;
        try {
          s = hl ? (hl.pluck().get(highlight, id) as string | undefined) : undefined;
        } catch {
          s = undefined;
        }
        if (s === undefined) {
          const body = ((start.pluck().get(id) as string | undefined) ?? '').replace(/\s+/g, ' ').trim();
          s = body.length > 200 ? `${body.slice(0, 200)}…` : body;
        }
        snips.set(id, markToHtml(s));
      }
    }
    const byId = new Map(base.map((b) => [b.id, b]));
    return ids.flatMap((id) => {
      const b = byId.get(id);
      if (!b) return [];
      return [
        {
          id: b.canonical_id,
          subject: b.subject,
          created: b.created,
          released: b.released_at,
          origin: b.origin,
          originSlug: b.origin_slug,
          classification: b.classification,
          tags: tags.get(id) ?? [],
          snippet: snips.get(id) ?? '',
        },
      ];
    });
  }

  async *exportAll(query: string, opts: { sort?: SortOrder; now?: Date } = {}): AsyncIterable<ExportRow> {
    const parsed = parseQuery(query);
    const q = this.compile(parsed.ast);
    let sort: SortOrder = opts.sort ?? (q.match ? 'relevance' : '-created');
    if (sort === 'relevance' && !q.match) sort = '-created';
    const now = opts.now ?? new Date();
    let rows: Row[];
    try {
      // Keys of every hit (two numbers or a date each: ~10 MB for the whole archive), then the
      // display fields page by page.
      rows = this.allKeys(q, now, sort);
    } catch {
      rows = [];
    }
    rows.sort((a, b) => compareRows(a, b, sort));
    for (let i = 0; i < rows.length; i += EXPORT_PAGE) {
      const ids = rows.slice(i, i + EXPORT_PAGE).map((r) => r[0]);
      for (const h of this.details(ids, null, false)) {
        yield {
          id: h.id,
          subject: h.subject,
          created: h.created,
          released: h.released,
          origin: h.origin,
          classification: h.classification,
          tags: h.tags,
        };
      }
    }
  }
}

/** `[id, key]`: key is bm25 (ascending = best first) or a date; undated rows go last. */
type Row = [number, number | string | null];

function compareRows(a: Row, b: Row, sort: SortOrder): number {
  if (sort === 'relevance') return ((a[1] as number) ?? 0) - ((b[1] as number) ?? 0) || a[0] - b[0];
  const dir = sort.startsWith('-') ? -1 : 1;
  const x = a[1] as string | null;
  const y = b[1] as string | null;
  if (x !== y) {
    if (x === null) return 1;
    if (y === null) return -1;
    return x < y ? -dir : dir;
  }
  return dir * (a[0] - b[0]);
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** FTS5 expression of a subtree made only of text terms, or null when it has anything else. */
export function ftsExpr(n: QueryNode): string | null {
  switch (n.kind) {
    case 'word':
      return ftsLeaf(n.text, n.prefix, n.field);
    case 'phrase':
      return ftsLeaf(n.text, false, n.field);
    case 'and': {
      const pos: string[] = [];
      const neg: string[] = [];
      for (const c of n.children) {
        const e = c.kind === 'not' ? ftsExpr(c.child) : ftsExpr(c);
        if (e === null) return null;
        (c.kind === 'not' ? neg : pos).push(e);
      }
      // FTS5's NOT is binary: a conjunction of negations alone cannot be written.
      if (pos.length === 0) return null;
      const p = pos.map((x) => `(${x})`).join(' AND ');
      return neg.length ? `(${p}) NOT (${neg.map((x) => `(${x})`).join(' OR ')})` : p;
    }
    case 'or': {
      const parts: string[] = [];
      for (const c of n.children) {
        const e = ftsExpr(c);
        if (e === null) return null;
        parts.push(`(${e})`);
      }
      return parts.join(' OR ');
    }
    default:
      return null;
  }
}
