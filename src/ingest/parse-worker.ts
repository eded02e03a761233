/**
 * Parser thread of a parallel ingest: takes batches of raw source items from the reader thread
 * (over its own MessagePort), parses and prepares them, and posts them to the writer (main) thread
 * with the reader's sequence number, so the writer can commit them in source order.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { PreparedItem } from '../store/types.js';
import { nameThread, yieldToIndexBuilder } from '../util/threads.js';
import type { ParseWorkerInput, RawBatch, WorkerMessage } from './messages.js';
import { prepareItem } from './prepare.js';

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
