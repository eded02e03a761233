import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteArchive } from '../../src/store/sqlite/archive.js';
import { projectRoot } from '../fixtures.js';

/** Node arguments that run the `cables` command from source (cwd: the project root). */
export const CLI = ['--import', 'tsx', 'src/cli/main.ts'];

/** Runs the real CLI, as a user would. */
export function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [...CLI, ...args], {
    cwd: projectRoot,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env: { ...process.env, ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * How many cables a running ingest has committed, read through a separate read-only connection
 * (WAL lets it look while the child process writes); 0 while the file or table does not exist yet.
 */
export function countRows(db: string): number {
  try {
    const conn = new Database(db, { readonly: true, fileMustExist: true });
    try {
      return (conn.prepare('SELECT count(*) AS n FROM cables').get() as { n: number }).n;
    } finally {
      conn.close();
    }
  } catch {
    return 0;
  }
}

/** Waits until an ingest child has committed at least `n` cables, so a kill lands mid-run. */
export async function waitForRows(db: string, n: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (countRows(db) >= n) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`ingest never reached ${n} rows`);
}

/** Two archives hold the same cables (stats and content digest), and the second's FTS index is sound. */
export async function assertSameArchive(expectedDb: string, actualDb: string): Promise<void> {
  const a = openSqliteArchive(expectedDb, { readonly: true });
  // Writable: FTS5's integrity check is written as an insert.
  const b = openSqliteArchive(actualDb);
  try {
    assert.deepEqual(await b.reports.stats(), await a.reports.stats());
    assert.equal(await b.reports.contentDigest(), await a.reports.contentDigest());
    b.db.exec(`INSERT INTO cable_fts(cable_fts) VALUES('integrity-check')`);
    // Every table and index a new archive has: a first load builds its secondary indexes at the
    // end, and a resumed one must too.
    assert.deepEqual(schemaOf(b.db), schemaOf(a.db));
    assert.deepEqual(schemaOf(b.db), freshSchema());
    assert.equal(b.db.prepare(`SELECT 1 FROM meta WHERE key = 'deferred_indexes'`).get(), undefined);
  } finally {
    await a.close();
    await b.close();
  }
}

export function schemaOf(db: Database.Database): unknown[] {
  // (The planner's statistics tables come and go with ANALYZE.)
  return db
    .prepare(
      `SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_stat%' ORDER BY type, name`,
    )
    .all();
}

/** The schema of a newly created archive, before any ingest. */
export function freshSchema(): unknown[] {
  const dir = mkdtempSync(join(tmpdir(), 'fresh-'));
  const s = openSqliteArchive(join(dir, 'fresh.sqlite'), { create: true });
  try {
    return schemaOf(s.db);
  } finally {
    s.db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The indexes a first load left for its end (see `deferIndexes`, bulk-load.ts), none when built. */
export function deferredIndexes(db: string): string[] {
  const conn = new Database(db, { readonly: true, fileMustExist: true });
  try {
    const v = conn.prepare(`SELECT value FROM meta WHERE key = 'deferred_indexes'`).pluck().get() as
      | string
      | undefined;
    return v ? (JSON.parse(v) as string[]) : [];
  } finally {
    conn.close();
  }
}

/** How far a background index build has committed (0 while its side file does not exist). */
export function sideProgress(db: string): number {
  try {
    const conn = new Database(`${db}-fts-build`, { readonly: true, fileMustExist: true });
    try {
      return Number(conn.prepare('SELECT ifnull(max(id), 0) FROM build_indexed').pluck().get());
    } finally {
      conn.close();
    }
  } catch {
    return 0;
  }
}

/** The archive still lists a pending background index build. */
export function buildPending(db: string): boolean {
  const conn = new Database(db, { readonly: true, fileMustExist: true });
  try {
    return conn.prepare(`SELECT 1 FROM meta WHERE key IN ('fts_build', 'fts_stale')`).get() !== undefined;
  } finally {
    conn.close();
  }
}

export async function waitUntil(ok: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
