import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import Database from 'better-sqlite3';
import { nowParam, publicWhere } from '../../release/visibility.js';
import { cableMarkings, peopleText, SIDE_VERSION_KEY } from '../../search/side-index.js';
import { asBuffer, parsedFields } from '../codec.js';
import { slugify } from '../slug.js';
import type {
  ArchiveStats,
  ArchiveStore,
  BackgroundIndex,
  BatchOptions,
  BatchResult,
  Checkpoint,
  ExportedCable,
  ExportedVersion,
  PreparedCable,
  PreparedItem,
  PreparedReject,
  RejectRow,
} from '../types.js';
import { BUILD_KEY, FtsSideBuild, removeSide, sideExists } from './fts-build.js';
import { migrate } from './migrations.js';

export interface OpenOptions {
  readonly?: boolean;
  /** Apply migrations up to this version only (tests of the upgrade path). */
  schemaVersion?: number;
}

interface CableRow {
  id: number;
  version_id: number;
  released_at: string | null;
  cur_source: string;
  cur_row: number | null;
  cur_variant: number;
  cur_ref: string;
}

const EXPORT_PAGE = 500;
/** `meta` key of the secondary indexes a first load builds at its end (see `deferIndexes`). */
const DEFERRED_INDEXES_KEY = 'deferred_indexes';

/** Opens (creating or upgrading) an archive file. WAL lets readers run while an ingest writes. */
export function openDatabase(file: string, opts: OpenOptions = {}): Database.Database {
  const db = opts.readonly ? openReadonly(file) : new Database(file);
  db.pragma('busy_timeout = 10000');
  if (!opts.readonly) {
    db.pragma('journal_mode = WAL');
    // In WAL mode NORMAL is still crash-safe for the database (a power cut may drop the last commits,
    // which the checkpoint then re-does); kill -9 loses nothing that was committed.
    db.pragma('synchronous = NORMAL');
    // Checkpoint the WAL every 64 MB rather than every 4 MB: pages a bulk ingest rewrites batch
    // after batch (b-tree interior pages, the FTS structure) are copied back once, not each time.
    db.pragma('wal_autocheckpoint = 16384');
    db.pragma('foreign_keys = OFF');
    migrate(db, opts.schemaVersion);
  }
  db.pragma('cache_size = -65536');
  db.pragma('temp_store = MEMORY');
  return db;
}

/**
 * A read-only connection. A kill inside one of the store's rollback-journal steps
 * (`SqliteStore.alone`) leaves a hot journal, which only a read-write connection may roll back:
 * until one has, SQLite refuses read-only connections (SQLITE_READONLY_ROLLBACK). This one first
 * makes that rollback — what any writer does on open — when the file can be written.
 */
