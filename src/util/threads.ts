/**
 * Worker threads and their tuning knobs, shared by the ingest pipeline and the index builder.
 */
import { readlinkSync, writeFileSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { type ResourceLimits, type Transferable, Worker } from 'node:worker_threads';

/**
 * A worker holds a batch or two (tens of MB) and its tables; without a cap its heap grows to
 * several times that before V8 collects, which adds up over threads.
 */
export const WORKER_LIMITS: ResourceLimits = { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 16 };

/**
 * Starts the worker module `./<name>` beside `base` (the caller's `import.meta.url`). Run from the
 * TypeScript sources (tests, `npm run cables`), the thread must register the tsx loader itself
 * before importing the module; once built, the sources are .js files.
 */
export function startWorker(
  base: string,
  name: string,
  data: unknown,
  opts: { transferList?: Transferable[]; resourceLimits?: ResourceLimits } = {},
): Worker {
  const ts = base.endsWith('.ts');
  const url = new URL(`./${name}${ts ? '.ts' : '.js'}`, base);
  const options = {
    workerData: data,
    transferList: opts.transferList as never,
    resourceLimits: opts.resourceLimits,
  };
  if (!ts) return new Worker(url, options);
  const api = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(boot, { ...options, eval: true });
}

/**
 * Names the calling thread for the operating system (Linux: `/proc/thread-self/comm`, at most 15
 * bytes), so that `top -H`, `ps -L`, `perf` and `npm run bench:ingest` tell the ingest's threads
 * apart — every thread of a Node process is otherwise called "node". Elsewhere it does nothing.
 */
export function nameThread(name: string): void {
  if (process.platform !== 'linux') return;
  try {
    writeFileSync('/proc/thread-self/comm', name.slice(0, 15));
  } catch {
    // A name is a convenience for whoever watches the process; never a reason to fail.
  }
}

/**
 * Lowers the calling thread's scheduling priority by `CABLES_PARSE_NICE` nice levels (default 5;
 * Linux gives each thread its own nice value; elsewhere it does nothing). The ingest's reading and
 * parsing threads call it so that, when the cores are busy, the full-text builder keeps up with
 * the writer instead of finishing alone after the load; it cannot run ahead of the writer, so it
 * never starves the others. Only threads that end with the ingest call this (raising a priority
 * back would need privileges).
 */
export function yieldToIndexBuilder(): void {
  if (process.platform !== 'linux') return;
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    setPriority(tid, Math.min(19, getPriority(tid) + (envInt('CABLES_PARSE_NICE', 0) ?? 5)));
  } catch {
    // A scheduling hint; never a reason to fail.
  }
}

/** An integer setting from the environment, when set to a whole number ≥ `min`. */
export function envInt(name: string, min: number): number | undefined {
  const raw = process.env[name];
  const v = Number(raw);
  return raw !== undefined && raw.trim() !== '' && Number.isInteger(v) && v >= min ? v : undefined;
}
