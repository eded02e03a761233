/**
 * The SQLite archive's schema, version 1: created whole on a new archive; an archive of any other
 * version is refused (there is one format; earlier development builds' archives move over by
 * their own export and a re-ingest, which is lossless).
 */
import type Database from 'better-sqlite3';

export const SCHEMA_VERSION = 1;
/** `PRAGMA application_id` of an archive ('CBLA'): tells it from other SQLite files and from the dev builds'. */
export const APPLICATION_ID = 0x43424c41;

/** FTS5 tuning, written into the index's config when the archive is created. */
export const FTS_TUNING: Record<string, number> = {
  // Bigger leaf pages: fewer b-tree entries and page headers for a large, mostly-append index.
  pgsz: 4000,
  // Pending terms kept in memory before a segment is flushed; bigger means fewer, larger segments.
  hashsize: 128 * 1024 * 1024,
  automerge: 8,
  crisismerge: 32,
};

const SCHEMA = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

CREATE TABLE origins (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  slug TEXT NOT NULL UNIQUE
);

CREATE TABLE cables (
  id INTEGER PRIMARY KEY,
  canonical_id TEXT NOT NULL UNIQUE,
  reference_id TEXT NOT NULL,
  created TEXT,
  created_as_shown TEXT,
  year INTEGER,
  origin_id INTEGER REFERENCES origins(id),
  classification TEXT,
  parsed_classification TEXT,
  subject TEXT NOT NULL DEFAULT '',
  tags_text TEXT NOT NULL DEFAULT '',
  released_at TEXT,
  version_id INTEGER,
  -- JSON of the page's fields (src/store/parsed.ts).
  parsed TEXT NOT NULL,
  extra TEXT NOT NULL DEFAULT '{}'
);

-- Every text a cable has had; the cable points at its current one. The same text twice is one row.
CREATE TABLE versions (
  id INTEGER PRIMARY KEY,
  cable_id INTEGER NOT NULL REFERENCES cables(id),
  hash TEXT NOT NULL,
  -- The ID as this source wrote it (a malformed spelling may be a second page of one cable).
  reference_id TEXT NOT NULL,
  header TEXT NOT NULL,
  body TEXT NOT NULL,
  source TEXT NOT NULL,
  source_row INTEGER,
  source_time TEXT,
  -- 1 when the source declared this text an earlier variant: it never displaces a final text.
  variant INTEGER NOT NULL DEFAULT 0,
  ingested_at TEXT NOT NULL,
  UNIQUE (cable_id, hash)
);

CREATE TABLE aliases (
  alias TEXT PRIMARY KEY,
  cable_id INTEGER NOT NULL REFERENCES cables(id)
) WITHOUT ROWID;

CREATE TABLE tags (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL
);

CREATE TABLE cable_tags (
  cable_id INTEGER NOT NULL,
  position INTEGER NOT NULL,
  tag_id INTEGER NOT NULL REFERENCES tags(id),
  PRIMARY KEY (cable_id, position)
) WITHOUT ROWID;

-- The reference graph: target is a canonical ID whether or not that cable is in the archive.
CREATE TABLE refs (
  cable_id INTEGER NOT NULL,
  position INTEGER NOT NULL,
  kind TEXT NOT NULL,
  target TEXT,
  bullet TEXT,
  value TEXT NOT NULL,
  PRIMARY KEY (cable_id, position)
) WITHOUT ROWID;

CREATE TABLE paragraphs (
  cable_id INTEGER NOT NULL,
  position INTEGER NOT NULL,
  number INTEGER NOT NULL,
  marking TEXT,
  start INTEGER NOT NULL,
  "end" INTEGER NOT NULL,
  PRIMARY KEY (cable_id, position)
) WITHOUT ROWID;

CREATE TABLE rejects (
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL,
  row INTEGER,
  line INTEGER,
  "offset" INTEGER,
  reason TEXT NOT NULL,
  raw TEXT NOT NULL,
  recorded_at TEXT NOT NULL
);
-- A resumed ingest meets the same bad rows again; they are recorded once.
CREATE UNIQUE INDEX rejects_place ON rejects (source, ifnull(row, -1), ifnull(line, -1), ifnull("offset", -1), reason);

