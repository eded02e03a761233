/**
 * Reader-and-parser thread: streams one source, parses each record and posts batches of prepared
 * items to the writer (main) thread. At most `window` batches are in flight, so memory stays bounded
 * however far the parser runs ahead of the writer.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openSource } from '../source/detect.js';
import type { SourceFormat, SourceItem } from '../source/types.js';
import type { PreparedItem } from '../store/store.js';
import { prepareItem } from './prepare.js';

export interface WorkerInput {
  path: string;
  format: SourceFormat | undefined;
  startOffset: number;
  startRow: number;
  startLine: number;
  batchRows: number;
  batchBytes: number;
  window: number;
}

/** Where the reader stands after a batch: the first record not in it (null when unknown). */
export interface ResumePoint {
  offset: number | null;
  row: number | null;
  line: number | null;
}

export type WorkerMessage =
  | { type: 'batch'; items: PreparedItem[]; next: ResumePoint; bytes: number }
  | { type: 'end' }
  | { type: 'error'; message: string };

async function run(input: WorkerInput): Promise<void> {
  const port = parentPort!;
  let credits = input.window;
  let wake: (() => void) | null = null;
  port.on('message', (m: { type: string }) => {
    if (m.type === 'ack') {
      credits++;
      wake?.();
      wake = null;
    }
  });
  const send = async (msg: WorkerMessage) => {
    while (credits <= 0) await new Promise<void>((r) => (wake = r));
    credits--;
    port.postMessage(msg);
  };

  let batch: PreparedItem[] = [];
  let bytes = 0;
  let next: ResumePoint = { offset: null, row: null, line: null };
  const opts =
    input.startOffset > 0
      ? {
          format: input.format,
          startOffset: input.startOffset,
          startRow: input.startRow,
          startLine: input.startLine,
        }
      : { format: input.format };
  for await (const item of await openSource(input.path, opts)) {
    const prepared = prepareItem(item);
    bytes += prepared.kind === 'record' ? prepared.header.length + prepared.body.length : prepared.raw.length;
    batch.push(prepared);
    next = point(item);
    if (batch.length >= input.batchRows || bytes >= input.batchBytes) {
      await send({ type: 'batch', items: batch, next, bytes });
      batch = [];
      bytes = 0;
    }
  }
  if (batch.length) await send({ type: 'batch', items: batch, next, bytes });
  port.postMessage({ type: 'end' } satisfies WorkerMessage);
}

/** Resume just past this item, as the readers' locators describe. */
function point(item: SourceItem): ResumePoint {
  const at = item.at;
  if (at.endOffset === undefined) return { offset: null, row: null, line: null };
  return { offset: at.endOffset, row: (at.row ?? 0) + 1, line: at.endLine ?? null };
}

run(workerData as WorkerInput).catch((err: unknown) => {
  parentPort!.postMessage({
    type: 'error',
    message: err instanceof Error ? (err.stack ?? err.message) : String(err),
  } satisfies WorkerMessage);
});
