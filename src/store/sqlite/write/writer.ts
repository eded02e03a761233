/**
 * The write path: each batch in one IMMEDIATE transaction with its checkpoint. Cables are keyed by
 * canonical ID; a changed text becomes a new version, the same text again changes nothing, and
 * the writer fills every table of a cable, the search engine's included (`search-tables.ts`).
 */
import { slugify } from '../../slug.js';
import type {
  BatchOptions,
  BatchResult,
  Checkpoint,
  PreparedCable,
  PreparedItem,
  PreparedReject,
} from '../../types.js';
import type { Statements } from '../statements.js';
import { SearchTables, tagsText } from './search-tables.js';

interface CableRow {
  id: number;
  version_id: number;
  released_at: string | null;
  cur_source: string;
  cur_row: number | null;
  cur_variant: number;
  cur_ref: string;
}

const SEL_CABLE = `SELECT c.id, c.version_id, c.released_at, v.source AS cur_source, v.source_row AS cur_row,
    v.variant AS cur_variant, v.reference_id AS cur_ref
  FROM cables c JOIN versions v ON v.id = c.version_id WHERE c.canonical_id = ?`;
const SEL_VERSION_BY_HASH = 'SELECT id FROM versions WHERE cable_id = ? AND hash = ?';
const INS_CABLE = `INSERT INTO cables (id, canonical_id, reference_id, created, created_as_shown, year, origin_id,
    classification, parsed_classification, subject, tags_text, released_at, version_id, parsed, extra)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
const NEXT_CABLE_ID = 'SELECT ifnull(max(id), 0) + 1 FROM cables';
const UPD_CABLE = `UPDATE cables SET reference_id = @referenceId, created = @created,
    created_as_shown = @createdAsShown, year = @year, origin_id = @originId,
    classification = @classification, parsed_classification = @parsedClassification,
    subject = @subject, tags_text = @tagsText, parsed = @parsed, extra = @extra,
    version_id = @versionId WHERE id = @id`;
const RELEASE = 'UPDATE cables SET released_at = ? WHERE id = ? AND released_at IS NULL';
const INS_VERSION = `INSERT INTO versions (cable_id, hash, reference_id, header, body, source, source_row,
    source_time, variant, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
const INS_ALIAS = 'INSERT OR IGNORE INTO aliases (alias, cable_id) VALUES (?, ?)';
const INS_ORIGIN = 'INSERT INTO origins (name, slug) VALUES (?, ?)';
const SEL_ORIGIN = 'SELECT id FROM origins WHERE name = ?';
const SEL_ORIGIN_SLUG = 'SELECT 1 FROM origins WHERE slug = ?';
const INS_TAG = 'INSERT INTO tags (name, kind) VALUES (?, ?)';
const SEL_TAG = 'SELECT id FROM tags WHERE name = ?';
const DEL_TAGS = 'DELETE FROM cable_tags WHERE cable_id = ?';
const INS_CABLE_TAG = 'INSERT INTO cable_tags (cable_id, position, tag_id) VALUES (?, ?, ?)';
const DEL_REFS = 'DELETE FROM refs WHERE cable_id = ?';
const INS_REF =
  'INSERT INTO refs (cable_id, position, kind, target, bullet, value) VALUES (?, ?, ?, ?, ?, ?)';
const DEL_PARAS = 'DELETE FROM paragraphs WHERE cable_id = ?';
const INS_PARA =
  'INSERT INTO paragraphs (cable_id, position, number, marking, start, "end") VALUES (?, ?, ?, ?, ?, ?)';
const INS_REJECT = `INSERT OR IGNORE INTO rejects (source, row, line, "offset", reason, raw, recorded_at)
  VALUES (?, ?, ?, ?, ?, ?, ?)`;
const UPSERT_CHECKPOINT = `INSERT INTO checkpoints (source_key, "offset", row, line, done, updated_at)
  VALUES (@sourceKey, @offset, @row, @line, @done, @now)
  ON CONFLICT (source_key) DO UPDATE SET "offset" = excluded."offset", row = excluded.row,
    line = excluded.line, done = excluded.done, updated_at = excluded.updated_at`;

export class SqliteWriter {
  readonly search: SearchTables;
  /** Called after each committed batch (a load's index builder follows the commits). */
  afterCommit: (() => void) | null = null;
  private readonly originIds = new Map<string, number>();
  private readonly tagIds = new Map<string, number>();
  /** The ID the next new cable gets (what SQLite would pick), read once per transaction. */
  private nextId: number | null = null;

  constructor(private readonly sql: Statements) {
    this.search = new SearchTables(sql);
  }

  /** The highest cable ID written so far. */
  maxCableId(): number {
    return Number(this.sql.pluck(NEXT_CABLE_ID).get()) - 1;
  }

  writeBatch(items: PreparedItem[], opts: BatchOptions): BatchResult {
    const result: BatchResult = { inserted: 0, versionsAdded: 0, unchanged: 0, rejected: 0, rejects: [] };
    // IMMEDIATE takes the write lock first, so the next cable ID read below stays ours.
    const write = this.sql.db.transaction(() => {
      this.nextId = null;
      for (const item of items) {
        if (item.kind === 'reject') {
          this.recordReject(item, opts.now);
          result.rejected++;
        } else {
          this.writeCable(item, opts, result);
        }
      }
      if (opts.checkpoint) {
        this.sql.prepare(UPSERT_CHECKPOINT).run({
          ...opts.checkpoint,
          done: opts.checkpoint.done ? 1 : 0,
          now: opts.now,
        });
      }
    });
    try {
      write.immediate();
    } catch (e) {
      // The rolled-back batch may have added origins and tags the caches now name.
      this.originIds.clear();
      this.tagIds.clear();
      throw e;
    }
    this.afterCommit?.();
    return result;
  }

  getCheckpoint(sourceKey: string): Checkpoint | null {
    const r = this.sql
      .prepare('SELECT source_key, "offset", row, line, done FROM checkpoints WHERE source_key = ?')
      .get(sourceKey) as
      | { source_key: string; offset: number; row: number; line: number; done: number }
      | undefined;
    return r
      ? { sourceKey: r.source_key, offset: r.offset, row: r.row, line: r.line, done: r.done === 1 }
      : null;
  }

  finishCheckpoint(sourceKey: string): void {
    this.sql.prepare('UPDATE checkpoints SET done = 1 WHERE source_key = ?').run(sourceKey);
  }

  private takeCableId(): number {
    const id = this.nextId ?? Number(this.sql.pluck(NEXT_CABLE_ID).get());
    this.nextId = id + 1;
    return id;
  }

  private recordReject(r: PreparedReject, now: string): void {
    this.sql.prepare(INS_REJECT).run(r.at.source, r.at.row, r.at.line, r.at.offset, r.reason, r.raw, now);
  }

  private writeCable(c: PreparedCable, opts: BatchOptions, result: BatchResult): void {
    const sql = this.sql;
    const releasedAt = c.released ?? opts.releasedAt;
    const existing = sql.prepare(SEL_CABLE).get(c.canonicalId) as CableRow | undefined;
    if (!existing) {
      const originId = this.originId(c.origin);
      // The version row first, so the cable row is written once, already pointing at it.
      const id = this.takeCableId();
      const vid = this.insertVersion(id, c, opts.now);
      const tags = tagsText(c);
      sql
        .prepare(INS_CABLE)
        .run(
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
          c.parsed,
          c.extra,
        );
      this.search.inserted(id, c, tags);
      this.writeDerived(id, c, false);
      sql.prepare(INS_ALIAS).run(c.canonicalId, id);
      this.addAliases(id, c);
      result.inserted++;
      return;
    }
    if (sql.prepare(SEL_VERSION_BY_HASH).get(existing.id, c.hash) !== undefined) {
      this.addAliases(existing.id, c);
      if (releasedAt) sql.prepare(RELEASE).run(releasedAt, existing.id);
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
      const tags = tagsText(c);
      this.search.replacing(existing.id);
      sql.prepare(UPD_CABLE).run({
        ...c,
        id: existing.id,
        versionId: vid,
        originId: this.originId(c.origin),
        tagsText: tags,
      });
      this.writeDerived(existing.id, c, true);
      this.search.replaced(existing.id, c, tags);
    }
    if (releasedAt) sql.prepare(RELEASE).run(releasedAt, existing.id);
    result.versionsAdded++;
  }

  private addAliases(id: number, c: PreparedCable): void {
    const ins = this.sql.prepare(INS_ALIAS);
    if (c.referenceId !== c.canonicalId) ins.run(c.referenceId, id);
    for (const a of c.aliases) if (a !== c.canonicalId) ins.run(a, id);
  }

  private insertVersion(cableId: number, c: PreparedCable, now: string): number {
    const sourceTime = c.released;
    return Number(
      this.sql
        .prepare(INS_VERSION)
        .run(
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
    const sql = this.sql;
    if (replace) {
      sql.prepare(DEL_TAGS).run(id);
      sql.prepare(DEL_REFS).run(id);
      sql.prepare(DEL_PARAS).run(id);
    }
    const tag = sql.prepare(INS_CABLE_TAG);
    c.tags.forEach((t, i) => {
      tag.run(id, i, this.tagId(t.name, t.kind));
    });
    const ref = sql.prepare(INS_REF);
    c.references.forEach((r, i) => {
      ref.run(id, i, r.kind, r.target, r.bullet, r.value);
    });
    const para = sql.prepare(INS_PARA);
    c.paragraphs.forEach((p, i) => {
      para.run(id, i, p.number, p.marking, p.start, p.end);
    });
  }

  private originId(name: string | null): number | null {
    if (!name) return null;
    const cached = this.originIds.get(name);
    if (cached !== undefined) return cached;
    const sql = this.sql;
    let row = sql.prepare(SEL_ORIGIN).get(name) as { id: number } | undefined;
    if (!row) {
      // Two spellings may fold to one slug (`Embassy Sao Paulo`/`Embassy São Paulo`); keep slugs unique.
      const base = slugify(name);
      let slug = base;
      for (let n = 2; sql.prepare(SEL_ORIGIN_SLUG).get(slug) !== undefined; n++) slug = `${base}-${n}`;
      row = { id: Number(sql.prepare(INS_ORIGIN).run(name, slug).lastInsertRowid) };
    }
    this.originIds.set(name, row.id);
    return row.id;
  }

  private tagId(name: string, kind: string): number {
    const cached = this.tagIds.get(name);
    if (cached !== undefined) return cached;
    const row = this.sql.prepare(SEL_TAG).get(name) as { id: number } | undefined;
    const id = row ? row.id : Number(this.sql.prepare(INS_TAG).run(name, kind).lastInsertRowid);
    this.tagIds.set(name, id);
    return id;
  }
}
