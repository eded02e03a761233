/**
 * The SQLite `ArchiveReader`: the parts of the public read side over one connection. Aggregates
 * and listing orders are kept under the public state (`state.ts`), so nothing is served stale.
 * The calls are synchronous underneath (better-sqlite3), wrapped to the async contract.
 */
import type {
  ArchiveReader,
  CableLookup,
  CablePageLookup,
  CableSummary,
  ChartData,
  ClassificationEntry,
  Counts,
  Listing,
  ListingQuery,
  MonthDays,
  Neighbours,
  OriginEntry,
  ResolvedReference,
  TagEntry,
  VersionText,
  YearMonths,
} from '../../types.js';
import type { Statements } from '../statements.js';
import { Aggregates } from './aggregates.js';
import { CablePages } from './cable-page.js';
import { ReadContext } from './context.js';
import { Listings } from './listings.js';
import type { PublicState } from './state.js';
import { versions } from './versions.js';

export class SqliteReader implements ArchiveReader {
  private readonly ctx: ReadContext;
  private readonly agg: Aggregates;
  private readonly lists: Listings;
  private readonly pages: CablePages;

  constructor(sql: Statements, state: PublicState) {
    this.ctx = new ReadContext(sql, state);
    this.agg = new Aggregates(this.ctx);
    this.lists = new Listings(this.ctx, this.agg);
    this.pages = new CablePages(this.ctx);
  }

  async stateKey(): Promise<string> {
    return String(this.ctx.refresh());
  }

  async counts(): Promise<Counts> {
    return this.agg.counts();
  }

  async listing(q: ListingQuery): Promise<Listing> {
    return this.lists.listing(q);
  }

  async latest(limit: number, filter?: { tag?: string; origin?: string }): Promise<CableSummary[]> {
    return this.lists.latest(limit, filter);
  }

  async releaseCalendar(): Promise<MonthDays[]> {
    return this.agg.releaseCalendar();
  }

  async creationCalendar(): Promise<YearMonths[]> {
    return this.agg.creationCalendar();
  }

  async origins(): Promise<OriginEntry[]> {
    return this.agg.origins();
  }

  async origin(slug: string): Promise<OriginEntry | null> {
    return this.agg.origins().find((o) => o.slug === slug) ?? null;
  }

  async tags(): Promise<TagEntry[]> {
    return this.agg.tags();
  }

  async tag(name: string): Promise<TagEntry | null> {
    const t = this.agg.tagInfo(name);
    return t && t.count > 0 ? { name: t.name, kind: t.kind, count: t.count } : null;
  }

  async classifications(): Promise<ClassificationEntry[]> {
    return this.agg.classifications();
  }

  async cable(id: string): Promise<CableLookup> {
    return this.pages.cable(id);
  }

  async cablePage(id: string, citedByLimit: number): Promise<CablePageLookup> {
    return this.pages.cablePage(id, citedByLimit);
  }

  async neighbours(id: string): Promise<Neighbours> {
    return this.pages.neighbours(id);
  }

  async citedBy(id: string, limit: number): Promise<{ total: number; rows: CableSummary[] }> {
    return this.pages.citedBy(id, limit);
  }

  async references(id: string): Promise<ResolvedReference[]> {
    return this.pages.references(id);
  }

  async versions(id: string): Promise<VersionText[]> {
    return versions(this.ctx, id);
  }

  async charts(): Promise<ChartData> {
    return this.agg.charts();
  }

  async cableIds(offset: number, limit: number) {
    return this.lists.cableIds(offset, limit);
  }
}
