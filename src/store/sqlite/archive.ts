/**
 * An SQLite archive file, opened as one connection that the store, the reports and the reader
 * share (and the search engine, constructed from `db`): one page cache, one statement cache,
 * one public-state tracker.
 */
import type Database from 'better-sqlite3';
import type { Archive, ArchiveOptions, ArchiveStore } from '../types.js';
import { openConnection } from './connection.js';
import { SqliteReader } from './read/reader.js';
import { PublicState } from './read/state.js';
import { SqliteReports } from './reports.js';
import { checkSchema } from './schema.js';
import { Statements } from './statements.js';
import { BulkLoader } from './write/bulk-load.js';
import { SqliteWriter } from './write/writer.js';

export interface SqliteArchiveOptions extends ArchiveOptions {
  /** SQLite page cache of the connection, in KiB. */
  cacheKiB?: number;
}

export interface SqliteArchive extends Archive {
  readonly file: string;
  readonly db: Database.Database;
  readonly sql: Statements;
  readonly state: PublicState;
}

/** A connection to an archive of this program's format (refused otherwise, with what to do). */
export function openSqliteDatabase(file: string, opts: SqliteArchiveOptions = {}): Database.Database {
  const db = openConnection(file, opts);
  try {
    checkSchema(db, file, opts.create === true);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

export function openSqliteArchive(file: string, opts: SqliteArchiveOptions = {}): SqliteArchive {
  const db = openSqliteDatabase(file, opts);
  const sql = new Statements(db);
  const clock = opts.clock ?? (() => new Date());
  const state = new PublicState(sql, clock);
  const reports = new SqliteReports(sql, clock);
  return {
    file,
    db,
    sql,
    state,
    store: opts.readonly ? null : sqliteStore(file, sql, reports),
    reports,
    reader: new SqliteReader(sql, state),
    close: async () => {
      if (db.open) db.close();
    },
  };
}

function sqliteStore(file: string, sql: Statements, reports: SqliteReports): ArchiveStore {
  const writer = new SqliteWriter(sql);
  const loads = new BulkLoader(file, sql, writer);
  return {
    beginLoad: async () => loads.begin(),
    writeBatch: async (items, opts) => writer.writeBatch(items, opts),
    getCheckpoint: async (key) => writer.getCheckpoint(key),
    finishCheckpoint: async (key) => writer.finishCheckpoint(key),
    stats: () => reports.stats(),
    rejects: () => reports.rejects(),
    exportCables: (opts) => reports.exportCables(opts),
    contentDigest: () => reports.contentDigest(),
  };
}
