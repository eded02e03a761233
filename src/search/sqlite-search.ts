/**
 * Search over the SQLite archive (design and measurements: ./README.md).
 *
 * - Up to `smallSet` hits, one pass lists them all (stopping at one more; with filters, a
 *   relevance query is scored in that pass); ranking, sorting and exact facets then work on that
 *   list.
 * - Larger sets: the total is a count over the driving index (FTS5 doclists, `cable_tags`, a
 *   column index) that also draws the facet sample (`facetsApproximate`), relevance pages rank
 *   per tier with bm25 (tier 1 driven by its own short MATCH), date-sorted pages walk a covering
 *   date index from the cursor. Cursor pagination has no cap.
 *
 * User text reaches FTS5 only through `ftsLeaf` (every token double-quoted) and SQL only as bound
 * parameters; the embargo test is `publicWhere` from src/release, through a temporary table of
 * the ids it excludes.
 */
import type Database from 'better-sqlite3';
import { normalizeMarking } from '../cable/markings.js';
import { canonicalizeId } from '../parse/ids.js';
import { nowParam, publicWhere } from '../release/visibility.js';
import { openSqliteDatabase } from '../store/sqlite/archive.js';
import { FacetHelper, type FacetJob, type FacetReply, type FacetTask } from './facet-helper.js';
import {
  type ColumnFilter,
  countFacets,
  dayNumber,
  type FacetCountData,
  type FacetCounts,
  FacetIndex,
} from './facet-index.js';
import { snippetOf, snippetQuery } from './highlight.js';
import { formatQuery, ftsLeaf, ftsTokens, highlightTerms, parseQuery, type QueryNode } from './query.js';
import type {
  ExportRow,
  Facets,
  FacetValue,
  SearchEngine,
  SearchHit,
  SearchOptions,
  SearchResult,
  Snippet,
  SortOrder,
} from './types.js';

/** Weights of the FTS columns subject, tags, body for bm25. */
const BM25 = 'bm25(cable_fts, 10.0, 5.0, 1.0)';
/**
 * Where the first tier is matched and ranked: `search_titles` (migration 7: subject and tags
 * alone, so its doclists and bm25's statistics are a title's, not a whole cable's); in an older
 * archive opened read-only, `cable_fts` restricted to those columns.
 */
interface TierOne {
  table: string;
  bm25: string;
  /** The MATCH string of these positive phrases. */
  match: (phrases: string) => string;
}
const TITLES: TierOne = {
  table: 'search_titles',
  bm25: 'bm25(search_titles, 10.0, 5.0)',
  match: (x) => x,
};
const LEGACY_TITLES: TierOne = { table: 'cable_fts', bm25: BM25, match: (x) => `{subject tags} : (${x})` };
export interface Tuning {
  /** Up to this many hits facets are exact; above, they are estimated from about `facetSample`. */
  facetExactLimit: number;
  facetSample: number;
  /** Up to this many hits a date-sorted page is cut from all hits sorted in memory. */
  materializeLimit: number;
  /** `memory`: facet values held in typed arrays (~10 MB, ~1 s to load); `sql`: read per query. */
  facetIndex: 'memory' | 'sql';
  /** Up to this many hits, one pass lists them all and the rest works on that list (0: never). */
  smallSet: number;
  /** Results kept per archive state, least recently used evicted first (0: no cache). */
  cacheSize: number;
}

export const DEFAULT_TUNING: Tuning = {
  facetExactLimit: 5000,
  facetSample: 5000,
  materializeLimit: 4000,
  facetIndex: 'memory',
  smallSet: 5000,
  cacheSize: 500,
};
const FACET_TOP = { tag: 40, origin: 40, marking: 30 };
/** Up to this many hits in a small set, their facets are counted here (≤ 0.05 ms), not awaited. */
const HELPER_MIN_HITS = 100;
const MAX_LIMIT = 1000;
const NO_FILTER: ColumnFilter = {
  years: [],
  origins: [],
  classifications: [],
  created: [],
  released: [],
  tags: [],
};

/** A date-sorted page of a set held in memory is cut in memory up to this many hits, or below this
 * share of the archive when the filters bunch the hits in time. */
const MEMORY_PAGE_MAX = 8_000;
const MEMORY_PAGE_DENSITY = 0.3;

/** A MATCH of one word (in every column or one): its scan is a walk of one doclist. */
const ONE_TERM = /^(?:\w+ : \()?"[^"]+"\)?$/;
/** At most this many ids are listed for the in-memory column filters (~0.2 µs each). */
const MEM_LIST = 60_000;
const EXPORT_PAGE = 500;

interface Compiled {
  match: string | null;
  /**
   * The top-level filters the in-memory facet index answers (origin, classification, year,
   * dates, and tags after the first of a query without text) and the conditions of `conds` they
   * stand for; `memBlocked` when some other condition reads a cable column (the index then
   * cannot replace the SQL).
   */
  mem: ColumnFilter | null;
  memConds: Set<string>;
  memBlocked: boolean;
  /** Conditions; `{id}` stands for the driving id expression, `c.` for the cable's row. */
  conds: string[];
  /** Some condition reads a column of `cables` (origin, classification, dates, year). */
  needsCables: boolean;
  /** Without a MATCH: a subquery of distinct cable ids (`SELECT … AS id …`) to drive the scan. */
  driver: string | null;
  /** The driver as a per-row test of `{id}` (for walks in date order), when it has one. */
  driverProbe: string | null;
  /** The driver's tag ids when the driver is a `tag:` filter (its cables can come from memory). */
  driverTags: number[] | null;
  /**
   * A per-row test that costs an FTS5 lookup (~0.1–0.3 ms): worth it in a walk only when most
   * cables match (a few dozen steps a page), not building a set of 200,000 ids first.
   */
  denseProbe: string | null;
  /**
   * Per-row forms of set conditions: `{id} IN (SELECT … all ids with tag X)` builds the whole set
   * first, `EXISTS (… = {id})` probes one cable; a walk that stops after a page wants the latter.
   */
  probes: Map<string, string>;
  params: Record<string, unknown>;
  /**
   * The first relevance tier as a MATCH of the `TierOne` table: a positive phrase of the match in
   * the subject or the tags. Usually a small part of a large result set.
   */
  top: string | null;
  /** Every row matching `top` matches the whole match (one phrase, or phrases OR'ed, no NOT). */
  topImpliesMatch: boolean;
  messages: string[];
}

/** How a compiled query is scanned: FROM clause, the id expression and the WHERE terms. */
interface Plan {
  from: string;
  id: string;
  where: string[];
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

/** Shown with text results while the full-text index is being built by an ingest. */
export const INDEX_BUILDING =
  'the full-text index is being built by an ingest under way: text matches are incomplete until it finishes';

export class SqliteSearch implements SearchEngine {
  private readonly hasSide: boolean;
  private readonly hasCover: boolean;
  private readonly tierOne: TierOne;
  private origins: { at: number; byId: Map<number, { name: string; slug: string }> } | null = null;
  private embargo: {
    dataVersion: number;
    from: string;
    until: string | null;
    any: boolean;
    everything?: FacetResult;
    /** Results computed under this state, by query and options (a Map iterates oldest first). */
    results?: Map<string, SearchResult>;
    /** `total_changes()` when the results were kept: writes through this connection empty them. */
    changes?: number;
    /** 1 at each id not public under this state (for scans of the in-memory facet index). */
    flags?: Uint8Array;
  } | null = null;
  private readonly indexes = new Map<string, boolean>();
  private classes: { dataVersion: number; values: string[] } | null = null;
  private memo: FacetIndex | null = null;
  private tagMap: { dataVersion: number; names: Map<number, string> } | null = null;

