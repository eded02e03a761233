/**
 * The SQLite archive schema, as an ordered list of migrations. `PRAGMA user_version` records how
 * many have been applied, so opening an archive written by an older version upgrades it in place.
 */

export interface Migration {
  version: number;
  description: string;
  sql: string;
}

/** FTS5 tuning, applied by a migration and re-applied on open (the values live in the index's config). */
export const FTS_TUNING: Record<string, number> = {
  // Bigger leaf pages: fewer b-tree entries and page headers for a large, mostly-append index.
  pgsz: 4000,
  // Pending terms kept in memory before a segment is flushed; bigger means fewer, larger segments.
  hashsize: 128 * 1024 * 1024,
  automerge: 8,
  crisismerge: 32,
};

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    description: 'cables, versions, aliases, origins, tags, references, paragraphs, rejects, checkpoints',
    sql: `
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
  parsed BLOB NOT NULL,
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
`,
  },
  {
    version: 2,
    description: 'full-text index over subject, tags and body; graph and listing indexes',
    sql: `
CREATE INDEX refs_target ON refs (target) WHERE target IS NOT NULL;
CREATE INDEX cables_year ON cables (year);
CREATE INDEX cables_released ON cables (released_at);
CREATE INDEX cable_tags_tag ON cable_tags (tag_id);

-- What the index sees: the current text of each cable.
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
`,
  },
  {
    version: 3,
    description: 'public site listings: creation, origin and classification orders',
    sql: `
-- Listings by creation month and the creation calendar; released_at rides along so the embargo
-- test is answered from the index.
CREATE INDEX cables_created ON cables (created, released_at);
CREATE INDEX cables_origin_created ON cables (origin_id, created);
CREATE INDEX cables_origin_released ON cables (origin_id, released_at);
CREATE INDEX cables_class_created ON cables (classification, created);
CREATE INDEX cables_class_released ON cables (classification, released_at);
`,
  },
  {
    version: 4,
    description: 'search: signer/recipient index, paragraph markings, covering index for result sets',
    sql: `
-- Filled from cables.parsed by src/search/side-index.ts (after an ingest, or lazily on first search).
CREATE TABLE search_indexed (cable_id INTEGER PRIMARY KEY, version_id INTEGER NOT NULL);
CREATE VIRTUAL TABLE search_people USING fts5(
  signers, recipients,
  tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TABLE search_markings (
  cable_id INTEGER NOT NULL,
  marking TEXT NOT NULL,
  PRIMARY KEY (cable_id, marking)
) WITHOUT ROWID;
CREATE INDEX search_markings_marking ON search_markings (marking, cable_id);
-- Everything a result set needs per cable (sort keys, facets, filters) in narrow b-trees, so that
-- neither a facet count nor a walk in date order reads the wide cable rows: by id for joins from
-- the full-text index, by creation and release time for date-sorted pages.
CREATE INDEX search_cables_cover ON cables (id, released_at, created, year, origin_id, classification);
CREATE INDEX search_cables_by_created ON cables (created, id, released_at, year, origin_id, classification);
CREATE INDEX search_cables_by_released ON cables (released_at, id, created, year, origin_id, classification);
`,
  },
  {
    version: 5,
    description: 'public site: aliases by cable; sort-order walks for listings',
    sql: `
-- A cable page lists the cable's other IDs, and "cited by" matches references against them.
CREATE INDEX aliases_cable ON aliases (cable_id);
-- Archives upgraded to version 4 before it gained these two lack them; listings walk them in
-- release or creation order and test the listing's key from the index alone.
CREATE INDEX IF NOT EXISTS search_cables_by_created ON cables (created, id, released_at, year, origin_id, classification);
CREATE INDEX IF NOT EXISTS search_cables_by_released ON cables (released_at, id, created, year, origin_id, classification);
`,
  },
  {
    version: 6,
    description: 'search_people keeps no copy of its text (search only matches it)',
    sql: `
-- Search asks search_people only for the rowids that MATCH; the names are in cables.parsed. A
-- contentless index (with deletes, for re-indexed cables) saves the copy: ~40 MB at full scale.
CREATE VIRTUAL TABLE search_people_v6 USING fts5(
  signers, recipients,
  content = '', contentless_delete = 1,
  tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO search_people_v6 (rowid, signers, recipients) SELECT rowid, signers, recipients FROM search_people;
DROP TABLE search_people;
ALTER TABLE search_people_v6 RENAME TO search_people;
`,
  },
  {
    version: 7,
    description:
      'search: subject + tags index for the first relevance tier; listing indexes the covering ones replace',
    sql: `
-- The first relevance tier (a phrase of the query in the subject or tags) ranked from an index of
-- those two columns alone: its doclists are a few rows where cable_fts's hold every body mention,
-- and bm25's statistics (a scan per phrase each statement) cost as little. External content: no
-- copy of the text; the triggers keep it in step with every write to cables (the writer only
-- inserts and updates rows, and none goes through REPLACE, which would skip the delete trigger).
CREATE VIRTUAL TABLE search_titles USING fts5(
  subject, tags_text,
  content = 'cables', content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2',
  detail = full
);
INSERT INTO search_titles (search_titles) VALUES ('rebuild');
CREATE TRIGGER search_titles_ai AFTER INSERT ON cables BEGIN
  INSERT INTO search_titles (rowid, subject, tags_text) VALUES (new.id, new.subject, new.tags_text);
END;
CREATE TRIGGER search_titles_ad AFTER DELETE ON cables BEGIN
  INSERT INTO search_titles (search_titles, rowid, subject, tags_text)
    VALUES ('delete', old.id, old.subject, old.tags_text);
END;
CREATE TRIGGER search_titles_au AFTER UPDATE OF subject, tags_text ON cables BEGIN
  INSERT INTO search_titles (search_titles, rowid, subject, tags_text)
    VALUES ('delete', old.id, old.subject, old.tags_text);
  INSERT INTO search_titles (rowid, subject, tags_text) VALUES (new.id, new.subject, new.tags_text);
END;
-- Prefixes of search_cables_by_created (created, id, released_at, …) and search_cables_by_released
-- (released_at, id, …): every listing, calendar, feed and counter plan that used them uses those
-- instead (checked with EXPLAIN QUERY PLAN at full scale: same searches and walks, no new scan or
-- sort), and dropping them pays for search_titles in the archive's size budget.
DROP INDEX IF EXISTS cables_created;
DROP INDEX IF EXISTS cables_released;
`,
  },
  {
    version: 8,
    description: 'the writer fills search_titles for new cables itself, not through a trigger',
    sql: `
-- An INSERT on cables that fires a trigger runs the trigger's program for each row, and, writing
-- two tables in one statement, needs a statement journal: measured on 30,000 rows, the trigger's
-- insert into search_titles cost 19-24 µs a cable against ~5 µs for the same INSERT made by the writer.
-- The writer is the only code that inserts cables (SqliteStore.writeCable); the delete and update
-- triggers stay, as updates and deletes are rare and may come from elsewhere.
DROP TRIGGER IF EXISTS search_titles_ai;
`,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
