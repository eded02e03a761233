/**
 * Search over the SQLite archive (design: ../README.md). A query is compiled to a plan of sets,
 * run against FTS5 for text and people and against the in-memory catalog for everything else;
 * the result set is then ranked or walked in date order for the page, and counted for facets.
 */
import type Database from 'better-sqlite3';
import { openSqliteArchive } from '../../store/sqlite/archive.js';
import type { PublicState } from '../../store/sqlite/read/state.js';
import type { Statements } from '../../store/sqlite/statements.js';
import { formatQuery, highlightTerms, parseQuery } from '../query.js';
import type { ExportRow, SearchEngine, SearchOptions, SearchResult, SortOrder } from '../types.js';
import { Catalog, type Visibility } from './catalog.js';
import { type Compiled, compile } from './compile.js';
import { type Cursor, decodeCursor, encodeCursor, rankedCursor } from './cursor.js';
import { evaluate } from './evaluate.js';
import { emptyFacets, type FacetResult, facetsOf, sampleOf, sampleStep } from './facets.js';
import { exportRow, hitsOf } from './hits.js';
import { datePage, sorted, sortKey } from './order.js';
import { type Ranked, ranked, score, titleHits } from './rank.js';
import { type IdSet, Scratch, subtract } from './sets.js';

export interface Tuning {
  /** Up to this many hits facets are exact; above, they are counted on a sample of about `facetSample`. */
  facetExactLimit: number;
  facetSample: number;
  /** Results kept per archive state, least recently used evicted first (0: no cache). */
  cacheSize: number;
}

export const DEFAULT_TUNING: Tuning = { facetExactLimit: 5000, facetSample: 5000, cacheSize: 500 };

/** Shown with text results while the full-text index is being built by an ingest. */
export const INDEX_BUILDING =
  'the full-text index is being built by an ingest under way: text matches are incomplete until it finishes';

const MAX_LIMIT = 1000;
const EXPORT_PAGE = 500;
const FAILED = 'the query could not be run';

/** A result set: listed, or (one large text query) counted with a facet sample drawn. */
interface Found {
  total: number;
  ids: IdSet | null;
  sample: IdSet | null;
}

/** What the engine searches: a connection with its statements and public-state tracker. */
export interface SearchSource {
  db: Database.Database;
  sql: Statements;
  state: PublicState;
  close?: () => Promise<void>;
}

export class SqliteSearch implements SearchEngine {
  readonly db: Database.Database;
  private readonly tuning: Tuning;
  private readonly st: Statements;
  private readonly state: PublicState;
  private readonly scratch = new Scratch();
  private catalog: Catalog | null = null;
  private kept: { vis: Visibility; results: Map<string, SearchResult>; everything?: FacetResult } | null =
    null;

  /** `owned`: the engine closes the source when it is closed. */
  constructor(
    private readonly source: SearchSource,
    tuning: Partial<Tuning> = {},
    private readonly owned = false,
  ) {
    this.db = source.db;
    this.st = source.sql;
    this.state = source.state;
    this.tuning = { ...DEFAULT_TUNING, ...tuning };
  }

  /** An engine with a read-only connection of its own to an archive file. */
  static open(file: string, opts: { tuning?: Partial<Tuning>; cacheKiB?: number } = {}): SqliteSearch {
    const archive = openSqliteArchive(file, {
      readonly: true,
      ...(opts.cacheKiB ? { cacheKiB: opts.cacheKiB } : {}),
    });
    return new SqliteSearch(archive, opts.tuning, true);
  }

  /** The catalog as of the archive's current data, reloaded after any write. */
  private cat(): Catalog {
    this.state.generation();
    const version = this.state.dataVersion;
    if (!this.catalog || this.catalog.version !== version) {
      this.catalog = new Catalog(this.db, version);
      this.kept = null;
    }
    return this.catalog;
  }

  /** Loads the catalog now rather than on the first query (servers, benchmarks). */
  preload(): void {
    this.cat();
  }

  /** The FTS5 expression a query's text compiles to (benchmarks, debugging). */
  explain(query: string): { match: string | null } {
    return { match: compile(parseQuery(query).ast, this.cat(), this.db).match };
  }

  async close(): Promise<void> {
    if (this.owned) await this.source.close?.();
  }

