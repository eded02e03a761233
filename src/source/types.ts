/**
 * What every source reader yields. A reader turns one kind of input (cables.csv, a tree of site
 * pages, JSON lines, plain text) into a stream of `SourceRecord`s and `SourceReject`s; it never
 * throws for a bad row — it yields a reject naming the place and the reason, and goes on.
 */

/** `csv` is the WikiLeaks cables.csv dialect; `archive-csv` the archive's own RFC 4180 export. */
export type SourceFormat = 'csv' | 'archive-csv' | 'pages' | 'jsonl' | 'text';

/** Where a record came from: a file plus a row (CSV), line (JSONL) or nothing (one file = one cable). */
export interface Locator {
  source: string;
  /** 1-based CSV row number or JSONL line number; null when the file holds one cable. */
  row: number | null;
  /** 1-based physical line of the file where the record starts, when known. */
  line: number | null;
  /** Byte offset of the record's start in the file, used to resume an interrupted ingest. */
  offset: number | null;
  /**
   * Byte offset just past the record (where the next one starts) and the 1-based line there: resume
   * with `{ startOffset: endOffset, startRow: row + 1, startLine: endLine }` once this record is
   * committed. Set by the streaming readers (CSV, JSONL); absent when the file holds one cable.
   */
  endOffset?: number;
  endLine?: number;
}

export interface SourceRecord {
  kind: 'record';
  at: Locator;
  /** Reference ID exactly as the source gives it (may be malformed). */
  referenceId: string;
  /** Created time as ISO 8601 UTC (`2009-12-09T18:33:00Z`), or null when the source has none. */
  created: string | null;
  /** Created time exactly as the source showed it (e.g. the 2010-layout cell with the minute bug). */
  createdAsShown: string | null;
  /** Release time as ISO 8601 UTC when the source carries one (site pages, JSONL `released`). */
  released: string | null;
  origin: string | null;
  classification: string | null;
  /** Canonical IDs of cited cables when the source lists them (cables.csv field 6). */
  references: string[] | null;
  header: string;
  body: string;
  /** Anything else the source carried (articles, subject heading, page layout…). */
  extra: Record<string, unknown>;
}

export interface SourceReject {
  kind: 'reject';
  at: Locator;
  /** Human-readable reason: `unterminated quote`, `7 fields, expected 8`, `invalid date "13/45/2009 25:99"`… */
  reason: string;
  /** The raw bytes of the rejected row/line/file as far as they could be read, so nothing is lost. */
  raw: string;
  /** The exact bytes when the reader had them (CSV, JSONL): `raw` is their lossy UTF-8 reading. */
  rawBytes?: Uint8Array;
}

export type SourceItem = SourceRecord | SourceReject;

export interface SourceOptions {
  /** Resume reading at this byte offset (the start of a record), for crash-safe re-runs. */
  startOffset?: number;
  /** Fields larger than this are rejected as oversized (bytes). */
  maxFieldBytes?: number;
  /** Row number (1-based) of the record at `startOffset`, so resumed rows keep their numbers. */
  startRow?: number;
  /** Physical line (1-based) where `startOffset` lies. */
  startLine?: number;
  /** Forces the reader (`openSource`); detected from the path and first bytes otherwise. */
  format?: SourceFormat;
}
