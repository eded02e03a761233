/**
 * The ingest pipeline: for each source, a worker thread reads and parses while this thread is the
 * single writer, committing each batch together with the checkpoint of the next unread record. A
 * run killed at any moment resumes from the last commit; everything it re-reads is idempotent.
 */
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import type { SourceFormat, SourceItem } from '../source/types.js';
import type {
  ArchiveStore,
  BatchOptions,
  BatchResult,
  Checkpoint,
  Load,
  PreparedItem,
} from '../store/types.js';
import { envInt, startWorker, WORKER_LIMITS } from '../util/threads.js';
import type { WorkerInput, WorkerMessage } from './messages.js';
import { prepareItem } from './prepare.js';

export interface IngestOptions {
  format?: SourceFormat;
  /** Release time for records whose source carries none; null leaves them embargoed. */
  releasedAt?: string | null;
  batchRows?: number;
  batchBytes?: number;
  /** Parser threads besides the reader (default: spare cores beyond two, on a large source). */
  parseWorkers?: number;
  onProgress?: (p: Progress) => void;
  /** Clock, for reproducible tests. */
  now?: () => string;
}

export interface Progress {
  source: string;
  rows: number;
  bytes: number;
  /** Size of the source file in bytes (0 when unknown). */
  totalBytes: number;
  /** Byte position reached in the source. */
  position: number;
  /**
   * `index`: the full-text index catches up after the load (`indexed` of `rows`); `merge`: it joins
   * the archive; `indexes`: a first load builds its secondary indexes.
   */
  phase: 'ingest' | 'index' | 'merge' | 'indexes' | 'done';
  /** Cables indexed so far in the `index` phase. */
  indexed?: number;
}

export interface RejectSummary {
  source: string;
  row: number | null;
  line: number | null;
  reason: string;
}

export interface SourceSummary {
  source: string;
  resumedFrom: { offset: number; row: number } | null;
  rows: number;
}

export interface IngestSummary {
  inserted: number;
  versionsAdded: number;
  unchanged: number;
  rejected: number;
  /** Rejects recorded for these sources by an interrupted earlier run, before the resume point. */
  rejectedEarlier: number;
  rows: number;
  bytes: number;
  elapsedMs: number;
  sources: SourceSummary[];
  rejects: RejectSummary[];
}

const MAX_LISTED_REJECTS = 1000;

function emptySummary(): IngestSummary {
  return {
    inserted: 0,
    versionsAdded: 0,
    unchanged: 0,
    rejected: 0,
    rejectedEarlier: 0,
    rows: 0,
    bytes: 0,
    elapsedMs: 0,
    sources: [],
    rejects: [],
  };
}

/** A checkpoint belongs to one file as it was: a changed file starts over (idempotently). */
export function sourceKey(path: string): string {
  const st = statSync(path);
  return `${resolve(path)}|${st.size}|${Math.trunc(st.mtimeMs)}`;
}

class Writer {
  readonly summary = emptySummary();
  /** The store's load: what it defers (indexes) it completes in `finish`, or the next run does. */
  private load: Load | null = null;
  private readonly started = Date.now();

  constructor(
    readonly store: ArchiveStore,
    readonly opts: IngestOptions,
  ) {}

  async begin(): Promise<void> {
    this.load = await this.store.beginLoad();
  }

  async write(items: PreparedItem[], checkpoint: Checkpoint | null): Promise<void> {
    const bo: BatchOptions = {
      releasedAt: this.opts.releasedAt ?? null,
      now: this.opts.now?.() ?? new Date().toISOString(),
      checkpoint,
    };
    const r = await this.store.writeBatch(items, bo);
    this.add(r, items);
  }

  private add(r: BatchResult, items: PreparedItem[]): void {
    const s = this.summary;
    s.inserted += r.inserted;
    s.versionsAdded += r.versionsAdded;
    s.unchanged += r.unchanged;
    s.rejected += r.rejected;
    s.rows += items.length;
    for (const it of items) {
      if (it.kind === 'reject') this.listReject(it.at.source, it.at.row, it.at.line, it.reason);
    }
    for (const it of r.rejects) this.listReject(it.at.source, it.at.row, it.at.line, it.reason);
  }