  private readonly tuning: Tuning;
  /** The second thread that counts facets beside this one (`open(…, { helper: true })`). */
  private helper: FacetHelper | null = null;
  /** In the helper thread: the calling thread's facet index, shared (it loads none of its own). */
  private sharedCounts: FacetCountData | null = null;

  constructor(
    readonly db: Database.Database,
    private readonly ownsDb = false,
    tuning: Partial<Tuning> = {},
  ) {
    this.tuning = { ...DEFAULT_TUNING, ...tuning };
    const has = (type: string, name: string) =>
      db.prepare('SELECT 1 FROM sqlite_master WHERE type = ? AND name = ?').get(type, name) !== undefined;
    this.hasSide = has('table', 'search_markings');
    this.hasCover = has('index', 'search_cables_cover');
    this.tierOne = has('table', 'search_titles') ? TITLES : LEGACY_TITLES;
  }

  private readonly stmts = new Map<string, Database.Statement>();

  /**
   * The statement of this SQL, prepared once: preparing costs 20–100 µs and a query runs about
   * ten, most of them the same from query to query (values are bound, not spliced). Handed out
   * in its default mode (object rows); callers set `pluck()` or `raw()`.
   */
  private prep(sql: string): Database.Statement {
    let s = this.stmts.get(sql);
    if (!s) {
      if (this.stmts.size >= 512) this.stmts.clear();
      s = this.db.prepare(sql);
      this.stmts.set(sql, s);
    } else if (s.reader) {
      s.pluck(false);
      s.raw(false);
    }
    return s;
  }

  /** Changes when another connection commits (a pragma prepared once, not per call). */
  private dataVersion(): number {
    return this.prep('PRAGMA data_version').pluck().get() as number;
  }

  /**
   * Opens an archive for searching, read-only (the writer keeps search's tables), or searches the
   * connection `db` when given (shared with the site's reader; the caller closes it).
   */
  static open(
    file: string,
    opts: {
      readonly?: boolean;
      tuning?: Partial<Tuning>;
      /** Count facets on a second thread (see `facet-helper.ts`): servers, on two cores or more. */
      helper?: boolean;
      /** SQLite page cache of the connection (and the helper's), in KiB. */
      cacheKib?: number;
      db?: Database.Database;
    } = {},
  ): SqliteSearch {
    const engine = opts.db
      ? new SqliteSearch(opts.db, false, opts.tuning)
      : new SqliteSearch(openSqliteDatabase(file, { readonly: true }), true, opts.tuning);
    if (opts.cacheKib && !opts.db) engine.db.pragma(`cache_size = -${Math.trunc(opts.cacheKib)}`);
    // The helper counts with the in-memory facet index (shared): only where that one is used.
    if (opts.helper && engine.tuning.facetIndex === 'memory')
      engine.helper = new FacetHelper(file, { ...engine.tuning }, opts.cacheKib ?? null);
    return engine;
  }

  async close(): Promise<void> {
    await this.helper?.close();
    if (this.ownsDb && this.db.open) this.db.close();
  }

