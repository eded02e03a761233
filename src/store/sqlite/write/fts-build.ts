/**
 * The full-text index of a bulk load, built on a second thread into a side file
 * (`<archive>-fts-build`) while the writer stores the cables, then merged into the archive in one
 * transaction. On two cores this takes the FTS5 tokenising (most of a row's write cost) off the
 * writer's thread; and the builder's large transactions leave fewer segments to merge than the
 * writer's per-batch commits would.
 *
 * Durable state: the archive's meta row `fts_build` (written before the first batch, removed by the
 * merge's transaction, together with `fts_stale`) says a build is pending; the side file holds the
 * build's progress (`build_indexed`, committed with the index rows it accounts for). A kill at any
 * moment therefore leaves either a pending build that the next ingest resumes, or a merged index
 * and a leftover side file that the next open deletes.
 */
import { existsSync, rmSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { envInt, startWorker, WORKER_LIMITS } from '../../../util/threads.js';
import type { LoadProgress } from '../../types.js';
import type { BuildInput, BuildMessage } from './fts-build-worker.js';

export const BUILD_KEY = 'fts_build';

export function sidePath(archive: string): string {
  return `${archive}-fts-build`;
}

export function removeSide(archive: string): void {
  const side = sidePath(archive);
  for (const f of [side, `${side}-wal`, `${side}-shm`, `${side}-journal`]) rmSync(f, { force: true });
}

export function sideExists(archive: string): boolean {
  return existsSync(sidePath(archive));
}

/** The shadow tables that hold an FTS5 index; `_config` (format version, tuning) stays the archive's. */
const SHADOW = ['data', 'idx', 'docsize'];

export class FtsSideBuild {
  private readonly worker: Worker;
  private readonly done: Promise<void>;
  private last = 0;
  private onProgress: ((p: LoadProgress) => void) | null = null;
  private total = 0;

  /**
   * `alone`: runs a step that writes much of the archive at once, the way the store finds best
   * (`connection.ts`, `alone`); the merge is such a step.
   */
  constructor(
    private readonly archive: string,
    private readonly maxId: () => number,
    private readonly alone: (step: () => void) => void,
  ) {
    const input: BuildInput = {
      archive,
      side: sidePath(archive),
      commitRows: envInt('CABLES_FTS_BUILD_COMMIT_ROWS', 1) ?? 20_000,
      throttleMs: envInt('CABLES_FTS_BUILD_THROTTLE_MS', 0) ?? 0,
    };
    this.worker = startWorker(import.meta.url, 'fts-build-worker', input, { resourceLimits: WORKER_LIMITS });
    this.done = new Promise<void>((resolve, reject) => {
      this.worker.on('message', (m: BuildMessage) => {
        if (m.type === 'error') reject(new Error(`full-text index build: ${m.message}`));
        else {
          this.last = m.last;
          this.onProgress?.({ phase: 'index', done: this.last, total: this.total });
          if (m.type === 'done') resolve();
        }
      });
      this.worker.on('error', reject);
      this.worker.on('exit', (code) => reject(new Error(`full-text index builder exited with ${code}`)));
    });
    // Until finish() is awaited, a failure must not surface as an unhandled rejection.
    this.done.catch(() => {});
  }

  committed(): void {
    this.worker.postMessage({ type: 'more' });
  }

  async finish(onProgress?: (p: LoadProgress) => void): Promise<void> {
    this.total = this.maxId();
    this.onProgress = onProgress ?? null;
    this.onProgress?.({ phase: 'index', done: this.last, total: this.total });
    this.worker.postMessage({ type: 'finish' });
    try {
      await this.done;
    } finally {
      await this.worker.terminate();
    }
    this.onProgress?.({ phase: 'merge', done: this.total, total: this.total });
    this.alone(() => mergeSide(this.archive));
    removeSide(this.archive);
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}

/**
 * Replaces the archive's (empty) index with the side file's, re-indexes the cables whose current
 * text changed after the builder saw them, and clears the pending marks — one transaction. Runs on
 * its own connection: FTS5 caches an index's structure per connection, and this one has never
 * read the index before its shadow tables are replaced. Writing shadow tables needs the
 * connection's defensive mode off (better-sqlite3's unsafe mode), on this connection only.
 */
export function mergeSide(archive: string): void {
  const db = new Database(archive, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 10000');
    // Out of WAL mode (see `alone`), a rollback journal wants FULL to survive a power cut.
    const wal = db.pragma('journal_mode', { simple: true }) === 'wal';
    db.pragma(wal ? 'synchronous = NORMAL' : 'synchronous = FULL');
    db.pragma('cache_size = -65536');
    db.unsafeMode(true);
    db.prepare('ATTACH DATABASE ? AS fts_side').run(sidePath(archive));
    db.transaction(() => {
      for (const t of SHADOW) {
        db.exec(`DELETE FROM main.cable_fts_${t}`);
        db.exec(`INSERT INTO main.cable_fts_${t} SELECT * FROM fts_side.cable_fts_${t}`);
      }
      const ins = db.prepare('INSERT INTO cable_fts (rowid, subject, tags, body) VALUES (?, ?, ?, ?)');
      const del = db.prepare(
        `INSERT INTO cable_fts (cable_fts, rowid, subject, tags, body) VALUES ('delete', ?, ?, ?, ?)`,
      );
      const current = db.prepare('SELECT subject, tags, body FROM cable_search WHERE id = ?').raw();
      const changed = db
        .prepare(
          `SELECT b.id, b.subject, b.tags, v.body FROM fts_side.build_indexed b
           JOIN main.cables c ON c.id = b.id JOIN main.versions v ON v.id = b.version_id
           WHERE c.version_id IS NOT b.version_id`,
        )
        .raw()
        .all() as [number, string, string, string][];
      for (const [id, subject, tags, body] of changed) {
        del.run(id, subject, tags, body);
        const now = current.get(id) as [string, string, string] | undefined;
        if (now) ins.run(id, ...now);
      }
      // The builder stops only once it has read all the writer committed; this is a safety net.
      const missing = db
        .prepare(
          `SELECT c.id, c.subject, c.tags_text, v.body FROM main.cables c JOIN main.versions v ON v.id = c.version_id
           WHERE c.id > (SELECT ifnull(max(id), 0) FROM fts_side.build_indexed) ORDER BY c.id`,
        )
        .raw()
        .all() as [number, string, string, string][];
      for (const row of missing) ins.run(...row);
      db.prepare(`DELETE FROM main.meta WHERE key IN (?, 'fts_stale')`).run(BUILD_KEY);
      // For the crash test only: holds the transaction open, so that a kill can land inside it.
      const pause = envInt('CABLES_FTS_MERGE_PAUSE_MS', 0) ?? 0;
      if (pause > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, pause);
    }).immediate();
    db.exec('DETACH DATABASE fts_side');
    db.unsafeMode(false);
    // The index went through the WAL; fold it into the file now rather than at the last close.
    if (wal) db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}