CREATE TABLE checkpoints (
  source_key TEXT PRIMARY KEY,
  "offset" INTEGER NOT NULL,
  row INTEGER NOT NULL,
  line INTEGER NOT NULL,
  done INTEGER NOT NULL DEFAULT 0,
  updated_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE INDEX refs_target ON refs (target) WHERE target IS NOT NULL;
-- A cable page lists the cable's other IDs, and "cited by" matches references against them.
CREATE INDEX aliases_cable ON aliases (cable_id);
CREATE INDEX cable_tags_tag ON cable_tags (tag_id);
CREATE INDEX cables_year ON cables (year);
-- Listings by origin and classification in either order; released_at rides along in the others
-- (search_cables_by_*), so the embargo test is answered from the index.
CREATE INDEX cables_origin_created ON cables (origin_id, created);
CREATE INDEX cables_origin_released ON cables (origin_id, released_at);
CREATE INDEX cables_class_created ON cables (classification, created);
CREATE INDEX cables_class_released ON cables (classification, released_at);
-- Everything a result set needs per cable (sort keys, facets, filters) in narrow b-trees, so that
-- neither a facet count nor a walk in date order reads the wide cable rows: by id for joins from
-- the full-text index, by creation and release time for date-sorted pages, listings, calendars.
CREATE INDEX search_cables_cover ON cables (id, released_at, created, year, origin_id, classification);
CREATE INDEX search_cables_by_created ON cables (created, id, released_at, year, origin_id, classification);
CREATE INDEX search_cables_by_released ON cables (released_at, id, created, year, origin_id, classification);

-- What the full-text index sees: the current text of each cable.
CREATE VIEW cable_search AS
  SELECT c.id AS id, c.subject AS subject, c.tags_text AS tags, v.body AS body
  FROM cables c JOIN versions v ON v.id = c.version_id;

-- External content (no second copy of the text); unicode61 folds case and diacritics.
CREATE VIRTUAL TABLE cable_fts USING fts5(
  subject, tags, body,
  content = 'cable_search', content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2',
  detail = full
);

-- Search's tables, filled by the writer with each batch (write/search-tables.ts). Signers and
-- recipients are only matched, never shown: a contentless index keeps no copy of the names.
CREATE VIRTUAL TABLE search_people USING fts5(
  signers, recipients,
  content = '', contentless_delete = 1,
  tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TABLE search_markings (
  cable_id INTEGER NOT NULL,
  marking TEXT NOT NULL,
  PRIMARY KEY (cable_id, marking)
) WITHOUT ROWID;
CREATE INDEX search_markings_marking ON search_markings (marking, cable_id);

-- The first relevance tier (a phrase of the query in the subject or tags) ranked from an index of
-- those two columns alone. External content: no copy of the text. The writer inserts new cables'
-- rows itself (a trigger's program per row cost several times as much); the triggers keep it in
-- step with the rarer updates and deletes (none goes through REPLACE, which would skip them).
CREATE VIRTUAL TABLE search_titles USING fts5(
  subject, tags_text,
  content = 'cables', content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2',
  detail = full
);
CREATE TRIGGER search_titles_ad AFTER DELETE ON cables BEGIN
  INSERT INTO search_titles (search_titles, rowid, subject, tags_text)
    VALUES ('delete', old.id, old.subject, old.tags_text);
END;
CREATE TRIGGER search_titles_au AFTER UPDATE OF subject, tags_text ON cables BEGIN
  INSERT INTO search_titles (search_titles, rowid, subject, tags_text)
    VALUES ('delete', old.id, old.subject, old.tags_text);
  INSERT INTO search_titles (rowid, subject, tags_text) VALUES (new.id, new.subject, new.tags_text);
END;
`;

/**
 * Checks that `db` holds an archive of this version, or creates one in an empty database when
 * `create` (one transaction: a reader sees no archive or a whole one).
 */
export function checkSchema(db: Database.Database, file: string, create: boolean): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  const app = db.pragma('application_id', { simple: true }) as number;
  if (version === SCHEMA_VERSION && app === APPLICATION_ID) return;
  const empty = version === 0 && db.prepare('SELECT 1 FROM sqlite_schema LIMIT 1').get() === undefined;
  if (empty && create && !db.readonly) {
    db.transaction(() => {
      db.exec(SCHEMA);
      // FTS5 takes its settings as special inserts; bound parameters are refused there, hence literals.
      for (const [key, value] of Object.entries(FTS_TUNING))
        db.exec(`INSERT INTO cable_fts (cable_fts, rank) VALUES ('${key}', ${Math.trunc(value)})`);
      db.pragma(`application_id = ${APPLICATION_ID}`);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
    })();
    return;
  }
  if (empty) throw new Error(`${file}: an empty database, not an archive (ingest into it first)`);
  if (app === APPLICATION_ID)
    throw new Error(
      `${file}: archive format ${version}, not the format ${SCHEMA_VERSION} this program reads`,
    );
  if (version === 0) throw new Error(`${file}: not a cables archive`);
  throw new Error(
    `${file}: an archive of a development build (schema ${version}), which this program does not read. ` +
      'Export it with the build that wrote it (cables export-data --db old.db --format csv > dump.csv) and ' +
      'ingest the export into a new archive (cables ingest dump.csv --format archive-csv --db new.db).',
  );
}