  /**
   * A result depends only on the query, the options and the archive state (data and which cables
   * are public), so it is kept for as long as that state lasts. Callers get their own copy.
   */
  async search(query: string, opts: SearchOptions = {}): Promise<SearchResult> {
    const now = opts.now ?? this.state.clock();
    const vis = this.cat().visibility(now);
    if (this.kept?.vis !== vis) this.kept = { vis, results: new Map() };
    const max = this.tuning.cacheSize;
    if (max <= 0) return this.compute(query, { ...opts, now });
    const results = this.kept.results;
    const key = JSON.stringify([
      query,
      opts.sort ?? null,
      opts.limit ?? null,
      opts.cursor ?? null,
      opts.facets !== false,
    ]);
    let r = results.get(key);
    if (r) results.delete(key);
    else {
      r = this.compute(query, { ...opts, now });
      // A failed query is not kept: its message may describe a passing condition.
      if (r.messages.some((m) => m.startsWith(FAILED))) return r;
      if (results.size >= max) results.delete(results.keys().next().value!);
    }
    results.set(key, r);
    return structuredClone(r);
  }

  private indexBuilding(): boolean {
    return this.st.prepare(`SELECT 1 FROM meta WHERE key = 'fts_stale'`).get() !== undefined;
  }

  private prepare(query: string, sort?: SortOrder) {
    const parsed = parseQuery(query);
    const cat = this.cat();
    const c = compile(parsed.ast, cat, this.db);
    const messages = [...parsed.messages, ...c.messages];
    if (c.match && this.indexBuilding()) {
      messages.push(INDEX_BUILDING);
      // The titles are indexed as cables are written, the text only at the end of the load.
      c.topImpliesMatch = false;
    }
    let order: SortOrder = sort ?? (c.match ? 'relevance' : '-created');
    if (order === 'relevance' && !c.match) order = '-created';
    return { parsed, cat, c, messages, sort: order };
  }

