/**
 * The archive's storage contract: what an archive holds and the operations the layers above need,
 * for any backend. SQLite (`sqlite/`) is the embedded default; a PostgreSQL backend will implement
 * the same interfaces and pass the same suite (`test/store/contract.ts`). Every call is async
 * (a network client is) and batch-sized.
 */
import type { Locator } from '../source/types.js';

/** One cable ready to be written: the raw texts plus everything the parser derived from them. */
export interface PreparedCable {
  at: Locator;
  referenceId: string;
  canonicalId: string;
  /** Further IDs the cable is known by (from an archive export); the reference ID is always one. */
  aliases: string[];
  /** ISO 8601 UTC, or null. */
  created: string | null;
  createdAsShown: string | null;
  /** Release time the source carries (ISO 8601), or null. */
  released: string | null;
  origin: string | null;
  /** The classification the source states (table cell / CSV column). */
  classification: string | null;
  /** The classification from the body's banner, as parsed. */
  parsedClassification: string | null;
  header: string;
  body: string;
  /** Hex digest of header and body: the identity of a text version. */
  hash: string;
  subject: string;
  year: number | null;
  tags: { name: string; kind: string }[];
  references: { kind: string; target: string | null; bullet: string | null; value: string }[];
  paragraphs: { number: number; marking: string | null; start: number; end: number }[];
  /** JSON of the parse's fields only the cable page shows (`PageFields`, `parsed.ts`). */
  parsed: string;
  /** The source's extra fields as JSON. */
  extra: string;
  /** The source declares this record an earlier variant of a cable (a version, not a duplicate). */
  variant: boolean;
  /** Signers and recipients (TO and INFO) by name, for search by person. */
  signers: string[];
  recipients: string[];
}

export interface PreparedReject {
  at: Locator;
  reason: string;
  raw: string;
}

export type PreparedItem = ({ kind: 'record' } & PreparedCable) | ({ kind: 'reject' } & PreparedReject);

/** Where to resume a source: the first record not yet committed. */
export interface Checkpoint {
  sourceKey: string;
  offset: number;
  row: number;
  line: number;
  done: boolean;
}

export interface BatchOptions {
  /** Release time for records whose source carries none (`--released-at`); null keeps them embargoed. */
  releasedAt: string | null;
  /** Ingest time stamp for new versions. */
  now: string;
  /** Committed with the batch: where to resume the source. */
  checkpoint: Checkpoint | null;
}

export interface BatchResult {
  inserted: number;
  versionsAdded: number;
  unchanged: number;
  rejected: number;
  /** Rejects found by the store (e.g. a duplicate ID with conflicting text), to report to the user. */
  rejects: PreparedReject[];
}

/**
 * A load of many batches (an ingest). The backend may defer work to its end (SQLite builds its
 * full-text index beside a first load and its secondary indexes after it); until `finish`, reads
 * stay correct but text search may be incomplete. A load killed at any moment is completed by the
 * next one.
 */
export interface Load {
  /** Does the deferred work; the archive is then as if every batch had been fully indexed. */
  finish(onProgress?: (p: LoadProgress) => void): Promise<void>;
  /** Stops without finishing (after an error); the next load completes it. */
  stop(): Promise<void>;
}

export interface LoadProgress {
  /** `index`: the text index catches up; `merge`: it joins the archive; `indexes`: other indexes are built. */
  phase: 'index' | 'merge' | 'indexes';
  /** Cables indexed so far, and how many there are (when the step counts them). */
  done?: number;
  total?: number;
}

export interface ArchiveStats {
  cables: number;
  /** Public now (`store/visibility.ts`). */
  released: number;
  /** Not public now: no release time, or one still ahead (`scheduled`, counted in here too). */
  embargoed: number;
  scheduled: number;
  versions: number;
  rejected: number;
  aliases: number;
  origins: number;
  tags: number;
  references: { total: number; resolved: number; dangling: number };
  byClassification: Record<string, number>;
  byYear: Record<string, number>;
}

export interface RejectRow {
  source: string;
  row: number | null;
  line: number | null;
  offset: number | null;
  reason: string;
  raw: string;
  recordedAt: string;
}

export interface ExportedVersion {
  hash: string;
  source: string;
  sourceRow: number | null;
  sourceTime: string | null;
  ingestedAt: string;
  current: boolean;
}

export interface ExportedCable {
  canonicalId: string;
  referenceId: string;
  aliases: string[];
  created: string | null;
  createdAsShown: string | null;
  origin: string | null;
  /** Canonical IDs the cable cites (the reference graph's edges). */
  references: string[];
  originSlug: string | null;
  classification: string | null;
  releasedAt: string | null;
  header: string;
  body: string;
  parsed: unknown;
  extra: unknown;
  versions: ExportedVersion[];
}

/** What operators read (`stats`, `rejects`, `export-data`): everything, embargoed or not. */
export interface ArchiveReports {
  stats(): Promise<ArchiveStats>;
  rejects(): AsyncIterable<RejectRow>;
  exportCables(opts: { releasedOnly: boolean }): AsyncIterable<ExportedCable>;
  /** A digest of the archive's content (not of ingest times), to compare two archives. */
  contentDigest(): Promise<string>;
}

export interface ArchiveStore extends ArchiveReports {
  /**
   * Starts a load; batches written until its `finish` or `stop` belong to it. One at a time; a
   * batch written outside any load defers nothing.
   */
  beginLoad(): Promise<Load>;
  /** Writes one batch and its checkpoint atomically: after a crash, either all of it is there or none. */
  writeBatch(items: PreparedItem[], opts: BatchOptions): Promise<BatchResult>;
  getCheckpoint(sourceKey: string): Promise<Checkpoint | null>;
  /** Marks a source as completely read, so the next ingest of it starts from the beginning. */
  finishCheckpoint(sourceKey: string): Promise<void>;
}

/** An open archive: one connection (or pool) behind all three parts. */
export interface Archive {
  /** Null when opened read-only. */
  store: ArchiveStore | null;
  reports: ArchiveReports;
  /** The public side: nothing that is not released now (`store/visibility.ts`) is ever returned. */
  reader: ArchiveReader;
  close(): Promise<void>;
}

export interface ArchiveOptions {
  readonly?: boolean;
  /** Create the archive when there is none (else opening a missing archive fails). */
  create?: boolean;
  /** The clock deciding what is released (tests move it). */
  clock?: () => Date;
}

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
  /**
   * Public cables in the order they entered the archive, for the sitemap: `offset`/`limit` over
   * that order (the order listings break ties of their sort key by).
   */
  cableIds(
    offset: number,
    limit: number,
  ): Promise<{ id: string; created: string | null; released: string }[]>;
}
