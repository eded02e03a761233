/** What the ingest's threads say to each other: the reader, the parsers and the writer. */
import type { MessagePort } from 'node:worker_threads';
import type { SourceFormat, SourceItem } from '../source/types.js';
import type { PreparedItem } from '../store/types.js';

export interface WorkerInput {
  path: string;
  format: SourceFormat | undefined;
  startOffset: number;
  startRow: number;
  startLine: number;
  batchRows: number;
  batchBytes: number;
  window: number;
  /** Parser threads' ports; empty when this thread parses itself. */
  parsers: MessagePort[];
}

/** Where the reader stands after a batch: the first record not in it (null when unknown). */
export interface ResumePoint {
  offset: number | null;
  row: number | null;
  line: number | null;
}

export type WorkerMessage =
  | { type: 'batch'; seq: number; items: PreparedItem[]; next: ResumePoint; bytes: number }
  /** The reader is done; `batches` is how many it sent in all. */
  | { type: 'end'; batches: number }
  | { type: 'error'; message: string };

export interface ParseWorkerInput {
  /** Where the reader sends the raw batches. */
  port: MessagePort;
}

/** A raw batch from the reader: `seq` numbers the batches of one source from 0. */
export interface RawBatch {
  type: 'raw';
  seq: number;
  items: SourceItem[];
  next: ResumePoint;
  bytes: number;
}