  private listReject(source: string, row: number | null, line: number | null, reason: string): void {
    if (this.summary.rejects.length < MAX_LISTED_REJECTS)
      this.summary.rejects.push({ source, row, line, reason });
  }

  /** After an error: stops the load, which the next ingest completes. */
  async abort(): Promise<void> {
    await this.load?.stop();
    this.load = null;
  }

  async finish(): Promise<IngestSummary> {
    const rows = this.summary.rows;
    // A step with counts shows them (the text index catching up); the others only their phase.
    await this.load?.finish((p) =>
      this.opts.onProgress?.({
        source: '',
        rows,
        bytes: 0,
        totalBytes: p.total ?? 0,
        position: p.done ?? 0,
        phase: p.phase,
        ...(p.done === undefined ? {} : { indexed: p.done }),
      }),
    );
    this.load = null;
    this.summary.elapsedMs = Date.now() - this.started;
    return this.summary;
  }
}

/** Ingest files (any mix of formats); each is read and parsed in a worker thread. */
export async function ingestFiles(
  store: ArchiveStore,
  paths: string[],
  opts: IngestOptions = {},
): Promise<IngestSummary> {
  const writer = new Writer(store, opts);
  await writer.begin();
  try {
    for (const path of paths) await ingestFile(writer, path, opts);
    return await writer.finish();
  } finally {
    await writer.abort();
  }
}

async function ingestFile(writer: Writer, path: string, opts: IngestOptions): Promise<void> {
  const key = sourceKey(path);
  const totalBytes = statSync(path).size;
  const prior = await writer.store.getCheckpoint(key);
  const resume = prior && !prior.done && prior.offset > 0 ? prior : null;
  const src: SourceSummary = {
    source: path,
    resumedFrom: resume ? { offset: resume.offset, row: resume.row } : null,
    rows: 0,
  };
  writer.summary.sources.push(src);
  if (resume) writer.summary.rejectedEarlier += await countRejectsBefore(writer.store, path, resume.offset);

  const parserCount = parseWorkersFor(totalBytes, opts);
  const channels = Array.from({ length: parserCount }, () => new MessageChannel());
  const input: WorkerInput = {
    path,
    format: opts.format,
    startOffset: resume?.offset ?? 0,
    startRow: resume?.row ?? 1,
    startLine: resume?.line ?? 1,
    batchRows: opts.batchRows ?? envInt('CABLES_INGEST_BATCH_ROWS', 1) ?? 1000,
    batchBytes: opts.batchBytes ?? 8 * 1024 * 1024,
    // Each parser should have a batch queued behind the one it works on, to stay busy.
    window: 4,
    parsers: channels.map((c) => c.port1),
  };
  const reader = startWorker(import.meta.url, 'worker', input, {
    transferList: input.parsers,
    ...(parserCount > 0 ? { resourceLimits: WORKER_LIMITS } : {}),
  });
  const parsers = channels.map((c) =>
    startWorker(
      import.meta.url,
      'parse-worker',
      { port: c.port2 },
      { transferList: [c.port2], resourceLimits: WORKER_LIMITS },
    ),
  );
  const threads = [reader, ...parsers];
  let position = input.startOffset;
  let rows = 0;
  let bytes = 0;
  try {
    await new Promise<void>((done, fail) => {
      // Batches arrive from several threads; they are committed strictly in the reader's order, so
      // every checkpoint covers all the rows before it.
      const pending = new Map<number, Extract<WorkerMessage, { type: 'batch' }>>();
      let nextSeq = 0;
      let total: number | null = null;
      let chain = Promise.resolve();
      let finished = false;
      const finish = async () => {
        if (finished || total === null || nextSeq < total) return;
        finished = true;
        // The source is finished: the next run reads it from the start again (idempotently).
        await writer.store.finishCheckpoint(key);
        done();
      };
      const writeReady = async () => {
        for (let m = pending.get(nextSeq); m; m = pending.get(nextSeq)) {
          pending.delete(nextSeq);
          nextSeq++;
          // Sources without offsets (a tree of pages) cannot resume mid-way; re-reading is idempotent.
          const checkpoint: Checkpoint | null =
            m.next.offset === null
              ? null
              : {
                  sourceKey: key,
                  offset: m.next.offset,
                  row: m.next.row ?? 1,
                  line: m.next.line ?? 1,
                  done: false,
                };
          await writer.write(m.items, checkpoint);
          reader.postMessage({ type: 'ack' });
          rows += m.items.length;
          bytes += m.bytes;
          src.rows = rows;
          writer.summary.bytes += m.bytes;
          position = m.next.offset ?? position;
          opts.onProgress?.({ source: path, rows, bytes, totalBytes, position, phase: 'ingest' });
        }
        await finish();
      };
      const onMessage = (m: WorkerMessage) => {
        chain = chain
          .then(async () => {
            if (m.type === 'error') throw new Error(`reading ${path}: ${m.message}`);
            if (m.type === 'end') total = m.batches;
            else pending.set(m.seq, m);
            await writeReady();
          })
          .catch(fail);
      };
      for (const t of threads) {
        t.on('message', onMessage);
        t.on('error', fail);
      }
      reader.on('exit', (code) => {
        chain.then(() => {
          if (code !== 0) fail(new Error(`reader for ${path} exited with ${code}`));
          else if (total === null) fail(new Error(`reader for ${path} stopped before the end`));
        });
      });
      for (const p of parsers) {
        p.on('exit', (code) => {
          chain.then(() => {
            if (!finished) fail(new Error(`parser for ${path} exited with ${code} before the end`));
          });
        });
      }
    });
  } finally {
    await Promise.all(threads.map((t) => t.terminate()));
  }
}

