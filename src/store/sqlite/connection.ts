/**
 * Opening an archive file, and the connection settings of the steps that write much at once.
 * WAL lets readers (the site, the index builder) run while an ingest writes.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import Database from 'better-sqlite3';

export interface ConnectionOptions {
  readonly?: boolean;
  /** Create the file when it is missing (writable connections only). */
  create?: boolean;
  /** SQLite page cache, in KiB. */
  cacheKiB?: number;
}

/** 64 MiB for a writer (b-tree interior pages of a bulk load), 32 MiB for a reader. */
const WRITER_CACHE_KIB = 64 * 1024;
const READER_CACHE_KIB = 32 * 1024;

export function openConnection(file: string, opts: ConnectionOptions = {}): Database.Database {
  if (!opts.readonly && !opts.create && !existsSync(file)) throw new Error(`${file}: no such archive`);
  const db = opts.readonly ? openReadonly(file) : new Database(file);
  db.pragma('busy_timeout = 10000');
  if (opts.readonly) {
    // Leaves come from the OS page cache (a pread each), which costs no process memory. No mmap:
    // mapped pages count towards RSS and measured no faster here.
    db.pragma('mmap_size = 0');
  } else {
    db.pragma('journal_mode = WAL');
    // In WAL mode NORMAL is still crash-safe for the database (a power cut may drop the last commits,
    // which the checkpoint then re-does); kill -9 loses nothing that was committed.
    db.pragma('synchronous = NORMAL');
    // Checkpoint the WAL every 64 MB rather than every 4 MB: pages a bulk ingest rewrites batch
    // after batch (b-tree interior pages, the FTS structure) are copied back once, not each time.
    db.pragma('wal_autocheckpoint = 16384');
    db.pragma('foreign_keys = OFF');
  }
  db.pragma(`cache_size = -${opts.cacheKiB ?? (opts.readonly ? READER_CACHE_KIB : WRITER_CACHE_KIB)}`);
  db.pragma('temp_store = MEMORY');
  return db;
}

/**
 * A read-only connection. A kill inside one of the rollback-journal steps (`alone`) leaves a hot
 * journal, which only a read-write connection may roll back: until one has, SQLite refuses
 * read-only connections (SQLITE_READONLY_ROLLBACK). This one first makes that rollback — what any
 * writer does on open — when the file can be written.
 */
function openReadonly(file: string): Database.Database {
  const probe = (db: Database.Database) => db.prepare('SELECT count(*) FROM sqlite_schema').get();
  if (!existsSync(file)) throw new Error(`${file}: no such archive`);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    probe(db);
    return db;
  } catch (e) {
    db.close();
    if ((e as { code?: string }).code !== 'SQLITE_READONLY_ROLLBACK') throw e;
  }
  try {
    const rw = new Database(file, { fileMustExist: true });
    try {
      probe(rw);
    } finally {
      rw.close();
    }
  } catch (e) {
    throw new Error(
      `${file}: an interrupted write left a journal to roll back, which needs write access (${(e as Error).message})`,
    );
  }
  return new Database(file, { readonly: true, fileMustExist: true });
}

/**
 * Runs a step that writes much of the archive in one transaction (the full-text index merged
 * after a first load, the secondary indexes built at its end) with a rollback journal instead of
 * the WAL, when no other connection has the archive open. Those steps add pages past the end of
 * the file, which a rollback journal does not copy, where the WAL writes each page twice (into
 * the log, then into the file) with a checksum per page. A kill meanwhile leaves a hot journal
 * that the next open rolls back; the step's marks in `meta` then have it done again.
 * With a reader attached (the site during a first load) the switch is refused, and the step runs
 * through the WAL as before. (A read-only connection opened after such a kill rolls the journal
 * back first: `openReadonly`.)
 */
export function alone(db: Database.Database, step: () => void): void {
  let switched = false;
  try {
    switched = db.pragma('journal_mode = DELETE', { simple: true }) === 'delete';
  } catch {
    // Another connection has the archive open: stay in WAL mode.
  }
  if (!switched) {
    step();
    return;
  }
  db.pragma('synchronous = FULL');
  try {
    step();
  } finally {
    db.pragma('synchronous = NORMAL');
    try {
      db.pragma('journal_mode = WAL');
    } catch {
      // A reader arrived meanwhile; the archive's next writer (openConnection) turns WAL back on.
    }
  }
}

/**
 * Runs a step that builds large indexes with SQLite's sorter set for it. With temporary storage
 * in memory (the connection's setting) the sorter sorts all of an index's keys as one list; with
 * temporary files it sorts runs the size of the page cache, writes them out and merges them,
 * and a helper thread can sort a run meanwhile; small runs fit the CPU's caches. The connection's
 * settings are restored after.
 */
export function withIndexSorter(db: Database.Database, step: () => void): void {
  const saved = ['temp_store', 'threads', 'cache_size'].map((p) => [p, db.pragma(p, { simple: true })]);
  db.pragma('temp_store = FILE');
  db.pragma(`threads = ${availableParallelism() > 1 ? 1 : 0}`);
  db.pragma('cache_size = -4096');
  try {
    step();
  } finally {
    for (const [p, v] of saved) db.pragma(`${p} = ${v}`);
  }
}