  private originMap(): Map<number, { name: string; slug: string }> {
    // Origins only change with an ingest; a minute's staleness costs nothing.
    if (!this.origins || Date.now() - this.origins.at > 60_000) {
      const byId = new Map<number, { name: string; slug: string }>();
      for (const r of this.prep('SELECT id, name, slug FROM origins').all() as {
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
    const dv = this.dataVersion();
    if (!this.classes || this.classes.dataVersion !== dv) {
      const values = this.prep('SELECT DISTINCT classification FROM cables WHERE classification IS NOT NULL')
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
      mem: null,
      memConds: new Set(),
      memBlocked: false,
      conds: [],
      needsCables: false,
      driver: null,
      driverProbe: null,
      driverTags: null,
      denseProbe: null,
      probes: new Map(),
      params: {},
      top: null,
      topImpliesMatch: false,
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
    const posNodes: QueryNode[] = [];
    for (const n of conj) if (n.kind !== 'not' && ftsExpr(n)) posNodes.push(n);
    if (pos.length > 0) {
      let m = pos.length === 1 ? pos[0]! : pos.map((p) => `(${p})`).join(' AND ');
      if (neg.length > 0) m = `(${m}) NOT (${neg.map((x) => `(${x})`).join(' OR ')})`;
      out.match = m;
    } else {
      for (const e of neg) out.conds.push(`NOT ${this.ftsIn(e, out)}`);
    }
    for (const n of rest) {
      // The first positive id-set filter (tag, marking, signer, to, id) drives a query with no text.
      if (
        !out.match &&
        !out.driver &&
        n.kind === 'filter' &&
        n.field !== 'origin' &&
        n.field !== 'classification'
      ) {
        const set = this.idSet(n.field, n.value, out);
        if (set) {
          out.driver = set.set;
          out.driverProbe = set.probe;
          if (n.field === 'tag') out.driverTags = this.tagIds(n.value);
          out.denseProbe = set.dense ?? null;
          continue;
        }
      }
      const needed = out.needsCables;
      out.needsCables = false;
      const sql = this.sqlOf(n, out);
      out.conds.push(sql);
      if (this.memOf(n, out)) out.memConds.add(sql);
      else if (out.needsCables) out.memBlocked = true;
      out.needsCables ||= needed;
    }
    // The phrases of the match that are not negated; a `body:` one never occurs in a title.
    const leaves = (roots: QueryNode[]) => {
      const hl: string[] = [];
      const walk = (x: QueryNode, negated: boolean) => {
        if ((x.kind === 'word' || x.kind === 'phrase') && !negated && x.field !== 'body') {
          const e = ftsLeaf(x.text, x.kind === 'word' && x.prefix, x.field);
          if (e) hl.push(`(${e})`);
        } else if (x.kind === 'not') walk(x.child, !negated);
        else if (x.kind === 'and' || x.kind === 'or') for (const c of x.children) walk(c, negated);
      };
      for (const r of roots) walk(r, false);
      return hl.length ? hl.join(' OR ') : null;
    };
    const top = out.match ? leaves(posNodes) : null;
    if (top) out.top = this.tierOne.match(top);
    const leafy = (x: QueryNode): boolean =>
      x.kind === 'word' || x.kind === 'phrase' || (x.kind === 'or' && x.children.every(leafy));
    out.topImpliesMatch = neg.length === 0 && posNodes.length === 1 && leafy(posNodes[0]!);
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
          const values = this.classValues(n.value);
          if (values.length === 0) {
            c.messages.push(`classification:${n.value}: no such classification`);
            return '0';
          }
          return `c.classification IN (${values.map((x) => this.param(c, x)).join(', ')})`;
        }
        const set = this.idSet(n.field, n.value, c);
        if (!set) return '0';
        const cond = `{id} IN (${set.set})`;
        if (set.probe) c.probes.set(cond, set.probe);
        return cond;
      }
    }
  }

  /** The classifications a `classification:` value stands for. */
  private classValues(value: string): string[] {
    const v = value.toUpperCase().replace(/\s+/g, ' ').trim();
    const want = CLASS_ALIASES[v] ?? v;
    // A part between `//` matches: `secret` finds SECRET and SECRET//NOFORN, `noforn` both NOFORNs.
    return this.classifications().filter(
      (x) => x.toUpperCase() === want || x.toUpperCase().split('//').includes(want),
    );
  }

  /** The ids of the tag of this name (any case). */
  private tagIds(name: string): number[] {
    return this.prep('SELECT id FROM tags WHERE name = ? COLLATE NOCASE').pluck().all(name) as number[];
  }

  /** Adds a top-level column filter to `c.mem`; false when it is not one the facet index can test. */
  private memOf(n: QueryNode, c: Compiled): boolean {
    const mem = () =>
      (c.mem ??= { years: [], origins: [], classifications: [], created: [], released: [], tags: [] });
    if (n.kind === 'range') {
      if (n.from === null && n.to === null) return false;
      if (n.field === 'year') {
        const from = n.from === null ? null : Number(n.from);
        const to = n.to === null ? null : Number(n.to) + 1;
        if (!Number.isInteger(from ?? 0) || !Number.isInteger(to ?? 0)) return false;
        mem().years.push({ from, to });
        return true;
      }
      const from = n.from === null ? null : dayNumber(n.from);
      const to = n.to === null ? null : dayNumber(dateSuccessor(n.to));
      if ((n.from !== null && from === null) || (n.to !== null && to === null)) return false;
      (n.field === 'created' ? mem().created : mem().released).push({ from, to });
      return true;
    }
    if (n.kind === 'filter' && n.field === 'origin') {
      mem().origins.push(this.originIds(n.value));
      return true;
    }
    // A second tag of a query without text (the first drives): its list is intersected in
    // memory rather than built into a set in SQL. With text, the text's hits are listed in SQL
    // and the tag tested there: they are usually fewer than a tag's cables.
    if (n.kind === 'filter' && n.field === 'tag' && !c.match) {
      mem().tags.push(this.tagIds(n.value));
      return true;
    }
    if (n.kind === 'filter' && n.field === 'classification') {
      mem().classifications.push(this.classValues(n.value));
      return true;
    }
    return false;
  }

  /**
   * A subquery of the distinct ids of cables matching an id-set filter (and, when cheap, the same
   * test for one cable `{id}`), or null when no cable can match.
   */
  private idSet(
    field: string,
    value: string,
    c: Compiled,
  ): { set: string; probe: string | null; dense?: string } | null {
    switch (field) {
      case 'tag': {
        const ids = this.tagIds(value);
        if (ids.length === 0) return null;
        const list = ids.join(',');
        return {
          set: `SELECT ${ids.length > 1 ? 'DISTINCT ' : ''}cable_id AS id FROM cable_tags WHERE tag_id IN (${list})`,
          probe: `EXISTS (SELECT 1 FROM cable_tags t WHERE t.cable_id = {id} AND t.tag_id IN (${list}))`,
        };
      }
      case 'marking': {
        if (!this.hasSide) {
          c.messages.push('marking: is not indexed in this archive yet');
          return null;
        }
        const p = this.param(c, normalizeMarking(value));
        return {
          set: `SELECT cable_id AS id FROM search_markings WHERE marking = ${p}`,
          probe: `EXISTS (SELECT 1 FROM search_markings m WHERE m.cable_id = {id} AND m.marking = ${p})`,
        };
      }
      case 'signer':
      case 'to': {
        if (!this.hasSide) {
          c.messages.push(`${field}: is not indexed in this archive yet`);
          return null;
        }
        const leaf = ftsLeaf(value, false, 'any');
        if (!leaf) return null;
        const col = field === 'signer' ? 'signers' : 'recipients';
        const p = this.param(c, `${col} : (${leaf})`);
        return {
          set: `SELECT rowid AS id FROM search_people WHERE search_people MATCH ${p}`,
          probe: null,
          dense: `EXISTS (SELECT 1 FROM search_people WHERE search_people MATCH ${p} AND rowid = {id})`,
        };
      }
      case 'id': {
        const v = value.trim().toUpperCase();
        const canon = canonicalizeId(v).toUpperCase();
        return {
          set: `SELECT DISTINCT cable_id AS id FROM aliases WHERE alias IN (${this.param(c, v)}, ${this.param(c, canon)})`,
          probe: null,
        };
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
    const dv = this.dataVersion();
    const e = this.embargo;
    if (e && e.dataVersion === dv && at >= e.from && (e.until === null || at < e.until)) return e.any;
    this.db.exec('CREATE TEMP TABLE IF NOT EXISTS search_embargoed (id INTEGER PRIMARY KEY)');
    this.db.transaction(() => {
      this.db.exec('DELETE FROM temp.search_embargoed');
      this.prep(
        `INSERT INTO temp.search_embargoed SELECT c.id FROM cables c WHERE NOT ${publicWhere('c')}`,
      ).run({ now: at });
    })();
    const any = this.prep('SELECT 1 FROM temp.search_embargoed LIMIT 1').get() !== undefined;
    const until = this.prep('SELECT min(released_at) FROM cables WHERE released_at > @now')
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
  private plan(q: Compiled, now: Date, opts: { cables?: boolean; mod?: number; fts?: string } = {}): Plan {
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
      const fts = opts.fts ?? 'cable_fts';
      const id = `${fts}.rowid`;
      const join = q.needsCables || opts.cables ? ` CROSS JOIN cables c ${cover} ON c.id = ${id}` : '';
      return { from: `${fts}${join}`, id, where: [`${fts} MATCH @match`, ...conds(id)] };
    }
    if (q.driver && !q.needsCables) {
      const join = opts.cables ? ` CROSS JOIN cables c ${cover} ON c.id = d.id` : '';
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
    return this.prep(sql).pluck().get(this.params(q)) as number;
  }

  /**
   * The plan of the first tier: the `TierOne` table drives with the `top` MATCH (so bm25 scores
   * the subject and tags alone) and the whole match is a set of rowids unless `top` implies it.
   */
  private topPlan(q: Compiled, now: Date): { p: Plan; params: Record<string, unknown> } {
    const t: Compiled = {
      ...q,
      match: q.top,
      conds: q.topImpliesMatch
        ? q.conds
        : [...q.conds, '{id} IN (SELECT rowid FROM cable_fts WHERE cable_fts MATCH @whole)'],
    };
    return { p: this.plan(t, now, { fts: this.tierOne.table }), params: this.params(t, { whole: q.match }) };
  }

  /**
   * One page in relevance order after the cursor's (tier, bm25, id): the first tier ranked, then,
   * when the page reaches past it, the second. The first tier is scored by bm25 of `top` over
   * the titles (how strongly the subject and tags match), the second by bm25 of the match; each statement
   * computes bm25 for the rows of its tier only, and a large set's first tier is small.
   * Rows are `[id, bm25, tier]`.
   */
  private rankedPage(q: Compiled, now: Date, limit: number, after: Ranked | null): Ranked[] {
    const run = (tier: 1 | 2, n: number, from: Ranked | null): Ranked[] => {
      if (tier === 1 && !q.top) return [];
      const { p, params } =
        tier === 1 ? this.topPlan(q, now) : { p: this.plan(q, now), params: this.params(q) };
      const where = [...p.where];
      const extra: Record<string, unknown> = { ...params, lim: n };
      if (tier === 2 && q.top) {
        // `+`: tested against the set built once, never used to drive FTS5 lookups.
        const t = this.tierOne.table;
        where.push(`+${p.id} NOT IN (SELECT rowid FROM ${t} WHERE ${t} MATCH @top)`);
        extra['top'] = q.top;
      }
      if (from) {
        where.push(`(s > @ck OR (s = @ck AND ${p.id} > @ci))`);
        extra['ck'] = from[1];
        extra['ci'] = from[0];
      }
      const sql = `SELECT ${p.id}, ${tier === 1 ? this.tierOne.bm25 : BM25} AS s, ${tier} FROM ${p.from}
                   WHERE ${where.join(' AND ')}
                   ORDER BY s, ${p.id} LIMIT @lim`;
      return this.prep(sql).raw().all(extra) as Ranked[];
    };
    const out: Ranked[] = [];
    if (!after || after[2] === 1) out.push(...run(1, limit, after));
    if (out.length < limit) out.push(...run(2, limit - out.length, after && after[2] === 2 ? after : null));
    return out;
  }

  /** Every hit of the match as `[id, bm25, tier]`, in relevance order. */
  private rankAll(q: Compiled, now: Date): Ranked[] {
    const out: Ranked[] = [];
    const seen = new Set<number>();
    if (q.top) {
      const { p, params } = this.topPlan(q, now);
      const sql = `SELECT ${p.id}, ${this.tierOne.bm25} FROM ${p.from} WHERE ${p.where.join(' AND ')}`;
      for (const [id, sc] of this.prep(sql).raw().all(params) as [number, number][]) {
        out.push([id, sc, 1]);
        seen.add(id);
      }
    }
    const p = this.plan(q, now);
    const sql = `SELECT ${p.id}, ${BM25} FROM ${p.from} WHERE ${p.where.join(' AND ')}`;
    for (const [id, sc] of this.prep(sql).raw().all(this.params(q)) as [number, number][]) {
      if (!seen.has(id)) out.push([id, sc, 2]);
    }
    return out.sort(compareRanked);
  }

  /** Every hit as `[id, key]`, in relevance order or for sorting in memory (small sets, exports). */
  private allKeys(q: Compiled, now: Date, sort: SortOrder): Row[] {
    if (sort === 'relevance') return this.rankAll(q, now).map((r) => [r[0], r[1]]);
    const p = this.plan(q, now, { cables: true });
    const col = sort.endsWith('created') ? 'c.created' : 'c.released_at';
    const sql = `SELECT ${p.id}, ${col} FROM ${p.from}${p.where.length ? ` WHERE ${p.where.join(' AND ')}` : ''}`;
    return this.prep(sql).raw().all(this.params(q)) as Row[];
  }

  /**
   * One page in date order for a large result set: walks the date index from the cursor and
   * tests each cable, so a page costs about limit ÷ selectivity index steps. Undated cables come
   * last in both directions, in a second phase.
   */
  private datePage(
    q: Compiled,
    now: Date,
    sort: SortOrder,
    limit: number,
    after: Row | null,
    density: number,
  ): Row[] {
    const created = sort.endsWith('created');
    const col = created ? 'c.created' : 'c.released_at';
    const index = created ? 'search_cables_by_created' : 'search_cables_by_released';
    const desc = sort.startsWith('-');
    const hint = this.hasIndex(index) ? `INDEXED BY ${index}` : '';
    const probe = (x: string) => {
      let out = x;
      for (const [set, one] of q.probes) out = out.replaceAll(set, one);
      return out.replaceAll('{id}', 'c.id');
    };
    const conds = q.conds.map(probe);
    if (q.match) conds.push('+c.id IN (SELECT rowid FROM cable_fts WHERE cable_fts MATCH @match)');
    if (q.driver) {
      const one = q.driverProbe ?? (density > 0.5 ? q.denseProbe : null);
      conds.push(one ? one.replaceAll('{id}', 'c.id') : `+c.id IN (${q.driver})`);
    }
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
      out.push(...(this.prep(sql).raw().all(this.params(q, extra)) as Row[]));
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
      out.push(...(this.prep(sql).raw().all(this.params(q, extra)) as Row[]));
    }
    return out;
  }

  private hasIndex(name: string): boolean {
    let v = this.indexes.get(name);
    if (v === undefined) {
      v = this.prep(`SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?`).get(name) !== undefined;
      this.indexes.set(name, v);
    }
    return v;
  }

  /**
   * Every hit's id when there are at most `smallSet` of them (else null), in one pass that stops
   * early. With column conditions the cables table drives and the text is a set of rowids: a
   * range of an origin, a classification or dates then costs a probe per cable in it, not a seek
   * per text match.
   */
  private smallSet(
    q: Compiled,
    now: Date,
    sort: SortOrder,
  ): { ids: number[] | null; estimate: number | null; keys?: Row[] } {
    const max = this.tuning.smallSet;
    if (max <= 0) return { ids: null, estimate: null };
    const p =
      q.match && q.needsCables
        ? this.plan(
            {
              ...q,
              match: null,
              conds: [...q.conds, '{id} IN (SELECT rowid FROM cable_fts WHERE cable_fts MATCH @match)'],
            },
            now,
          )
        : this.plan(q, now);
    const where = p.where.length ? ` WHERE ${p.where.join(' AND ')}` : '';
    let ids: number[];
    let keys: Row[] | undefined;
    if (sort !== 'relevance' && p.id === 'c.id') {
      // The cables table drives: a date-sorted page takes its keys in the same pass, from the
      // origin's or classification's (origin_id, created) index when that is the one used.
      const col = sort.endsWith('created') ? 'c.created' : 'c.released_at';
      keys = this.prep(`SELECT ${p.id}, ${col} FROM ${p.from}${where} LIMIT ${max + 1}`)
        .raw()
        .all(this.params(q)) as Row[];
      ids = keys.map((r) => r[0]);
    } else {
      if (p.id === 'cable_fts.rowid' && q.match && ONE_TERM.test(q.match)) {
        // One word: counting its first `max + 1` rows costs a fifth of listing them, and most
        // single words have more hits than that (the count pass is then all the probe costs).
        const [n, last] = this.prep(
          `SELECT count(*), max(id) FROM (SELECT ${p.id} AS id FROM ${p.from}${where} LIMIT ${max + 1})`,
        )
          .raw()
          .get(this.params(q)) as [number, number | null];
        if (n > max) return { ids: null, estimate: this.extrapolate(n, last!) };
      }
      ids = this.prep(`SELECT ${p.id} FROM ${p.from}${where} LIMIT ${max + 1}`)
        .pluck()
        .all(this.params(q)) as number[];
    }
    if (ids.length <= max) return keys ? { ids, estimate: null, keys } : { ids, estimate: null };
    // Ids in ascending order (FTS5 doclists, one tag's cables): the id reached after `max` hits
    // estimates the total, enough to choose the facet sample before counting.
    // In another order (a column index drove) only the lower bound is known; with a text match,
    // whose scans are the dear part, a sample of every second hit thinned in memory still
    // costs less than a second scan.
    for (let i = 1; i < ids.length; i++) {
      if (ids[i]! <= ids[i - 1]!) return { ids: null, estimate: q.match ? ids.length : null };
    }
    return { ids: null, estimate: this.extrapolate(ids.length, ids[ids.length - 1]!) };
  }

  /** The total of a scan in id order that had found `n` hits on reaching id `last`. */
  private extrapolate(n: number, last: number): number {
    const top = this.prep('SELECT max(id) FROM cables').pluck().get() as number;
    return Math.ceil((n * top) / last);
  }

  /**
   * The exact total and, when `estimate` is given, in the same scan, the facet sample: the hits
   * whose id is a multiple of ⌈estimate / facetSample⌉. A sample the estimate made too small is
   * drawn again; one it made larger is thinned to a multiple of the intended step.
   */
  private countAndSample(
    q: Compiled,
    now: Date,
    estimate: number | null,
  ): { total: number; sample: { ids: number[]; mod: number } | null } {
    if (estimate === null) return { total: this.count(q, now), sample: null };
    const { facetSample, facetExactLimit } = this.tuning;
    let mod = Math.max(1, Math.ceil(estimate / facetSample));
    const p = this.plan(q, now);
    const sql = `SELECT count(*), group_concat(${p.id}) FILTER (WHERE ${p.id} % ${mod} = 0)
                 FROM ${p.from}${p.where.length ? ` WHERE ${p.where.join(' AND ')}` : ''}`;
    const [total, list] = this.prep(sql).raw().get(this.params(q)) as [number, string | null];
    const want = total > facetExactLimit ? Math.ceil(total / facetSample) : 1;
    let ids = list ? list.split(',').map(Number) : [];
    if (mod > want && (want === 1 || ids.length < facetSample / 2)) return { total, sample: null };
    if (mod < want) {
      const k = Math.floor(want / mod);
      if (k > 1) {
        mod *= k;
        ids = ids.filter((id) => id % mod === 0);
      }
    }
    return { total, sample: { ids, mod } };
  }

  /**
   * Every hit's id, ascending, when the in-memory facet index can stand in for the query's
   * column filters (origin, classification, year, dates, later tags) and a `tag:` driver: with
   * nothing else, the answer is the index's own lists, merged; else the rest of the query lists
   * its ids in SQL (at most `MEM_LIST`, text or an id set driving) and the index narrows them.
   * Null otherwise. A column filter in SQL makes the cables table drive (a b-tree probe per
   * candidate, or a text set built first): 5–35 ms where this costs 0.1–3.
   */
  private memorySet(q: Compiled, now: Date): Int32Array | null {
    if ((!q.mem && !q.driverTags) || q.memBlocked || this.tuning.facetIndex !== 'memory') return null;
    const index = this.facetIndex();
    const f = q.mem ?? NO_FILTER;
    const base: Compiled = { ...q, conds: q.conds.filter((c) => !q.memConds.has(c)), needsCables: false };
    const skip = () => (this.embargoed(now) ? this.embargoFlags() : null);
    if (!base.match && base.conds.length === 0) {
      // A tag's cables from the index's tag lists, or the whole archive: no SQL at all.
      if (q.driverTags) return index.filter(f, index.tagged(q.driverTags), skip(), true);
      if (!base.driver) return index.filter(f, null, skip());
    }
    if (!q.mem) return null;
    if (!base.match && !base.driver) return null;
    const p = this.plan(base, now);
    const ids = this.prep(
      `SELECT ${p.id} FROM ${p.from}${p.where.length ? ` WHERE ${p.where.join(' AND ')}` : ''} LIMIT ${MEM_LIST + 1}`,
    )
      .pluck()
      .all(this.params(base)) as number[];
    return ids.length > MEM_LIST ? null : index.filter(f, ids);
  }

  private embargoFlags(): Uint8Array {
    const e = this.embargo!;
    if (!e.flags) {
      const ids = this.prep('SELECT id FROM temp.search_embargoed').pluck().all() as number[];
      let max = 0;
      for (const id of ids) if (id > max) max = id;
      const flags = new Uint8Array(max + 1);
      for (const id of ids) flags[id] = 1;
      e.flags = flags;
    }
    return e.flags;
  }

  /** The facet sample of a result set held in memory, drawn as `countAndSample` draws it. */
  private sampleOf(ids: Int32Array): { ids: number[]; mod: number } {
    const { facetSample, facetExactLimit } = this.tuning;
    const mod = ids.length > facetExactLimit ? Math.ceil(ids.length / facetSample) : 1;
    if (mod === 1) return { ids: Array.from(ids), mod };
    const out: number[] = [];
    for (let i = 0; i < ids.length; i++) if (ids[i]! % mod === 0) out.push(ids[i]!);
    return { ids: out, mod };
  }

  /**
   * `[id, bm25 of the match]` of these hits: one scan of the match with FTS5 driving, each row
   * tested against the list (`+rowid`: a plain `rowid IN` would make FTS5 re-run the whole
   * expression, bm25 statistics included, per id).
   */
  private scoreMatch(q: Compiled, ids: number[]): Scored[] {
    if (ids.length === 0) return [];
    return this.prep(
      `SELECT rowid, ${BM25} FROM cable_fts WHERE cable_fts MATCH @match
         AND +rowid IN (SELECT value FROM json_each(@ids))`,
    )
      .raw()
      .all({ match: q.match, ids: JSON.stringify(ids) }) as Scored[];
  }

  /**
   * The page after `after` of a small set in relevance order. The first tier (and its bm25) is
   * what the `top` MATCH of the titles finds among the hits, one statement over the titles' short
   * doclists; only when the page reaches past it are the other hits scored with the match's bm25
   * (a scan of the match and a bm25 per row: the dear part, which most first pages skip).
   */
  private rankSmall(
    q: Compiled,
    ids: number[],
    limit: number,
    after: Ranked | null,
    whole = false,
  ): Ranked[] {
    const skip = (rows: Ranked[]) => {
      rows.sort(compareRanked);
      let start = 0;
      if (after) while (start < rows.length && compareRanked(rows[start]!, after) <= 0) start++;
      return start ? rows.slice(start) : rows;
    };
    const first: Ranked[] = [];
    if (q.top) {
      const t = this.tierOne;
      // `whole`: the hits are all the cables the match finds, and `top` implies the match, so
      // every title match is a hit (no list of 5,000 ids to build into a set and test).
      const rows = whole
        ? this.prep(`SELECT rowid, ${t.bm25} FROM ${t.table} WHERE ${t.table} MATCH @top`)
            .raw()
            .all({ top: q.top })
        : this.prep(
            `SELECT rowid, ${t.bm25} FROM ${t.table} WHERE ${t.table} MATCH @top
             AND +rowid IN (SELECT value FROM json_each(@ids))`,
          )
            .raw()
            .all({ top: q.top, ids: JSON.stringify(ids) });
      for (const [id, sc] of rows as [number, number][]) {
        first.push([id, sc, 1]);
      }
    }
    const out = after && after[2] === 2 ? [] : skip(first).slice(0, limit);
    if (out.length < limit && first.length < ids.length) {
      const inFirst = new Set(first.map((r) => r[0]));
      const second: Ranked[] = [];
      for (const [id, sc] of this.scoreMatch(
        q,
        ids.filter((id) => !inFirst.has(id)),
      ))
        second.push([id, sc, 2]);
      out.push(...skip(second).slice(0, limit - out.length));
    }
    return out;
  }

  /**
   * One date-ordered page of a result set held in memory: the `limit` first rows after the cursor,
   * kept in a small sorted buffer over one pass (a walk of the date index from the cursor would
   * step over every cable between the hits: `year:2003`, newest first, stepped over 200,000).
   * Null when the facet index cannot give the keys.
   */
  private memoryPage(ids: Int32Array, sort: SortOrder, limit: number, after: Row | null): Row[] | null {
    const { rank, sorted } = this.facetIndex().rankColumn(sort.endsWith('created') ? 'created' : 'released');
    const dir = sort.startsWith('-') ? -1 : 1;
    // compareRows on ranks: undated (-1) last in both directions, then the id. Not compareRows
    // itself: called with numbers here and strings there, one shared comparator measured ~30%
    // slower on this loop (no longer monomorphic).
    const before = (ia: number, ra: number, ib: number, rb: number) => {
      if (ra !== rb) {
        if (ra === -1) return false;
        if (rb === -1) return true;
        return dir * (ra - rb) < 0;
      }
      return dir * (ia - ib) < 0;
    };
    let afterRank = 0;
    if (after) {
      const key = after[1] as string | null;
      if (key === null) afterRank = -1;
      else {
        // A key no cable has any more (the archive changed between pages) falls between two ranks.
        let lo = 0;
        let hi = sorted.length;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (sorted[mid]! < key) lo = mid + 1;
          else hi = mid;
        }
        afterRank = sorted[lo] === key ? lo : lo - 0.5;
      }
    }
    const best: number[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      const r = rank[id]!;
      if (Number.isNaN(r)) return null;
      if (after && !before(after[0], afterRank, id, r)) continue;
      if (best.length === limit) {
        const worst = best[limit - 1]!;
        if (!before(id, r, worst, rank[worst]!)) continue;
      }
      let at = best.length === limit ? limit - 1 : best.length;
      if (best.length < limit) best.push(id);
      while (at > 0 && before(id, r, best[at - 1]!, rank[best[at - 1]!]!)) {
        best[at] = best[at - 1]!;
        at--;
      }
      best[at] = id;
    }
    return this.keysOf(best, sort);
  }

  /** `[id, created]` or `[id, released]` of these hits. */
  private keysOf(ids: number[], sort: SortOrder): Row[] {
    if (this.tuning.facetIndex === 'memory') {
      const keys = this.facetIndex().keys(ids, sort.endsWith('created') ? 'created' : 'released');
      if (keys) return keys;
    }
    const col = sort.endsWith('created') ? 'c.created' : 'c.released_at';
    return this.prep(
      `SELECT c.id, ${col} FROM json_each(?) j CROSS JOIN cables c ${this.hasCover ? 'INDEXED BY search_cables_cover' : ''}
         ON c.id = j.value`,
    )
      .raw()
      .all(JSON.stringify(ids)) as Row[];
  }

  /** The FTS5 MATCH string and SQL conditions a query compiles to (benchmarks, debugging). */
  explain(query: string): { match: string | null; conds: string[]; driver: string | null } {
    const q = this.compile(parseQuery(query).ast);
    return { match: q.match, conds: q.conds, driver: q.driver };
  }

  /**
   * A result depends only on the query, the options and the archive state (data and embargo set),
   * so it is kept for as long as that state lasts: the next page, the `.json` twin, the feed and
   * a reload of the same query cost a lookup. The copy handed out is the caller's to change.
   */
  async search(query: string, opts: SearchOptions = {}): Promise<SearchResult> {
    const max = this.tuning.cacheSize;
    if (max <= 0) return this.compute(query, opts);
    const now = opts.now ?? new Date();
    this.embargoed(now);
    const e = this.embargo!;
    const changes = this.prep('SELECT total_changes()').pluck().get() as number;
    if (!e.results || e.changes !== changes) {
      e.results = new Map();
      e.changes = changes;
    }
    const key = JSON.stringify([
      query,
      opts.sort ?? null,
      opts.limit ?? null,
      opts.cursor ?? null,
      opts.facets !== false,
    ]);
    let r = e.results.get(key);
    if (r) e.results.delete(key);
    else {
      r = await this.compute(query, { ...opts, now });
      // A failed query is not kept: its message may describe a passing condition.
      if (r.messages.some((m) => m.startsWith('the query could not be run'))) return r;
      if (e.results.size >= max) e.results.delete(e.results.keys().next().value!);
    }
    e.results.set(key, r);
    return structuredClone(r);
  }

  private indexBuilding(): boolean {
    return this.prep(`SELECT 1 FROM meta WHERE key = 'fts_stale'`).get() !== undefined;
  }

  private async compute(query: string, opts: SearchOptions): Promise<SearchResult> {
    const parsed = parseQuery(query);
    const q = this.compile(parsed.ast);
    const messages = [...parsed.messages, ...q.messages];
    let sort: SortOrder = opts.sort ?? (q.match ? 'relevance' : '-created');
    if (sort === 'relevance' && !q.match) sort = '-created';
    const limit = Math.max(1, Math.min(MAX_LIMIT, Math.trunc(opts.limit ?? 20) || 20));
    const now = opts.now ?? new Date();
    const cursor = opts.cursor ? decodeCursor(opts.cursor) : null;
    if (opts.cursor && !cursor) messages.push('the page cursor was not understood: showing the first page');
    // During a first load the index is built beside the archive and merged at the end (see
    // store/sqlite/fts-build.ts): until then text matches miss cables, and the reader must know.
    if (q.match && this.indexBuilding()) {
      messages.push(INDEX_BUILDING);
      // The titles are indexed as cables are written, the match only at the end of the load.
      q.topImpliesMatch = false;
    }
    let total = 0;
    let page: Row[] = [];
    let ranked: Ranked[] = [];
    let facets: Facets | null = null;
    let approximate = false;
    let histogram: { month: string; count: number }[] = [];
    let job: FacetJob | null = null;
    try {
      const after: Row | null = cursor ? [cursor[1], cursor[0] as Row[1]] : null;
      const rel = typeof cursor?.[0] === 'string' ? /^([12]):(-?[\d.e+-]+)$/.exec(cursor[0]) : null;
      const afterRanked: Ranked | null =
        rel && cursor ? [cursor[1], Number(rel[2]), Number(rel[1]) as 1 | 2] : null;
      const inMemory = this.memorySet(q, now);
      const wantFacets = opts.facets !== false;
      // The facets of a set not held in memory are counted by the helper thread, asked before this
      // thread probes so that both scan at once: it lists or counts and samples the hits and
      // counts their facets while this thread ranks or sorts the page and cuts its snippets.
      const helper =
        wantFacets && parsed.ast !== null && !inMemory && this.helper?.usable ? this.helper : null;
      if (helper) job = this.ask(helper, { query, now: now.toISOString(), totalFirst: sort !== 'relevance' });
      // With the helper counting, a relevance page needs no listing pass here: the ranked-page
      // statements find the page of a small set as they do a large one's, without the hit list
      // (the same order and scores: both rank by the same two bm25 tiers).
      const probe: { ids: number[] | null; estimate: number | null; keys?: Row[] } = inMemory
        ? { ids: inMemory.length <= this.tuning.smallSet ? Array.from(inMemory) : null, estimate: null }
        : job && sort === 'relevance'
          ? { ids: null, estimate: null }
          : this.smallSet(q, now, sort);
      const small = probe.ids;
      // Too few hits to wait for the helper: their facets cost less here than its answer.
      if (job && small && small.length <= HELPER_MIN_HITS) job = null;
      // A relevance page does not need the total: with the helper counting, this thread does not.
      let counted: ReturnType<SqliteSearch['countAndSample']> | null = null;
      if (small || (job && sort === 'relevance')) {
        // Counted by the list itself, or by the helper alone.
      } else if (inMemory) {
        counted = { total: inMemory.length, sample: wantFacets ? this.sampleOf(inMemory) : null };
      } else if (job) {
        counted = { total: await job.total, sample: null };
      } else {
        counted = this.countAndSample(q, now, wantFacets && parsed.ast !== null ? probe.estimate : null);
      }
      total = small ? small.length : (counted?.total ?? 0);
      if (small) {
        // Few hits: one pass found them all; rank, sort and count facets on that list.
        if (sort === 'relevance') {
          const whole =
            q.topImpliesMatch && q.conds.length === 0 && !q.driver && !inMemory && !this.embargoed(now);
          ranked = this.rankSmall(q, small, limit + 1, afterRanked, whole);
          page = ranked.map((r) => [r[0], r[1]]);
        } else {
          const rows = probe.keys ?? this.keysOf(small, sort);
          rows.sort((a, b) => compareRows(a, b, sort));
          let start = 0;
          if (after) while (start < rows.length && compareRows(rows[start]!, after, sort) <= 0) start++;
          page = rows.slice(start, start + limit + 1);
        }
        if (wantFacets && !job) {
          const f = this.facetsOf(small, small.length, false);
          facets = f.facets;
          histogram = f.histogram;
        }
      } else if (counted && total === 0) page = [];
      else if (sort === 'relevance') {
        ranked = this.rankedPage(q, now, limit + 1, afterRanked);
        page = ranked.map((r) => [r[0], r[1]]);
      } else if (total <= this.tuning.materializeLimit) {
        const rows = this.allKeys(q, now, sort);
        rows.sort((a, b) => compareRows(a, b, sort));
        let start = 0;
        if (after) while (start < rows.length && compareRows(rows[start]!, after, sort) <= 0) start++;
        page = rows.slice(start, start + limit + 1);
      } else {
        const archive = this.prep('SELECT max(id) FROM cables').pluck().get() as number;
        const density = total / Math.max(1, archive);
        // The walk of the date index costs about limit ÷ density steps when the hits are spread
        // over time, and every cable between them when they are bunched (a year, a date range);
        // the pass in memory costs ~0.1 µs per hit.
        const bunched =
          !!q.mem && (q.mem.years.length > 0 || q.mem.created.length > 0 || q.mem.released.length > 0);
        const inMemoryPage =
          inMemory && (total <= MEMORY_PAGE_MAX || (bunched && density < MEMORY_PAGE_DENSITY))
            ? this.memoryPage(inMemory, sort, limit + 1, after)
            : null;
        page = inMemoryPage ?? this.datePage(q, now, sort, limit + 1, after, density);
      }
      if (job) {
        // (awaited below, once this thread has also cut the page's snippets)
      } else if (wantFacets && total > 0 && !small) {
        // The browse-everything page is the one query whose facets cover the whole archive: it
        // is kept for as long as the embargo state it was computed under.
        const e = this.embargo;
        let f: FacetResult;
        if (parsed.ast === null && e) {
          e.everything = e.everything ?? this.facets(q, now, total);
          f = e.everything;
        } else {
          f = this.facets(q, now, total, counted?.sample ?? null);
        }
        facets = f.facets;
        approximate = f.approximate;
        histogram = f.histogram;
      } else if (wantFacets && !small) {
        facets = emptyFacets();
      }
    } catch (e) {
      // The compiled SQL only ever contains quoted terms and bound values; should FTS5 still
      // refuse an expression, answer with a message rather than an error page.
      messages.push(`the query could not be run (${(e as Error).message}); showing no results`);
      total = 0;
      page = [];
      job = null;
    }
    const more = page.length > limit;
    if (more) page = page.slice(0, limit);
    const last = page[page.length - 1];
    const lastRanked = ranked[page.length - 1];
    let nextCursor =
      more && last ? encodeCursor(lastRanked ? `${lastRanked[2]}:${lastRanked[1]}` : last[1], last[0]) : null;
    let hits = this.details(
      page.map((r) => r[0]),
      query,
      true,
    ).map((h, i) => {
      const r = ranked[i];
      // Higher is better; the first tier (subject or tags match) is lifted by TIER_BONUS.
      return { ...h, score: r ? round(-r[1] + (r[2] === 1 ? TIER_BONUS : 0)) : null };
    });
    if (job) {
      try {
        const r = await job.reply;
        total = r.total;
        facets = r.facets;
        approximate = r.approximate;
        histogram = r.histogram;
      } catch (e) {
        messages.push(`the query could not be run (${(e as Error).message}); showing no results`);
        total = 0;
        hits = [];
        nextCursor = null;
      }
    }
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

  /** A helper's job, computed here instead (once) should the helper thread have failed. */
  private ask(helper: FacetHelper, task: FacetTask): FacetJob {
    // The index as this thread sees the archive now (reloaded if it changed), shared with the helper.
    const job = helper.run(task, this.facetIndex().shared);
    let local: FacetReply | null = null;
    const fallback = (e: Error) => {
      if (this.helper?.usable) throw e;
      local ??= this.facetTask(task);
      return local;
    };
    const total = job.total.catch((e: Error) => fallback(e).total);
    const reply = job.reply.catch(fallback);
    // Should this thread fail first, the helper's answers are not awaited.
    total.catch(() => {});
    reply.catch(() => {});
    return { total, reply };
  }

  /**
   * A facet helper's task (see `facet-helper.ts`), computed by this engine: in the helper thread,
   * or in the caller's should the helper have failed.
   */
  facetTask(t: FacetTask, onTotal?: (total: number) => void): FacetReply {
    if (t.counts) this.sharedCounts = t.counts;
    const now = new Date(t.now);
    const q = this.compile(parseQuery(t.query).ast);
    const probe = this.smallSet(q, now, 'relevance');
    if (probe.ids) {
      onTotal?.(probe.ids.length);
      return { total: probe.ids.length, ...this.facetsOf(probe.ids, probe.ids.length, false) };
    }
    const counted = this.countAndSample(q, now, probe.estimate);
    onTotal?.(counted.total);
    if (counted.total === 0) return { total: 0, facets: emptyFacets(), approximate: false, histogram: [] };
    return { total: counted.total, ...this.facets(q, now, counted.total, counted.sample) };
  }

  /**
   * Facets and histogram. Up to `facetExactLimit` hits they are exact; above, they are counted on
   * the hits whose id is a multiple of ⌈total / facetSample⌉ (a deterministic, evenly spread
   * sample drawn inside the index scan, before any cable row is read) and scaled up. With the
   * in-memory facet index (the default) only the ids leave SQLite; else the values are read from
   * the covering index and the tag and marking tables.
   */
  private facets(
    q: Compiled,
    now: Date,
    total: number,
    drawn: { ids: number[]; mod: number } | null = null,
  ): FacetResult {
    if (drawn) return this.facetsOf(drawn.ids, total, drawn.mod > 1);
    const mod = total > this.tuning.facetExactLimit ? Math.ceil(total / this.tuning.facetSample) : 1;
    const p = this.plan(q, now, { mod });
    const ids = this.prep(
      `SELECT ${p.id} FROM ${p.from}${p.where.length ? ` WHERE ${p.where.join(' AND ')}` : ''}`,
    )
      .pluck()
      .all(this.params(q)) as number[];
    return this.facetsOf(ids, total, mod > 1);
  }

  /** Facets of these hits (all of them, or an even sample of `total` when `sampled`). */
  private facetsOf(ids: number[], total: number, sampled: boolean): FacetResult {
    const counts =
      this.tuning.facetIndex !== 'memory'
        ? this.sqlFacets(ids)
        : this.sharedCounts
          ? countFacets(this.sharedCounts, ids)
          : this.facetIndex().count(ids);
    const scale = sampled && ids.length ? total / ids.length : 1;
    const scaled = (x: number) => (scale === 1 ? x : Math.max(1, Math.round(x * scale)));
    // Code-unit order for ties: localeCompare costs a microsecond a call, a millisecond a query.
    const byValue = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const byCount = (a: FacetValue, b: FacetValue) => b.count - a.count || byValue(a.value, b.value);
    const list = (m: Map<string, number>) => [...m].map(([value, c]) => ({ value, count: scaled(c) }));
    // Only the values that can make the top `k` are named and sorted (a large set has thousands of tags).
    const likelyTop = <K>(m: Map<K, number>, k: number): [K, number][] => {
      const all = [...m];
      if (all.length <= k) return all;
      // Compared as shown (scaled), so ties broken by name come out as a full sort has them.
      const counts = Uint32Array.from(all, (e) => scaled(e[1])).sort();
      const least = counts[counts.length - k]!;
      return all.filter((e) => scaled(e[1]) >= least);
    };
    const origins = this.originMap();
    const tags = this.tagNames();
    return {
      facets: {
        tag: likelyTop(counts.tag, FACET_TOP.tag)
          .map(([id, c]) => ({ value: tags.get(id) ?? String(id), count: scaled(c) }))
          .sort(byCount)
          .slice(0, FACET_TOP.tag),
        origin: likelyTop(counts.origin, FACET_TOP.origin)
          .map(([id, c]) => ({
            value: origins.get(id)?.slug ?? String(id),
            label: origins.get(id)?.name ?? String(id),
            count: scaled(c),
          }))
          .sort(byCount)
          .slice(0, FACET_TOP.origin),
        classification: list(counts.classification).sort(byCount),
        year: [...counts.year]
          .map(([y, c]) => ({ value: String(y), count: scaled(c) }))
          .sort((a, b) => byValue(a.value, b.value)),
        marking: list(counts.marking).sort(byCount).slice(0, FACET_TOP.marking),
      },
      approximate: sampled,
      histogram: list(counts.month)
        .map((x) => ({ month: x.value, count: x.count }))
        .sort((a, b) => byValue(a.month, b.month)),
    };
  }

  private facetIndex(): FacetIndex {
    const dv = this.dataVersion();
    if (!this.memo || this.memo.dataVersion !== dv) this.memo = FacetIndex.load(this.db, this.hasSide);
    return this.memo;
  }

  /** Loads the in-memory facet index now rather than on the first query (servers, benchmarks). */
  preload(): void {
    if (this.tuning.facetIndex === 'memory') this.facetIndex();
  }

  private tagNames(): Map<number, string> {
    const dv = this.dataVersion();
    if (!this.tagMap || this.tagMap.dataVersion !== dv) {
      const names = new Map<number, string>();
      for (const [id, name] of this.prep('SELECT id, name FROM tags').raw().all() as [number, string][]) {
        names.set(id, name);
      }
      this.tagMap = { dataVersion: dv, names };
    }
    return this.tagMap.names;
  }

  private sqlFacets(hits: number[]): FacetCounts {
    // In id order, the lookups walk the b-trees forward.
    const ids = JSON.stringify([...hits].sort((a, b) => a - b));
    const rows = this.prep(
      `SELECT c.id, c.year, c.origin_id, c.classification, substr(c.created, 1, 7) FROM json_each(?) j
         CROSS JOIN cables c ${this.hasCover ? 'INDEXED BY search_cables_cover' : ''} ON c.id = j.value`,
    )
      .raw()
      .all(ids) as [number, number | null, number | null, string | null, string | null][];
    const counts: FacetCounts = {
      year: new Map(),
      origin: new Map(),
      classification: new Map(),
      month: new Map(),
      tag: new Map(),
      marking: new Map(),
    };
    const inc = <K>(m: Map<K, number>, k: K, by = 1) => m.set(k, (m.get(k) ?? 0) + by);
    for (const r of rows) {
      if (r[1] !== null) inc(counts.year, r[1]);
      if (r[2] !== null) inc(counts.origin, r[2]);
      if (r[3] !== null) inc(counts.classification, r[3]);
      if (r[4]) inc(counts.month, r[4]);
    }
    if (rows.length) {
      for (const [t, c] of this.prep(
        `SELECT t.tag_id, count(*) FROM json_each(?) j JOIN cable_tags t ON t.cable_id = j.value GROUP BY t.tag_id`,
      )
        .raw()
        .all(ids) as [number, number][]) {
        inc(counts.tag, t, c);
      }
      if (this.hasSide) {
        for (const [m, c] of this.prep(
          `SELECT m.marking, count(*) FROM json_each(?) j JOIN search_markings m ON m.cable_id = j.value
             GROUP BY m.marking`,
        )
          .raw()
          .all(ids) as [string, number][]) {
          inc(counts.marking, m, c);
        }
      }
    }
    return counts;
  }

  /** Display fields of some cables, in the order given. */
  private details(ids: number[], query: string | null, snippets: boolean): Omit<SearchHit, 'score'>[] {
    if (ids.length === 0) return [];
    const json = JSON.stringify(ids);
    const base = this.prep(
      `SELECT c.id, c.canonical_id, c.subject, c.created, c.released_at, o.name AS origin, o.slug AS origin_slug,
           c.classification FROM json_each(?) j JOIN cables c ON c.id = j.value LEFT JOIN origins o ON o.id = c.origin_id`,
    ).all(json) as {
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
    for (const r of this.prep(
      `SELECT t.cable_id AS id, g.name FROM json_each(?) j JOIN cable_tags t ON t.cable_id = j.value
         JOIN tags g ON g.id = t.tag_id ORDER BY t.cable_id, t.position`,
    ).all(json) as { id: number; name: string }[]) {
      const l = tags.get(r.id) ?? [];
      l.push(r.name);
      tags.set(r.id, l);
    }
    const snips = snippets ? this.snippets(json, query) : new Map<number, Snippet>();
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
          snippet: snips.get(id) ?? null,
        },
      ];
    });
  }

