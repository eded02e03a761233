/**
 * Parser thread of a parallel ingest: takes batches of raw source items from the reader thread
 * (over its own MessagePort), parses and prepares them, and posts them to the writer (main) thread
 * with the reader's sequence number, so the writer can commit them in source order.
 */
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import type { SourceItem } from '../source/types.js';
import type { PreparedItem } from '../store/types.js';
import { nameThread, yieldToIndexBuilder } from '../util/threads.js';
import { prepareItem } from './prepare.js';
import type { ResumePoint, WorkerMessage } from './worker.js';

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

const { port } = workerData as ParseWorkerInput;
nameThread('cables-parse');
yieldToIndexBuilder();
// The port keeps this thread alive until the writer terminates it, after the last commit.
port.on('message', (m: RawBatch) => {
  try {
    const items: PreparedItem[] = m.items.map(prepareItem);
    parentPort!.postMessage({
      type: 'batch',
      seq: m.seq,
      items,
      next: m.next,
      bytes: m.bytes,
    } satisfies WorkerMessage);
  } catch (err) {
    parentPort!.postMessage({
      type: 'error',
      message: err instanceof Error ? (err.stack ?? err.message) : String(err),
    } satisfies WorkerMessage);
  }
});