  private compute(query: string, opts: SearchOptions & { now: Date }): SearchResult {
    const { parsed, cat, c, messages, sort } = this.prepare(query, opts.sort);
    const limit = Math.max(1, Math.min(MAX_LIMIT, Math.trunc(opts.limit ?? 20) || 20));
    const cursor = opts.cursor ? decodeCursor(opts.cursor) : null;
    if (opts.cursor && !cursor) messages.push('the page cursor was not understood: showing the first page');
    const vis = cat.visibility(opts.now);
    const s = this.scratch;
    s.reset(cat.size);
    let total = 0;
    let page: number[] = [];
    let ranked: Ranked[] = [];
    let nextCursor: string | null = null;
    let f: FacetResult | null = null;
    try {
      // One large text query: counted, its facet sample drawn in the same scan; listed only if a
      // page needs more than its first tier.
      const found: Found =
        sort === 'relevance' && c.plan?.k === 'text' && vis.all && c.topImpliesMatch
          ? this.countText(cat, c.plan.match)
          : { total: 0, ids: this.resultSet(c, vis), sample: null };
      if (found.ids) found.total = found.ids.length;
      total = found.total;
      const listed = () => (found.ids ??= this.resultSet(c, vis));
      if (total > 0 && sort === 'relevance') {
        ranked = this.rankedPage(c, found, limit + 1, cursor);
        page = ranked.map((r) => r[0]);
      } else if (total > 0) page = datePage(cat, s, sort, listed(), cursor?.date ?? null, limit + 1);
      if (page.length > limit) {
        page = page.slice(0, limit);
        const last = page[limit - 1]!;
        nextCursor = ranked.length
          ? rankedCursor(ranked[limit - 1]!)
          : encodeCursor((sortKey(sort) === 'created' ? cat.created : cat.released)[last] ?? null, last);
      }
      if (opts.facets !== false) f = this.facets(cat, c, found, listed, vis);
    } catch (e) {
      // Only quoted terms and bound values reach SQLite; should FTS5 still refuse, say so.
      messages.push(`${FAILED} (${(e as Error).message}); showing no results`);
      total = 0;
      page = [];
      nextCursor = null;
      f = opts.facets !== false ? { facets: emptyFacets(), approximate: false, histogram: [] } : null;
    }
    const hits = hitsOf(cat, this.st, page, query).map((h, i) => ({
      ...h,
      score: ranked[i] ? score(ranked[i]!) : null,
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
      facets: f?.facets ?? null,
      facetsApproximate: f?.approximate ?? false,
      histogram: f?.histogram ?? [],
      redirect: onlyId && total === 1 ? (hits[0]?.id ?? null) : null,
      highlight: highlightTerms(parsed.ast),
    };
  }

  private resultSet(c: Compiled, vis: Visibility): IdSet {
    return c.plan ? evaluate(c.plan, vis, this.st, this.scratch) : vis.ids;
  }

  /**
   * A text query's total and facet sample in one scan of its doclists, after a first look at up
   * to `facetExactLimit + 1` hits (all of a small set). How far into the ids that look reached
   * guesses the total; the sample is drawn with a step that leaves about twice what that guess
   * needs, then thinned to the exact total's step (a multiple of it).
   */
  private countText(cat: Catalog, match: string): Found {
    const { facetExactLimit: exact, facetSample: size } = this.tuning;
    const first = this.st
      .pluck('SELECT rowid FROM cable_fts WHERE cable_fts MATCH ? LIMIT ?')
      .all(match, exact + 1) as number[];
    if (first.length <= exact) return { total: first.length, ids: Int32Array.from(first), sample: null };
    const guess = (first.length * cat.size) / Math.max(1, first[first.length - 1]!);
    const drawn = Math.max(1, Math.floor(guess / (2 * size)));
    const [total, csv] = this.st
      .raw(`SELECT count(*), group_concat(rowid) FILTER (WHERE rowid % ? = 0)
         FROM cable_fts WHERE cable_fts MATCH ?`)
      .get(drawn, match) as [number, string | null];
    let sample: IdSet;
    if (total / drawn >= size / 2) {
      const step = sampleStep(total, exact, size, drawn);
      sample = sampleOf(this.scratch, parseIds(this.scratch, csv ?? ''), step);
    } else {
      // The guess was far too high: drawn again with the exact step.
      const rows = this.st
        .pluck('SELECT rowid FROM cable_fts WHERE cable_fts MATCH ? AND rowid % ? = 0')
        .all(match, sampleStep(total, exact, size)) as number[];
      sample = Int32Array.from(rows);
    }
    return { total, ids: null, sample };
  }

  /** Up to `limit` hits after the cursor in relevance order. */
  private rankedPage(c: Compiled, found: Found, limit: number, cursor: Cursor | null): Ranked[] {
    const at = cursor?.ranked ?? null;
    const s = this.scratch;
    // A counted set holds every cable of its first tier (its top implies its match).
    let hits: number[] | null = null;
    const titled = () => (hits ??= c.top ? titleHits(this.st, s, c.top, found.ids) : []);
    let page: Ranked[] = [];
    if (c.top && at?.[2] !== 2)
      page = ranked(this.st, 1, c.top, found.ids ? { only: titled() } : null, at, limit);
    if (page.length >= limit) return page;
    const among = found.ids ? { only: without(s, found.ids, titled()) } : { except: titled() };
    return page.concat(ranked(this.st, 2, c.match!, among, at, limit - page.length));
  }

  private facets(cat: Catalog, c: Compiled, found: Found, listed: () => IdSet, vis: Visibility): FacetResult {
    if (found.total === 0) return { facets: emptyFacets(), approximate: false, histogram: [] };
    const count = () => {
      const step = sampleStep(found.total, this.tuning.facetExactLimit, this.tuning.facetSample);
      const ids = found.sample ?? (step === 1 ? listed() : sampleOf(this.scratch, listed(), step));
      return facetsOf(cat, this.scratch, ids, found.total);
    };
    // Browsing everything is the one query whose facets cover the archive: kept per state.
    if (c.plan !== null || this.kept?.vis !== vis) return count();
    this.kept.everything ??= count();
    return this.kept.everything;
  }

  /** Every hit of a query in the chosen order, in pages (no cap). */
  async *exportAll(query: string, opts: { sort?: SortOrder; now?: Date } = {}): AsyncIterable<ExportRow> {
    const { cat, c, sort } = this.prepare(query, opts.sort);
    const vis = cat.visibility(opts.now ?? this.state.clock());
    this.scratch.reset(cat.size);
    let order: number[];
    try {
      const ids = this.resultSet(c, vis);
      if (sort === 'relevance') {
        const titled = c.top ? titleHits(this.st, this.scratch, c.top, ids) : [];
        const first = c.top ? ranked(this.st, 1, c.top, { only: titled }, null, -1) : [];
        const rest = ranked(this.st, 2, c.match!, { only: without(this.scratch, ids, titled) }, null, -1);
        order = first.concat(rest).map((r) => r[0]);
      } else order = sorted(cat, this.scratch, sort, ids);
    } catch {
      order = [];
    }
    for (let i = 0; i < order.length; i += EXPORT_PAGE)
      for (const h of hitsOf(cat, this.st, order.slice(i, i + EXPORT_PAGE), null)) yield exportRow(h);
  }
}

/** `ids` without the (ascending) `drop`. */
function without(s: Scratch, ids: IdSet, drop: number[]): IdSet {
  return drop.length ? subtract(s, ids, drop) : ids;
}

/** Comma-separated ids (`group_concat`) into the query's working memory, without a string per id. */
function parseIds(s: Scratch, csv: string): IdSet {
  const out = s.ints(csv.length / 2 + 1);
  let n = 0;
  let v = -1;
  for (let i = 0; i < csv.length; i++) {
    const c = csv.charCodeAt(i) - 48;
    if (c >= 0 && c <= 9) v = (v < 0 ? 0 : v * 10) + c;
    else if (v >= 0) {
      out[n++] = v;
      v = -1;
    }
  }
  if (v >= 0) out[n++] = v;
  return out.subarray(0, n);
}
