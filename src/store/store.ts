/**
 * The archive's storage contract. The embedded default is SQLite (`sqlite/sqlite-store.ts`); a
 * PostgreSQL backend will implement the same interface, so every call is batch-sized and async.
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
  /** The whole parsed `Cable`, compressed JSON (`codec.ts`), so exports carry every parsed field. */
  parsed: Uint8Array;
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
  /** Keep the full-text index in step row by row (false while a bulk load defers it to a rebuild). */
  indexNow: boolean;
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
 * A full-text index built off the write path during a bulk load, made part of the archive at the
 * end. Until then the archive reports its index as stale.
 */
export interface BackgroundIndex {
  /** The writer committed more data: there is more to index. */
  committed(): void;
  /** The load is complete: the index catches up, then joins the archive (one transaction). */
  finish(onProgress?: (p: IndexProgress) => void): Promise<void>;
  /** Stops the build without finishing (after an error); the next ingest resumes it. */
  stop(): Promise<void>;
}

export interface IndexProgress {
  phase: 'index' | 'merge';
  /** Cables indexed so far, and how many there are. */
  done: number;
  total: number;
}

export interface ArchiveStats {
  cables: number;
  /** Public now (`release/visibility.ts`). */
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

export interface ArchiveStore {
  /** True when the archive holds no cable yet (a bulk load may then defer indexing). */
  isEmpty(): Promise<boolean>;
  getCheckpoint(sourceKey: string): Promise<Checkpoint | null>;
  /** Writes one batch and its checkpoint atomically: after a crash, either all of it is there or none. */
  writeBatch(items: PreparedItem[], opts: BatchOptions): Promise<BatchResult>;
  /** Marks a source as completely read, so the next ingest of it starts from the beginning. */
  finishCheckpoint(sourceKey: string): Promise<void>;
  /** Marks the full-text index stale (deferred) in the same durable state as the data. */
  markIndexStale(): Promise<void>;
  isIndexStale(): Promise<boolean>;
  /** Rebuilds the full-text index from the stored texts and clears the stale mark. */
  rebuildIndex(): Promise<void>;
  /** Builds the secondary indexes a first load left for its end (nothing when there are none). */
  restoreIndexes(onStart?: () => void): Promise<void>;
  /**
   * Starts the full-text index of a bulk load in the background, or resumes one an interrupted
   * load left: on a first load (an archive with no cable) or when a background build is pending.
   * Null when the index is kept row by row (`indexNow`) instead. Batches written meanwhile must
   * pass `indexNow: false`. `resumeOnly`: start no new build, only resume a pending one.
   */
  startBackgroundIndex(opts?: { resumeOnly?: boolean }): Promise<BackgroundIndex | null>;
  stats(): Promise<ArchiveStats>;
  rejects(): AsyncIterable<RejectRow>;
  exportCables(opts: { releasedOnly: boolean }): AsyncIterable<ExportedCable>;
  /** A digest of the archive's content (not of ingest times), to compare two archives. */
  contentDigest(): Promise<string>;
  close(): Promise<void>;
}
