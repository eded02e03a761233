/**
 * A load (`ArchiveStore.beginLoad`) on SQLite. A first load — into an archive with no cable —
 * builds the full-text index on a second thread (`fts-build.ts`) and leaves the secondary indexes
 * for its end, where they are built once, sorted; a later load keeps every index in step row by
 * row. The decisions are written to `meta` in the same transactions as the data, so a load killed
 * at any moment is completed by the next one. Until then `fts_stale` tells search that text
 * matches may be incomplete.
 */
import type Database from 'better-sqlite3';
import type { Load, LoadProgress } from '../../types.js';
import { alone, withIndexSorter } from '../connection.js';
import type { Statements } from '../statements.js';
import { BUILD_KEY, FtsSideBuild, removeSide, sideExists } from './fts-build.js';
import type { SqliteWriter } from './writer.js';

/** `meta` key: the full-text index is not complete (a build is pending, or it awaits a rebuild). */
const STALE_KEY = 'fts_stale';
/** `meta` key of the secondary indexes a first load builds at its end (see `deferIndexes`). */
const DEFERRED_INDEXES_KEY = 'deferred_indexes';

const HAS_META = 'SELECT 1 FROM meta WHERE key = ?';
const SET_META = 'INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)';

export class BulkLoader {
  private active: Load | null = null;

  constructor(
    private readonly file: string,
    private readonly sql: Statements,
    private readonly writer: SqliteWriter,
  ) {
    // A side file whose build the archive no longer lists was merged just before a crash.
    if (sideExists(file) && !this.hasMeta(BUILD_KEY)) removeSide(file);
    writer.search.indexText = !this.hasMeta(STALE_KEY);
  }

  private get db(): Database.Database {
    return this.sql.db;
  }

  private hasMeta(key: string): boolean {
    return this.sql.prepare(HAS_META).get(key) !== undefined;
  }

  /**
   * `CABLES_INGEST_BACKGROUND_INDEX=0`: a first load indexes row by row instead of on a second
   * thread; `CABLES_INGEST_DEFER_INDEX=1`: it rebuilds the index once at its end instead (the
   * writer's thread). A pending build is resumed either way.
   */
  begin(): Load {
    if (this.active) throw new Error('a load is already running on this archive');
    const defer = process.env['CABLES_INGEST_DEFER_INDEX'] === '1';
    const background = process.env['CABLES_INGEST_BACKGROUND_INDEX'] !== '0';
    const fresh =
      this.sql.prepare('SELECT 1 FROM cables LIMIT 1').get() === undefined && !this.hasMeta(STALE_KEY);
    if (!this.hasMeta(BUILD_KEY) && fresh && background && !defer) {
      // Durable before the first batch, so that a kill at any later moment resumes the build.
      this.db.transaction(() => {
        this.sql.prepare(SET_META).run(BUILD_KEY, '1');
        this.sql.prepare(SET_META).run(STALE_KEY, '1');
        this.deferIndexes();
      })();
      removeSide(this.file);
    } else if (fresh && defer) {
      this.sql.prepare(SET_META).run(STALE_KEY, '1');
    }
    const build = this.hasMeta(BUILD_KEY)
      ? new FtsSideBuild(
          this.file,
          () => this.writer.maxCableId(),
          (step) => alone(this.db, step),
        )
      : null;
    this.writer.search.indexText = !this.hasMeta(STALE_KEY);
    this.writer.afterCommit = build ? () => build.committed() : null;
    const end = () => {
      this.writer.afterCommit = null;
      this.writer.search.indexText = !this.hasMeta(STALE_KEY);
      this.active = null;
    };
    const load: Load = {
      finish: async (onProgress) => {
        try {
          await this.finish(build, onProgress);
        } finally {
          end();
        }
      },
      stop: async () => {
        try {
          await build?.stop();
        } finally {
          end();
        }
      },
    };
    this.active = load;
    return load;
  }

  private async finish(build: FtsSideBuild | null, onProgress?: (p: LoadProgress) => void): Promise<void> {
    if (build) await build.finish(onProgress);
    else if (this.hasMeta(STALE_KEY)) {
      onProgress?.({ phase: 'index' });
      this.rebuildIndex();
    }
    this.restoreIndexes(() => onProgress?.({ phase: 'indexes' }));
    // The planner's statistics, where they are missing or the tables grew much (cheap with a limit).
    this.db.pragma('analysis_limit = 1000');
    this.db.pragma('optimize = 0x10002');
  }

  /**
   * A first load writes the cables without their secondary indexes (the listing, search-cover and
   * graph indexes: updating a dozen b-trees per row costs more than sorting once) and builds
   * them once at the end, sorted, in `restoreIndexes`. Their definitions wait in `meta`, written
   * in the same transaction as the drop, so a run killed at any moment builds them when it is
   * resumed. Unique indexes stay: the writer's lookups and its duplicate tests use them.
   * Meanwhile a reader (the site during a first load) answers, scanning where an index is missing.
   */
  private deferIndexes(): void {
    const rows = this.db
      .prepare(
        `SELECT name, sql FROM sqlite_schema
         WHERE type = 'index' AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE %'`,
      )
      .all() as { name: string; sql: string }[];
    if (rows.length === 0) return;
    this.sql.prepare(SET_META).run(DEFERRED_INDEXES_KEY, JSON.stringify(rows.map((r) => r.sql)));
    for (const r of rows) this.db.exec(`DROP INDEX "${r.name.replace(/"/g, '""')}"`);
  }

  private restoreIndexes(onStart: () => void): void {
    const value = this.sql.pluck('SELECT value FROM meta WHERE key = ?').get(DEFERRED_INDEXES_KEY) as
      | string
      | undefined;
    if (value === undefined) return;
    onStart();
    withIndexSorter(this.db, () =>
      alone(this.db, () =>
        this.db.transaction(() => {
          for (const sql of JSON.parse(value) as string[])
            this.db.exec(sql.replace(/^CREATE INDEX /i, 'CREATE INDEX IF NOT EXISTS '));
          this.sql.prepare('DELETE FROM meta WHERE key = ?').run(DEFERRED_INDEXES_KEY);
        })(),
      ),
    );
  }

  /** Rebuilds the full-text index from the stored texts and clears the stale mark. */
  private rebuildIndex(): void {
    alone(this.db, () =>
      this.db.transaction(() => {
        this.db.exec(`INSERT INTO cable_fts (cable_fts) VALUES ('rebuild')`);
        this.sql.prepare(`DELETE FROM meta WHERE key IN (?, ?)`).run(STALE_KEY, BUILD_KEY);
      })(),
    );
    removeSide(this.file);
  }
}
