/**
 * The tables the search engine reads, kept in step by the writer within each batch's transaction:
 * the full-text index `cable_fts` (unless a load builds it beside the writer), the subject + tags
 * index `search_titles` (inserts here, updates by its trigger), signers and recipients in
 * `search_people`, normalised paragraph markings in `search_markings`.
 */
import { cableMarkings } from '../../../cable/markings.js';
import type { PreparedCable } from '../../types.js';
import type { Statements } from '../statements.js';

// A separator token between names keeps a phrase from matching across two of them.
const SEP = ' xxsepxx ';

export function peopleText(names: string[]): string {
  return names.join(SEP);
}

export function tagsText(c: PreparedCable): string {
  return c.tags.map((t) => t.name).join(' ');
}

const INS_TITLES = 'INSERT INTO search_titles (rowid, subject, tags_text) VALUES (?, ?, ?)';
const DEL_PEOPLE = 'DELETE FROM search_people WHERE rowid = ?';
const INS_PEOPLE = 'INSERT INTO search_people (rowid, signers, recipients) VALUES (?, ?, ?)';
const DEL_MARKS = 'DELETE FROM search_markings WHERE cable_id = ?';
const INS_MARK = 'INSERT OR IGNORE INTO search_markings (cable_id, marking) VALUES (?, ?)';
const FTS_OLD = 'SELECT subject, tags, body FROM cable_search WHERE id = ?';
const FTS_INS = 'INSERT INTO cable_fts (rowid, subject, tags, body) VALUES (?, ?, ?, ?)';
const FTS_DEL = `INSERT INTO cable_fts (cable_fts, rowid, subject, tags, body) VALUES ('delete', ?, ?, ?, ?)`;

export class SearchTables {
  /** Index the text row by row; false while a load builds `cable_fts` another way. */
  indexText = true;

  constructor(private readonly sql: Statements) {}

  /** A new cable. */
  inserted(id: number, c: PreparedCable, tags: string): void {
    this.sql.prepare(INS_TITLES).run(id, c.subject, tags);
    if (this.indexText) this.sql.prepare(FTS_INS).run(id, c.subject, tags, c.body);
    this.people(id, c);
  }

  /** Before a cable's current text is replaced: an external-content 'delete' needs the old values. */
  replacing(id: number): void {
    if (!this.indexText) return;
    const old = this.sql.prepare(FTS_OLD).get(id) as { subject: string; tags: string; body: string };
    this.sql.prepare(FTS_DEL).run(id, old.subject, old.tags, old.body);
  }

  /** After a cable's current text was replaced (`search_titles` follows by its trigger). */
  replaced(id: number, c: PreparedCable, tags: string): void {
    if (this.indexText) this.sql.prepare(FTS_INS).run(id, c.subject, tags, c.body);
    this.sql.prepare(DEL_PEOPLE).run(id);
    this.sql.prepare(DEL_MARKS).run(id);
    this.people(id, c);
  }

  private people(id: number, c: PreparedCable): void {
    this.sql.prepare(INS_PEOPLE).run(id, peopleText(c.signers), peopleText(c.recipients));
    const ins = this.sql.prepare(INS_MARK);
    for (const m of cableMarkings(c.paragraphs.map((p) => p.marking))) ins.run(id, m);
  }
}