  /** An excerpt of each cable's body around the query's terms (its subject's when they are not in it). */
  private snippets(json: string, query: string | null): Map<number, Snippet> {
    const snips = new Map<number, Snippet>();
    const sq = snippetQuery(query ?? '');
    for (const [id, subject, body] of this.prep(
      `SELECT c.id, c.subject, v.body FROM json_each(?) j JOIN cables c ON c.id = j.value
         JOIN versions v ON v.id = c.version_id`,
    )
      .raw()
      .all(json) as [number, string, string][]) {
      const fromBody = snippetOf(body, sq);
      const fromSubject = fromBody.marks.length || !query ? null : snippetOf(subject, sq);
      snips.set(id, fromSubject?.marks.length ? fromSubject : fromBody);
    }
    return snips;
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
    if (sort !== 'relevance') rows.sort((a, b) => compareRows(a, b, sort));
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

/** `[id, key]`: key is a date (undated rows go last), or bm25 for rows already in relevance order. */
type Row = [number, number | string | null];
type FacetResult = { facets: Facets; approximate: boolean; histogram: { month: string; count: number }[] };

function emptyFacets(): Facets {
  return { tag: [], origin: [], classification: [], year: [], marking: [] };
}
/** `[id, bm25, tier]`. */
type Ranked = [number, number, 1 | 2];
/** `[id, bm25 of the match]`. */
type Scored = [number, number];
/** Added to the score of first-tier hits, so that scores decrease down the ranking. */
const TIER_BONUS = 1000;

/** Relevance order: tier, then bm25 (lower is better), then id; the same as `rankedPage`'s SQL. */
function compareRanked(a: Ranked, b: Ranked): number {
  return a[2] - b[2] || a[1] - b[1] || a[0] - b[0];
}

function compareRows(a: Row, b: Row, sort: SortOrder): number {
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
