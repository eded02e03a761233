/**
 * Builder thread of a bulk load's full-text index (see fts-build.ts). Reads what the writer has
 * committed (WAL lets a read-only connection look while it writes) and indexes it into the side
 * file, recording in the same transaction which version of each cable it indexed, with the subject
 * and tags it saw: an FTS5 'delete' of an external-content row needs the exact old values.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { nameThread } from '../../../util/threads.js';

export interface BuildInput {
  archive: string;
  side: string;
  /** Cables per side transaction: each commit writes a segment that later merges cost. */
  commitRows: number;
  /** Pause between reads, for the crash test only (0 otherwise). */
  throttleMs: number;
}

export type BuildMessage =
  | { type: 'progress'; last: number; indexed: number }
  | { type: 'done'; last: number; indexed: number }
  | { type: 'error'; message: string };

/** Rows per read of the archive: short reads keep the writer's WAL checkpoints unblocked. */
const CHUNK = 500;

/** Creates the side file's tables, with the archive's own FTS5 definition and settings. */
function prepareSide(src: Database.Database, dst: Database.Database): void {
  const has = dst.prepare(`SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'cable_fts'`).get();
  if (has) return;
  const sql = src.prepare(`SELECT sql FROM sqlite_schema WHERE name = 'cable_fts'`).pluck().get() as string;
  const config = src.prepare(`SELECT k, v FROM cable_fts_config WHERE k <> 'version'`).all() as {
    k: string;
    v: number | string;
  }[];
  dst.transaction(() => {
    // The content view lives in the archive; inserts into an external-content index never read it.
    dst.exec(sql);
    for (const { k, v } of config) {
      if (!/^[a-z-]+$/.test(k)) continue;
      const value = typeof v === 'number' ? String(v) : `'${String(v).replace(/'/g, "''")}'`;
      dst.exec(`INSERT INTO cable_fts (cable_fts, rank) VALUES ('${k}', ${value})`);
    }
    dst.exec(`CREATE TABLE build_indexed (
      id INTEGER PRIMARY KEY, version_id INTEGER NOT NULL, subject TEXT NOT NULL, tags TEXT NOT NULL)`);
  })();
}

async function run(input: BuildInput): Promise<void> {
  nameThread('cables-fts');
  const port = parentPort!;
  let finishing = false;
  let wake: (() => void) | null = null;
  port.on('message', (m: { type: string }) => {
    if (m.type === 'finish') finishing = true;
    wake?.();
    wake = null;
  });
  const dst = new Database(input.side);
  dst.pragma('busy_timeout = 10000');
  dst.pragma('journal_mode = WAL');
  dst.pragma('synchronous = NORMAL');
  dst.pragma('wal_autocheckpoint = 16384');
  dst.pragma('cache_size = -65536');
  {
    const src = new Database(input.archive, { readonly: true, fileMustExist: true });
    prepareSide(src, dst);
    src.close();
  }
  // The archive is attached and only read: the rows go from its pages into the index inside
  // SQLite, without a round trip through JavaScript strings (which doubled the builder's cost).
  dst.prepare('ATTACH DATABASE ? AS archive').run(input.archive);
  const top = dst.prepare('SELECT ifnull(max(id), 0) FROM archive.cables').pluck();
  const index = dst.prepare(
    `INSERT INTO main.cable_fts (rowid, subject, tags, body)
     SELECT c.id, c.subject, c.tags_text, v.body FROM archive.cables c JOIN archive.versions v ON v.id = c.version_id
     WHERE c.id > ? AND c.id <= ? ORDER BY c.id`,
  );
  const record = dst.prepare(
    `INSERT INTO main.build_indexed (id, version_id, subject, tags)
     SELECT c.id, c.version_id, c.subject, c.tags_text FROM archive.cables c WHERE c.id > ? AND c.id <= ?`,
  );
  let last = Number(dst.prepare('SELECT ifnull(max(id), 0) FROM main.build_indexed').pluck().get());
  let indexed = 0;
  // Each transaction is one read snapshot of the archive: short ones when throttled (the crash
  // test), else up to commitRows cables, each commit writing one segment of the index.
  const step = input.throttleMs > 0 ? Math.min(CHUNK, input.commitRows) : input.commitRows;
  const batch = dst.transaction((from: number): number => {
    const to = Math.min(Number(top.get()), from + step);
    if (to <= from) return from;
    index.run(from, to);
    const n = record.run(from, to).changes;
    indexed += n;
    return to;
  });
  for (;;) {
    // Everything the writer committed before it said `finish` is visible to a snapshot taken after.
    const final = finishing;
    const before = last;
    last = batch(last);
    if (last > before) port.postMessage({ type: 'progress', last, indexed } satisfies BuildMessage);
    if (input.throttleMs > 0 && last > before) await new Promise((r) => setTimeout(r, input.throttleMs));
    if (last - before < step) {
      if (final) break;
      if (last > before) continue;
      // Caught up with the writer: wait for its next commit (or poll, should a notice be lost).
      await new Promise<void>((r) => {
        wake = r;
        setTimeout(r, 200);
      });
    }
  }
  dst.close();
  port.postMessage({ type: 'done', last, indexed } satisfies BuildMessage);
}

if (parentPort && workerData && (workerData as { side?: unknown }).side !== undefined) {
  run(workerData as BuildInput).catch((err: unknown) => {
    parentPort!.postMessage({
      type: 'error',
      message: err instanceof Error ? (err.stack ?? err.message) : String(err),
    } satisfies BuildMessage);
  });
}
