import type Database from 'better-sqlite3';
import { FTS_TUNING, MIGRATIONS, SCHEMA_VERSION } from './schema.js';

export interface MigrationReport {
  from: number;
  to: number;
}

/**
 * Brings the archive to `target` (default: the latest schema), one migration per transaction, so a
 * crash mid-upgrade leaves a consistent older version that the next open upgrades again.
 */
export function migrate(db: Database.Database, target = SCHEMA_VERSION): MigrationReport {
  const from = db.pragma('user_version', { simple: true }) as number;
  if (from > SCHEMA_VERSION) {
    throw new Error(`archive schema version ${from} is newer than this program's (${SCHEMA_VERSION})`);
  }
  for (const m of MIGRATIONS) {
    if (m.version <= from || m.version > target) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  if (target >= 2) tuneFts(db);
  return { from, to: db.pragma('user_version', { simple: true }) as number };
}

/** FTS5 takes its settings as special inserts; bound parameters are refused there, hence literals. */
export function tuneFts(db: Database.Database): void {
  const rows = db.prepare('SELECT k, v FROM cable_fts_config').all() as { k: string; v: unknown }[];
  const have = new Map(rows.map((r) => [r.k, Number(r.v)]));
  for (const [key, value] of Object.entries(FTS_TUNING)) {
    // Only write what differs, so opening an up-to-date archive stays a read.
    if (have.get(key) === Math.trunc(value)) continue;
    db.exec(`INSERT INTO cable_fts(cable_fts, rank) VALUES('${key}', ${Math.trunc(value)})`);
  }
}
