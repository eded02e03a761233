/**
 * The facet helper: a second thread with its own read-only connection that counts a query's hits
 * and facets (with the calling thread's facet index, in shared memory) while the calling thread
 * ranks the page and cuts its snippets. On two
 * cores the two halves of a mid-sized query (a few thousand to tens of thousands of hits: the
 * count and facet sample on one side, the ranked page and snippets on the other) take about the
 * same time, so a query finishes in the time of the longer half instead of the sum.
 *
 * The helper decides nothing about visibility: it runs the same engine on the same query under
 * the same `now`, so embargoed cables are excluded by the same SQL.
 */
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../util/threads.js';
import type { FacetCountData } from './facet-index.js';
import type { Facets } from './types.js';

/** The total and facets of a query, with the embargo judged at `now` (an ISO instant). */
export interface FacetTask {
  query: string;
  now: string;
  /** Post the total as soon as it is counted (a date-sorted page waits for it). */
  totalFirst: boolean;
  /** The caller's facet index, when it is not the one last sent (shared memory, not copied). */
  counts?: FacetCountData;
}

export interface FacetReply {
  total: number;
  facets: Facets;
  approximate: boolean;
  histogram: { month: string; count: number }[];
}

export interface FacetHelperInput {
  file: string;
  tuning: Record<string, unknown>;
  cacheKib: number | null;
}

/** The two answers to a task: the total (as soon as counted when asked for first), then the facets. */
export interface FacetJob {
  total: Promise<number>;
  reply: Promise<FacetReply>;
}

type Reply = { seq: number; total: number } | { seq: number; json: string } | { seq: number; error: string };

interface Waiting {
  total: { resolve: (n: number) => void; reject: (e: Error) => void };
  reply: { resolve: (r: FacetReply) => void; reject: (e: Error) => void };
}

export class FacetHelper {
  private readonly worker: Worker;
  private seq = 0;
  private readonly waiting = new Map<number, Waiting>();
  private broken: Error | null = null;
  /** Called when the last task in flight is answered (or the thread fails). */
  private onIdle: (() => void) | null = null;

  constructor(file: string, tuning: Record<string, unknown>, cacheKib: number | null) {
    this.worker = startWorker(import.meta.url, 'facet-worker', {
      file,
      tuning,
      cacheKib,
    } satisfies FacetHelperInput);
    // Idle, the thread must not keep a CLI or a test process alive; it is ref'd while a task runs.
    this.worker.unref();
    this.worker.on('message', (m: Reply) => {
      const w = this.waiting.get(m.seq);
      if (!w) return;
      if ('total' in m) return w.total.resolve(m.total);
      this.waiting.delete(m.seq);
      if (this.waiting.size === 0) {
        this.worker.unref();
        this.onIdle?.();
      }
      if ('error' in m) {
        const e = new Error(m.error);
        w.total.reject(e);
        w.reply.reject(e);
      } else {
        const reply = JSON.parse(m.json) as FacetReply;
        w.total.resolve(reply.total);
        w.reply.resolve(reply);
      }
    });
    const fail = (e: Error) => {
      this.broken = e;
      for (const w of this.waiting.values()) {
        w.total.reject(e);
        w.reply.reject(e);
      }
      this.waiting.clear();
      this.onIdle?.();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`the facet helper thread exited (${code})`)));
  }

  /** Whether tasks can be sent (false once the thread has failed: the caller computes itself). */
  get usable(): boolean {
    return this.broken === null;
  }

  /** The facet index last sent to the thread. */
  private sent: FacetCountData | null = null;

  run(task: FacetTask, counts: FacetCountData): FacetJob {
    if (this.broken) return { total: Promise.reject(this.broken), reply: Promise.reject(this.broken) };
    const seq = ++this.seq;
    const w = {} as Waiting;
    const total = new Promise<number>((resolve, reject) => {
      w.total = { resolve, reject };
    });
    const reply = new Promise<FacetReply>((resolve, reject) => {
      w.reply = { resolve, reject };
    });
    this.waiting.set(seq, w);
    if (this.waiting.size === 1) this.worker.ref();
    this.worker.postMessage({ seq, task: this.sent === counts ? task : { ...task, counts } });
    this.sent = counts;
    return { total, reply };
  }

  async close(): Promise<void> {
    // Terminated with answers still queued, the thread lets the process end before `terminate`
    // settles (Node 20): the answers are taken first, which takes the time of the last task.
    if (this.waiting.size > 0 && !this.broken)
      await new Promise<void>((resolve) => {
        this.onIdle = resolve;
      });
    this.broken ??= new Error('the facet helper is closed');
    await this.worker.terminate();
  }
}
