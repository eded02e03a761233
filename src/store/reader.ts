/**
 * The public read side of the archive: everything the site, feeds and exports show. Every method
 * returns public (released) cables only — the SQLite implementation applies `release/visibility`
 * in each query — except `counts().total`, the size of the whole archive, which is public as on
 * the original site. A PostgreSQL backend implements the same interface, hence async throughout.
 */

export type SortKey = 'created' | 'released';
export type SortDir = 'asc' | 'desc';

export type ListingKind = 'reldate' | 'date' | 'origin' | 'tag' | 'classification';

export interface ListingQuery {
  kind: ListingKind;
  /** `YYYY-MM-DD` (reldate), `YYYY-MM` (date), origin slug, tag name, classification slug. */
  key: string;
  sort: SortKey;
  dir: SortDir;
  /** 1-based. */
  page: number;
  pageSize: number;
}

/** One row of a listing table. */
export interface CableSummary {
  id: string;
  subject: string;
  /** ISO 8601 UTC or null. */
  created: string | null;
  released: string;
  classification: string | null;
  classificationSlug: string | null;
  origin: string | null;
  originSlug: string | null;
}

export interface Listing {
  total: number;
  rows: CableSummary[];
}

export interface Counts {
  /** Cables in the archive, released or not (a public number). */
  total: number;
  released: number;
}

export interface DayCount {
  day: string;
  count: number;
}
export interface MonthDays {
  month: string;
  count: number;
  days: DayCount[];
}
export interface YearMonths {
  year: number;
  count: number;
  months: { month: string; count: number }[];
}

export interface OriginEntry {
  name: string;
  slug: string;
  count: number;
}
export interface TagEntry {
  name: string;
  kind: string;
  count: number;
}
export interface ClassificationEntry {
  name: string;
  slug: string;
  count: number;
}

export interface ParagraphInfo {
  number: number;
  marking: string | null;
  start: number;
  end: number;
}

export interface ResolvedReference {
  kind: string;
  bullet: string | null;
  value: string;
  /**
   * `released`: the cited cable is public (`target` and `subject` given); `embargoed`: it is in the
   * archive but not yet released (nothing about it given); `absent`: not in the archive; `none`: the
   * item names no cable.
   */
  status: 'released' | 'embargoed' | 'absent' | 'none';
  target: CableSummary | null;
}

export interface VersionInfo {
  number: number;
  hash: string;
  referenceId: string;
  source: string;
  sourceTime: string | null;
  ingestedAt: string;
  variant: boolean;
  current: boolean;
}

export interface VersionText extends VersionInfo {
  header: string;
  body: string;
}

export interface CableDetail extends CableSummary {
  referenceId: string;
  createdAsShown: string | null;
  /** The header's date-time group as written (`132203Z DEC 09`) and its instant. */
  dtg: { text: string; utc: string | null } | null;
  header: string;
  body: string;
  tags: { name: string; kind: string }[];
  paragraphs: ParagraphInfo[];
  flags: string[];
  redactions: { start: number; end: number }[];
  aliases: string[];
  versionCount: number;
}

export type CableLookup =
  | { kind: 'found'; cable: CableDetail }
  /** The ID is an alias (or another spelling) of a public cable. */
  | { kind: 'redirect'; id: string; created: string | null }
  | { kind: 'missing' };

/** A cable with what its page shows beside it, or where else to look. */
export type CablePageLookup =
  | {
      kind: 'found';
      cable: CableDetail;
      references: ResolvedReference[];
      citedBy: { total: number; rows: CableSummary[] };
      neighbours: Neighbours;
    }
  | Exclude<CableLookup, { kind: 'found' }>;

export interface Neighbours {
  previous: CableSummary | null;
  next: CableSummary | null;
}

export interface ChartData {
  classifications: string[];
  /** Public cables per year of creation, split by classification (same order as `classifications`). */
  years: { year: number; counts: number[] }[];
  releasesPerDay: DayCount[];
}

export interface ArchiveReader {
  /**
   * An opaque token that changes whenever what the public may see changes (a commit by a writer,
   * or a release time passing), so callers may cache anything derived from the archive under it.
   */
  stateKey(): Promise<string>;
  counts(): Promise<Counts>;
  listing(q: ListingQuery): Promise<Listing>;
  /** Latest releases, newest first (feeds, home). */
  latest(limit: number, filter?: { tag?: string; origin?: string }): Promise<CableSummary[]>;
  releaseCalendar(): Promise<MonthDays[]>;
  creationCalendar(): Promise<YearMonths[]>;
  origins(): Promise<OriginEntry[]>;
  origin(slug: string): Promise<OriginEntry | null>;
  tags(): Promise<TagEntry[]>;
  tag(name: string): Promise<TagEntry | null>;
  classifications(): Promise<ClassificationEntry[]>;
  /** A cable by canonical ID, or a redirect when `id` is an alias of a public cable. */
  cable(id: string): Promise<CableLookup>;
  /**
   * `cable(id)` with the cable's references, first `citedByLimit` citing cables and neighbours:
   * what its page needs, in one call (the same as calling each of them).
   */
  cablePage(id: string, citedByLimit: number): Promise<CablePageLookup>;
  neighbours(id: string): Promise<Neighbours>;
  citedBy(id: string, limit: number): Promise<{ total: number; rows: CableSummary[] }>;
  references(id: string): Promise<ResolvedReference[]>;
  versions(id: string): Promise<VersionText[]>;
  charts(): Promise<ChartData>;
  /** Public cables in a stable order, for the sitemap: `offset`/`limit` over that order. */
  cableIds(
    offset: number,
    limit: number,
  ): Promise<{ id: string; created: string | null; released: string }[]>;
  close(): Promise<void>;
}
