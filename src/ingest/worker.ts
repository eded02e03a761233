/**
 * Reader thread: streams one source and either parses each record itself, posting batches of
 * prepared items to the writer (main) thread, or — given parser ports — hands the raw batches to
 * parser threads in turn, which post the prepared batches to the writer. Batches carry a sequence
 * number so the writer commits them in source order. At most `window` batches are in flight (read
 * but not yet committed), so memory stays bounded however far the reader runs ahead of the writer.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openSource } from '../source/detect.js';
import type { SourceItem } from '../source/types.js';
import { nameThread, yieldToIndexBuilder } from '../util/threads.js';
import type { RawBatch, ResumePoint, WorkerInput, WorkerMessage } from './messages.js';
import { prepareItem } from './prepare.js';

async function run(input: WorkerInput): Promise<void> {
  // Without parser threads (two cores) parsing is most of this thread's work.
  nameThread(input.parsers.length > 0 ? 'cables-read' : 'cables-parse');
  yieldToIndexBuilder();
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
  let seq = 0;
  const parsers = input.parsers;
  const send = async (items: SourceItem[], next: ResumePoint, bytes: number) => {
    while (credits <= 0) await new Promise<void>((r) => (wake = r));
    credits--;
    if (parsers.length === 0) {
      const prepared = items.map(prepareItem);
      port.postMessage({ type: 'batch', seq, items: prepared, next, bytes } satisfies WorkerMessage);
    } else {
      const raw: RawBatch = { type: 'raw', seq, items, next, bytes };
      parsers[seq % parsers.length]!.postMessage(raw);
    }
    seq++;
  };

  let batch: SourceItem[] = [];
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
    bytes += item.kind === 'record' ? item.header.length + item.body.length : item.raw.length;
    batch.push(item);
    next = point(item);
    if (batch.length >= input.batchRows || bytes >= input.batchBytes) {
      await send(batch, next, bytes);
      batch = [];
      bytes = 0;
    }
  }
  if (batch.length) await send(batch, next, bytes);
  port.postMessage({ type: 'end', batches: seq } satisfies WorkerMessage);
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