export function openReadonly(file: string): Database.Database {
  const probe = (db: Database.Database) => db.prepare('SELECT count(*) FROM sqlite_schema').get();
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

export class SqliteStore implements ArchiveStore {
  readonly db: Database.Database;
  private readonly originIds = new Map<string, number>();
  private readonly tagIds = new Map<string, number>();
  private readonly s;
  /** Search's side tables (schema ≥ 4) are kept in step by each write. */
  private readonly side;

  constructor(
    readonly file: string,
    opts: OpenOptions = {},
  ) {
    this.db = openDatabase(file, opts);
    const db = this.db;
    const p = (sql: string) => db.prepare(sql);
    // A side file whose build the archive no longer lists was merged just before a crash.
    if (!opts.readonly && sideExists(file) && !this.hasMeta(BUILD_KEY)) removeSide(file);
    const hasSide =
      !opts.readonly &&
      db.prepare(`SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'search_indexed'`).get() !==
        undefined;
    this.side = hasSide
      ? {
          delPeople: p('DELETE FROM search_people WHERE rowid = ?'),
          insPeople: p('INSERT INTO search_people (rowid, signers, recipients) VALUES (?, ?, ?)'),
          delMarks: p('DELETE FROM search_markings WHERE cable_id = ?'),
          insMark: p('INSERT OR IGNORE INTO search_markings (cable_id, marking) VALUES (?, ?)'),
          indexed: p('INSERT OR REPLACE INTO search_indexed (cable_id, version_id) VALUES (?, ?)'),
          getMark: p('SELECT value FROM meta WHERE key = ?').pluck(),
          setMark: p('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)'),
          maxVersion: p('SELECT ifnull(max(id), 0) FROM versions').pluck(),
        }
      : null;
    this.s = opts.readonly
      ? null
      : {
          selCable:
            p(`SELECT c.id, c.version_id, c.released_at, v.source AS cur_source, v.source_row AS cur_row,
                         v.variant AS cur_variant, v.reference_id AS cur_ref
                       FROM cables c JOIN versions v ON v.id = c.version_id WHERE c.canonical_id = ?`),
          selVersionByHash: p('SELECT id FROM versions WHERE cable_id = ? AND hash = ?'),
          insCable:
            p(`INSERT INTO cables (id, canonical_id, reference_id, created, created_as_shown, year, origin_id,
                         classification, parsed_classification, subject, tags_text, released_at, version_id,
                         parsed, extra)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
          // Kept in step by hand for inserts (schema migration 8); updates and deletes by triggers.
          insTitles: p('INSERT INTO search_titles (rowid, subject, tags_text) VALUES (?, ?, ?)'),
          nextCableId: p('SELECT ifnull(max(id), 0) + 1 FROM cables').pluck(),
          updCable: p(`UPDATE cables SET reference_id = @referenceId, created = @created,
                         created_as_shown = @createdAsShown, year = @year, origin_id = @originId,
                         classification = @classification, parsed_classification = @parsedClassification,
                         subject = @subject, tags_text = @tagsText, parsed = @parsed, extra = @extra,
                         version_id = @versionId WHERE id = @id`),
          release: p('UPDATE cables SET released_at = ? WHERE id = ? AND released_at IS NULL'),
          insVersion:
            p(`INSERT INTO versions (cable_id, hash, reference_id, header, body, source, source_row, source_time,
                           variant, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
          insAlias: p('INSERT OR IGNORE INTO aliases (alias, cable_id) VALUES (?, ?)'),
          insOrigin: p('INSERT INTO origins (name, slug) VALUES (?, ?)'),
          selOrigin: p('SELECT id FROM origins WHERE name = ?'),
          selOriginSlug: p('SELECT 1 FROM origins WHERE slug = ?'),
          insTag: p('INSERT INTO tags (name, kind) VALUES (?, ?)'),
          selTag: p('SELECT id FROM tags WHERE name = ?'),
          delTags: p('DELETE FROM cable_tags WHERE cable_id = ?'),
          insCableTag: p('INSERT INTO cable_tags (cable_id, position, tag_id) VALUES (?, ?, ?)'),
          delRefs: p('DELETE FROM refs WHERE cable_id = ?'),
          insRef: p(
            'INSERT INTO refs (cable_id, position, kind, target, bullet, value) VALUES (?, ?, ?, ?, ?, ?)',
          ),
          delParas: p('DELETE FROM paragraphs WHERE cable_id = ?'),
          insPara: p(
            'INSERT INTO paragraphs (cable_id, position, number, marking, start, "end") VALUES (?, ?, ?, ?, ?, ?)',
          ),
          insReject: p(`INSERT OR IGNORE INTO rejects (source, row, line, "offset", reason, raw, recorded_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?)`),
          ftsOld: p('SELECT subject, tags, body FROM cable_search WHERE id = ?'),
          ftsIns: p('INSERT INTO cable_fts (rowid, subject, tags, body) VALUES (?, ?, ?, ?)'),
          ftsDel: p(
            `INSERT INTO cable_fts (cable_fts, rowid, subject, tags, body) VALUES ('delete', ?, ?, ?, ?)`,
          ),
          upsertCheckpoint: p(`INSERT INTO checkpoints (source_key, "offset", row, line, done, updated_at)
                               VALUES (@sourceKey, @offset, @row, @line, @done, @now)
                               ON CONFLICT (source_key) DO UPDATE SET "offset" = excluded."offset",
                                 row = excluded.row, line = excluded.line, done = excluded.done,
                                 updated_at = excluded.updated_at`),
        };
  }

  private get w() {
    if (!this.s) throw new Error('archive opened read-only');
    return this.s;
  }

  async isEmpty(): Promise<boolean> {
    return this.db.prepare('SELECT 1 FROM cables LIMIT 1').get() === undefined;
  }

  async getCheckpoint(sourceKey: string): Promise<Checkpoint | null> {
    const r = this.db
      .prepare('SELECT source_key, "offset", row, line, done FROM checkpoints WHERE source_key = ?')
      .get(sourceKey) as
      | { source_key: string; offset: number; row: number; line: number; done: number }
      | undefined;
    return r
      ? { sourceKey: r.source_key, offset: r.offset, row: r.row, line: r.line, done: r.done === 1 }
      : null;
  }

  async finishCheckpoint(sourceKey: string): Promise<void> {
    this.db.prepare('UPDATE checkpoints SET done = 1 WHERE source_key = ?').run(sourceKey);
  }

  async markIndexStale(): Promise<void> {
    this.db.prepare(`INSERT OR REPLACE INTO meta (key, value) VALUES ('fts_stale', '1')`).run();
  }

  async isIndexStale(): Promise<boolean> {
    return this.hasMeta('fts_stale');
  }

  private hasMeta(key: string): boolean {
    return this.db.prepare('SELECT 1 FROM meta WHERE key = ?').get(key) !== undefined;
  }

  async startBackgroundIndex(opts: { resumeOnly?: boolean } = {}): Promise<BackgroundIndex | null> {
    if (!this.s) return null;
    if (!this.hasMeta(BUILD_KEY)) {
      if (opts.resumeOnly || !(await this.isEmpty()) || (await this.isIndexStale())) return null;
      // Durable before the first batch, so that a kill at any later moment resumes the build.
      this.db.transaction(() => {
        this.db.prepare(`INSERT OR REPLACE INTO meta (key, value) VALUES (?, '1')`).run(BUILD_KEY);
        this.db.prepare(`INSERT OR REPLACE INTO meta (key, value) VALUES ('fts_stale', '1')`).run();
        this.deferIndexes();
      })();
      removeSide(this.file);
    }
    return new FtsSideBuild(
      this.file,
      () => Number(this.w.nextCableId.get()) - 1,
      (step) => this.alone(step),
    );
  }

  /**
   * A first load writes the cables without their secondary indexes (the listing, search-cover and
   * graph indexes: ~15% of the ingest's CPU when each row updates a dozen b-trees) and builds
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
    this.db
      .prepare(`INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)`)
      .run(DEFERRED_INDEXES_KEY, JSON.stringify(rows.map((r) => r.sql)));
    for (const r of rows) this.db.exec(`DROP INDEX "${r.name.replace(/"/g, '""')}"`);
  }

  async restoreIndexes(onStart?: () => void): Promise<void> {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(DEFERRED_INDEXES_KEY) as
      | { value: string }
      | undefined;
    if (!row) return;
    onStart?.();
    this.withIndexSorter(() =>
      this.alone(() =>
        this.db.transaction(() => {
          for (const sql of JSON.parse(row.value) as string[])
            this.db.exec(sql.replace(/^CREATE INDEX /i, 'CREATE INDEX IF NOT EXISTS '));
          this.db.prepare('DELETE FROM meta WHERE key = ?').run(DEFERRED_INDEXES_KEY);
        })(),
      ),
    );
    // The planner's statistics were taken, if ever, without these indexes.
    this.db.pragma('analysis_limit = 1000');
    this.db.pragma('optimize = 0x10002');
  }

  /**
   * Runs a step that builds large indexes with SQLite's sorter set for it. With temporary storage
   * in memory (the connection's setting) the sorter sorts all of an index's keys as one list; with
   * temporary files it sorts runs the size of the page cache, writes them out and merges them,
   * and a helper thread can sort a run meanwhile. Runs of 4 MiB fit the CPU's caches. The 12
   * deferred indexes of a full-scale archive: 2.2–3.0 s as the connection is set, 1.2–1.4 s so;
   * the ingest's step 2.1–2.3 → 1.4 s (BENCHMARKS.md, session 12).
   */
  private withIndexSorter(step: () => void): void {
    const saved = ['temp_store', 'threads', 'cache_size'].map((p) => [
      p,
      this.db.pragma(p, { simple: true }),
    ]);
    this.db.pragma('temp_store = FILE');
    this.db.pragma(`threads = ${availableParallelism() > 1 ? 1 : 0}`);
    this.db.pragma('cache_size = -4096');
    try {
      step();
    } finally {
      for (const [p, v] of saved) this.db.pragma(`${p} = ${v}`);
    }
  }

  /**
   * Runs a step that writes much of the archive in one transaction (the full-text index merged
   * after a first load, the secondary indexes built at its end) with a rollback journal instead of
   * the WAL, when no other connection has the archive open. Those steps add pages past the end of
   * the file, which a rollback journal does not copy, where the WAL writes each page twice (into
   * the log, then into the file) with a checksum per page: measured at full scale, the index merge
   * took 2.8–3.2 s this way against 6.1–13.2 s through the WAL. A kill meanwhile leaves a hot
   * journal that the next open rolls back; the step's marks in `meta` then have it done again.
   * With a reader attached (the site during a first load) the switch is refused, and the step
   * runs through the WAL as before. (A read-only connection opened after such a kill rolls the
   * journal back first: `openReadonly`.)
   */
  private alone(step: () => void): void {
    let switched = false;
    try {
      switched = this.db.pragma('journal_mode = DELETE', { simple: true }) === 'delete';
    } catch {
      // Another connection has the archive open: stay in WAL mode.
    }
    if (!switched) {
      step();
      return;
    }
    this.db.pragma('synchronous = FULL');
    try {
      step();
    } finally {
      this.db.pragma('synchronous = NORMAL');
      try {
        this.db.pragma('journal_mode = WAL');
      } catch {
        // A reader arrived meanwhile; the archive's next writer (openDatabase) turns WAL back on.
      }
    }
  }

  async rebuildIndex(): Promise<void> {
    this.alone(() =>
      this.db.transaction(() => {
        this.db.exec(`INSERT INTO cable_fts (cable_fts) VALUES ('rebuild')`);
        this.db.prepare(`DELETE FROM meta WHERE key IN ('fts_stale', ?)`).run(BUILD_KEY);
      })(),
    );
    removeSide(this.file);
  }

  async writeBatch(items: PreparedItem[], opts: BatchOptions): Promise<BatchResult> {
    return this.writeBatchSync(items, opts);
  }

  writeBatchSync(items: PreparedItem[], opts: BatchOptions): BatchResult {
    const result: BatchResult = { inserted: 0, versionsAdded: 0, unchanged: 0, rejected: 0, rejects: [] };
    // IMMEDIATE takes the write lock first, so the next cable ID read below stays ours.
    this.db
      .transaction(() => {
        this.nextId = null;
        const side = this.side;
        // The side index is complete up to the archive's last version: keep it so after this batch.
        const sideCurrent =
          side !== null &&
          (side.getMark.get(SIDE_VERSION_KEY) ?? '0') === String(side.maxVersion.get() as number);
        for (const item of items) {
          if (item.kind === 'reject') {
            this.recordReject(item, opts.now);
            result.rejected++;
          } else {
            this.writeCable(item, opts, result);
          }
        }
        if (sideCurrent) side!.setMark.run(SIDE_VERSION_KEY, String(side!.maxVersion.get() as number));
        if (opts.checkpoint) {
          this.w.upsertCheckpoint.run({
            ...opts.checkpoint,
            done: opts.checkpoint.done ? 1 : 0,
            now: opts.now,
          });
        }
      })
      .immediate();
    return result;
  }

  /** The ID the next new cable gets (what SQLite would pick), read once per transaction. */
  private nextId: number | null = null;

  private takeCableId(): number {
    const id = this.nextId ?? Number(this.w.nextCableId.get());
    this.nextId = id + 1;
    return id;
  }

  private recordReject(r: PreparedReject, now: string): void {
    this.w.insReject.run(r.at.source, r.at.row, r.at.line, r.at.offset, r.reason, r.raw, now);
  }

  private writeCable(c: PreparedCable, opts: BatchOptions, result: BatchResult): void {
    const w = this.w;
    const releasedAt = c.released ?? opts.releasedAt;
    const existing = w.selCable.get(c.canonicalId) as CableRow | undefined;
    if (!existing) {
      const originId = this.originId(c.origin);
      // The version row first, so the cable row is written once, already pointing at it.
      const id = this.takeCableId();
      const vid = this.insertVersion(id, c, opts.now);
      const tags = tagsText(c);
      w.insCable.run(
        id,
        c.canonicalId,
        c.referenceId,
        c.created,
        c.createdAsShown,
        c.year,
        originId,
        c.classification,
        c.parsedClassification,
        c.subject,
        tags,
        releasedAt,
        vid,
        asBuffer(c.parsed),
        c.extra,
      );
      w.insTitles.run(id, c.subject, tags);
      this.writeDerived(id, c, false);
      w.insAlias.run(c.canonicalId, id);
      this.addAliases(id, c);
      if (opts.indexNow) w.ftsIns.run(id, c.subject, tags, c.body);
      this.indexSide(id, vid, c, false);
      result.inserted++;
      return;
    }
    if (w.selVersionByHash.get(existing.id, c.hash) !== undefined) {
      this.addAliases(existing.id, c);
      if (releasedAt) w.release.run(releasedAt, existing.id);
      result.unchanged++;
      return;
    }
    if (
      !c.variant &&
      existing.cur_variant === 0 &&
      existing.cur_source === c.at.source &&
      existing.cur_ref === c.referenceId
    ) {
      // One source holds each cable once; a second, different text under the same ID is an error of
      // the source, not a new version. (A malformed spelling of the ID is another page: a version.)
      const first = existing.cur_row === null ? '' : ` (first at row ${existing.cur_row})`;
      const reject: PreparedReject = {
        at: c.at,
        reason: `duplicate reference ID ${c.referenceId} with conflicting text${first}`,
        raw: c.header ? `${c.header}\n${c.body}` : c.body,
      };
      this.recordReject(reject, opts.now);
      result.rejected++;
      result.rejects.push(reject);
      return;
    }
    const vid = this.insertVersion(existing.id, c, opts.now);
    this.addAliases(existing.id, c);
    // An earlier variant is history and never displaces a final text; nor does a page filed under a
    // malformed ID displace the one filed under the canonical ID.
    const displaces =
      existing.cur_variant === 1 ||
      (!c.variant && !(existing.cur_ref === c.canonicalId && c.referenceId !== c.canonicalId));
    if (displaces) {
      if (opts.indexNow) {
        const old = w.ftsOld.get(existing.id) as { subject: string; tags: string; body: string };
        w.ftsDel.run(existing.id, old.subject, old.tags, old.body);
      }
      w.updCable.run({
        ...c,
        parsed: asBuffer(c.parsed),
        id: existing.id,
        versionId: vid,
        originId: this.originId(c.origin),
        tagsText: tagsText(c),
      });
      this.writeDerived(existing.id, c, true);
      if (opts.indexNow) w.ftsIns.run(existing.id, c.subject, tagsText(c), c.body);
      this.indexSide(existing.id, vid, c, true);
    }
    if (releasedAt) w.release.run(releasedAt, existing.id);
    result.versionsAdded++;
  }

  /** What src/search/side-index.ts derives from a stored cable, written from the prepared one. */
  private indexSide(id: number, vid: number, c: PreparedCable, replace: boolean): void {
    const side = this.side;
    if (!side) return;
    if (replace) {
      side.delPeople.run(id);
      side.delMarks.run(id);
    }
    side.insPeople.run(id, peopleText(c.signers), peopleText(c.recipients));
    for (const m of cableMarkings(c.paragraphs.map((p) => p.marking))) side.insMark.run(id, m);
    side.indexed.run(id, vid);
  }

  private addAliases(id: number, c: PreparedCable): void {
    if (c.referenceId !== c.canonicalId) this.w.insAlias.run(c.referenceId, id);
    for (const a of c.aliases) if (a !== c.canonicalId) this.w.insAlias.run(a, id);
  }

  private insertVersion(cableId: number, c: PreparedCable, now: string): number {
    const sourceTime = c.released;
    return Number(
      this.w.insVersion.run(
        cableId,
        c.hash,
        c.referenceId,
        c.header,
        c.body,
        c.at.source,
        c.at.row,
        sourceTime,
        c.variant ? 1 : 0,
        now,
      ).lastInsertRowid,
    );
  }

  private writeDerived(id: number, c: PreparedCable, replace: boolean): void {
    const w = this.w;
    if (replace) {
      w.delTags.run(id);
      w.delRefs.run(id);
      w.delParas.run(id);
    }
    c.tags.forEach((t, i) => {
      w.insCableTag.run(id, i, this.tagId(t.name, t.kind));
    });
    c.references.forEach((r, i) => {
      w.insRef.run(id, i, r.kind, r.target, r.bullet, r.value);
    });
    c.paragraphs.forEach((p, i) => {
      w.insPara.run(id, i, p.number, p.marking, p.start, p.end);
    });
  }

  private originId(name: string | null): number | null {
    if (!name) return null;
    const cached = this.originIds.get(name);
    if (cached !== undefined) return cached;
    const w = this.w;
    let row = w.selOrigin.get(name) as { id: number } | undefined;
    if (!row) {
      // Two spellings may fold to one slug (`Embassy Sao Paulo`/`Embassy São Paulo`); keep slugs unique.
      const base = slugify(name);
      let slug = base;
      for (let n = 2; w.selOriginSlug.get(slug) !== undefined; n++) slug = `${base}-${n}`;
      row = { id: Number(w.insOrigin.run(name, slug).lastInsertRowid) };
    }
    this.originIds.set(name, row.id);
    return row.id;
  }

  private tagId(name: string, kind: string): number {
    const cached = this.tagIds.get(name);
    if (cached !== undefined) return cached;
    const w = this.w;
    const row = w.selTag.get(name) as { id: number } | undefined;
    const id = row ? row.id : Number(w.insTag.run(name, kind).lastInsertRowid);
    this.tagIds.set(name, id);
    return id;
  }

  async stats(): Promise<ArchiveStats> {
    const db = this.db;
    const one = (sql: string, params: object = {}) =>
      Number((db.prepare(sql).pluck().get(params) as number | bigint | null) ?? 0);
    const grouped = (sql: string) => {
      const out: Record<string, number> = {};
      for (const r of db.prepare(sql).all() as { k: string | number | null; n: number }[]) {
        out[String(r.k ?? 'unknown')] = r.n;
      }
      return out;
    };
    const total = one('SELECT count(*) FROM refs WHERE target IS NOT NULL');
    const resolved = one(
      'SELECT count(*) FROM refs r WHERE r.target IS NOT NULL AND EXISTS (SELECT 1 FROM aliases a WHERE a.alias = r.target)',
    );
    const cables = one('SELECT count(*) FROM cables');
    // Released means public now, by the one rule; a release time still ahead counts as embargoed.
    const now = { now: nowParam() };
    const released = one(`SELECT count(*) FROM cables c WHERE ${publicWhere('c')}`, now);
    return {
      cables,
      released,
      embargoed: cables - released,
      scheduled: one('SELECT count(*) FROM cables WHERE released_at > @now', now),
      versions: one('SELECT count(*) FROM versions'),
      rejected: one('SELECT count(*) FROM rejects'),
      aliases: one('SELECT count(*) FROM aliases'),
      origins: one('SELECT count(*) FROM origins'),
      tags: one('SELECT count(*) FROM tags'),
      references: { total, resolved, dangling: total - resolved },
      byClassification: grouped(
        'SELECT classification AS k, count(*) AS n FROM cables GROUP BY classification ORDER BY n DESC',
      ),
      byYear: grouped('SELECT year AS k, count(*) AS n FROM cables GROUP BY year ORDER BY year'),
    };
  }

  async *rejects(): AsyncIterable<RejectRow> {
    let last = 0;
    const page = this.db.prepare(
      'SELECT id, source, row, line, "offset", reason, raw, recorded_at FROM rejects WHERE id > ? ORDER BY id LIMIT 200',
    );
    for (;;) {
      const rows = page.all(last) as {
        id: number;
        source: string;
        row: number | null;
        line: number | null;
        offset: number | null;
        reason: string;
        raw: string;
        recorded_at: string;
      }[];
      if (rows.length === 0) return;
      for (const r of rows) {
        yield {
          source: r.source,
          row: r.row,
          line: r.line,
          offset: r.offset,
          reason: r.reason,
          raw: r.raw,
          recordedAt: r.recorded_at,
        };
      }
      last = rows[rows.length - 1]!.id;
    }
  }

  async *exportCables(opts: { releasedOnly: boolean }): AsyncIterable<ExportedCable> {
    const db = this.db;
    // One moment for the whole stream: a cable whose release time passes mid-export is left out.
    const now = nowParam();
    const page = db.prepare(`
      SELECT c.id, c.version_id, c.canonical_id, c.reference_id, c.created, c.created_as_shown, o.name AS origin,
        o.slug AS origin_slug, c.classification, c.released_at, v.header, v.body, v.reference_id AS version_ref,
        c.parsed, c.extra
      FROM cables c JOIN versions v ON v.id = c.version_id LEFT JOIN origins o ON o.id = c.origin_id
      WHERE c.id > @last ${opts.releasedOnly ? `AND ${publicWhere('c')}` : ''}
      ORDER BY c.id LIMIT ${EXPORT_PAGE}`);
    const aliases = db.prepare('SELECT alias FROM aliases WHERE cable_id = ? ORDER BY alias').pluck();
    const refs = db
      .prepare('SELECT DISTINCT target FROM refs WHERE cable_id = ? AND target IS NOT NULL ORDER BY position')
      .pluck();
    const versions = db.prepare(
      'SELECT id, hash, source, source_row, source_time, ingested_at FROM versions WHERE cable_id = ? ORDER BY id',
    );
    let last = 0;
    for (;;) {
      const rows = page.all({ last, now }) as {
        id: number;
        version_id: number;
        canonical_id: string;
        reference_id: string;
        created: string | null;
        created_as_shown: string | null;
        origin: string | null;
        origin_slug: string | null;
        classification: string | null;
        released_at: string | null;
        header: string;
        body: string;
        version_ref: string;
        parsed: Buffer | string;
        extra: string;
      }[];
      if (rows.length === 0) return;
      for (const r of rows) {
        const vid = r.version_id;
        const vs = (
          versions.all(r.id) as {
            id: number;
            hash: string;
            source: string;
            source_row: number | null;
            source_time: string | null;
            ingested_at: string;
          }[]
        ).map(
          (v): ExportedVersion => ({
            hash: v.hash,
            source: v.source,
            sourceRow: v.source_row,
            sourceTime: v.source_time,
            ingestedAt: v.ingested_at,
            current: v.id === vid,
          }),
        );
        yield {
          canonicalId: r.canonical_id,
          referenceId: r.reference_id,
          aliases: (aliases.all(r.id) as string[]).filter((a) => a !== r.canonical_id),
          created: r.created,
          createdAsShown: r.created_as_shown,
          origin: r.origin,
          references: refs.all(r.id) as string[],
          originSlug: r.origin_slug,
          classification: r.classification,
          releasedAt: r.released_at,
          header: r.header,
          body: r.body,
          parsed: parsedFields({ ...r, referenceId: r.version_ref }),
          extra: JSON.parse(r.extra),
          versions: vs,
        };
      }
      last = rows[rows.length - 1]!.id;
    }
  }

  async contentDigest(): Promise<string> {
    const h = createHash('sha256');
    const feed = (sql: string) => {
      for (const row of this.db.prepare(sql).raw().iterate() as Iterable<unknown[]>) {
        h.update(JSON.stringify(row));
        h.update('\n');
      }
    };
    // Keyed by canonical IDs and hashes, not by row ids or ingest times, which differ between runs.
    feed(`SELECT c.canonical_id, c.reference_id, c.created, c.created_as_shown, c.year, o.name, o.slug,
            c.classification, c.parsed_classification, c.subject, c.tags_text, c.released_at, v.hash, c.parsed,
            c.extra
          FROM cables c JOIN versions v ON v.id = c.version_id LEFT JOIN origins o ON o.id = c.origin_id
          ORDER BY c.canonical_id`);
    feed(`SELECT c.canonical_id, v.hash, v.reference_id, v.source, v.source_row, v.source_time, v.variant
          FROM versions v JOIN cables c ON c.id = v.cable_id ORDER BY c.canonical_id, v.hash`);
    feed('SELECT a.alias, c.canonical_id FROM aliases a JOIN cables c ON c.id = a.cable_id ORDER BY a.alias');
    feed(`SELECT c.canonical_id, t.position, g.name, g.kind FROM cable_tags t JOIN cables c ON c.id = t.cable_id
          JOIN tags g ON g.id = t.tag_id ORDER BY c.canonical_id, t.position`);
    feed(`SELECT c.canonical_id, r.position, r.kind, r.target, r.bullet, r.value FROM refs r
          JOIN cables c ON c.id = r.cable_id ORDER BY c.canonical_id, r.position`);
    feed(`SELECT c.canonical_id, p.position, p.number, p.marking, p.start, p."end" FROM paragraphs p
          JOIN cables c ON c.id = p.cable_id ORDER BY c.canonical_id, p.position`);
    feed(`SELECT source, row, line, "offset", reason, length(raw), raw FROM rejects
          ORDER BY source, row, line, "offset", reason`);
    feed(`SELECT count(*) FROM cable_fts`);
    return h.digest('hex');
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

function tagsText(c: PreparedCable): string {
  return c.tags.map((t) => t.name).join(' ');
}