/** Below this size a source is parsed by its reader thread: more threads would not pay for their start. */
const PARALLEL_MIN_BYTES = 64 * 1024 * 1024;

/**
 * Parser threads besides the reader, only on a large source and only for cores beyond the two that
 * the writer and the reader already keep busy: on two cores extra threads only take CPU from the
 * writer. CABLES_INGEST_PARSE_WORKERS overrides (0 = the reader parses).
 */
function parseWorkersFor(size: number, opts: IngestOptions): number {
  if (opts.parseWorkers !== undefined) return opts.parseWorkers;
  const env = envInt('CABLES_INGEST_PARSE_WORKERS', 0);
  if (env !== undefined) return env;
  if (size < PARALLEL_MIN_BYTES) return 0;
  return Math.max(0, Math.min(2, availableParallelism() - 2));
}

async function countRejectsBefore(store: ArchiveStore, source: string, offset: number): Promise<number> {
  let n = 0;
  for await (const r of store.rejects()) if (r.source === source && (r.offset ?? 0) < offset) n++;
  return n;
}

/**
 * Ingest items already in memory (tests, other front ends), parsing in this thread. The batch
 * checkpoint is not kept: there is no file to resume.
 */
export async function ingestItems(
  store: ArchiveStore,
  items: Iterable<SourceItem> | AsyncIterable<SourceItem>,
  opts: IngestOptions = {},
): Promise<IngestSummary> {
  const writer = new Writer(store, opts);
  await writer.begin();
  try {
    const batchRows = opts.batchRows ?? 1000;
    let batch: PreparedItem[] = [];
    for await (const item of items) {
      batch.push(prepareItem(item));
      if (batch.length >= batchRows) {
        await writer.write(batch, null);
        batch = [];
      }
    }
    if (batch.length) await writer.write(batch, null);
    return await writer.finish();
  } finally {
    await writer.abort();
  }
}
