/**
 * Search's own tables (schema migration 4), derived from what the ingest stored: signers and
 * recipients (only in the compressed `cables.parsed`) in the small FTS table `search_people`, and
 * normalised paragraph markings in `search_markings`. Brought up to date incrementally: a cable
 * is (re)indexed when its current version differs from the one recorded in `search_indexed`.
 * `versions.id` only grows, so `max(versions.id)` tells in O(1) whether anything changed.
 * An ingest by this version keeps the tables in step as it writes (sqlite-store.ts); this
 * catch-up is for archives written by older versions.
 */
import type Database from 'better-sqlite3';
import type { Cable } from '../cable/types.js';
import { decodeParsed, holdsWholeParse, parsedFields } from '../store/codec.js';

const META_KEY = 'search_side_version';
const BATCH = 2000;

/** `S//NF`, `s/noforn`, `S / NF` → `S/NF`: one spelling per marking for filters and facets. */
export function normalizeMarking(m: string): string {
  return m
    .normalize('NFKC')
    .toUpperCase()
    .replace(/NOFORN/g, 'NF')
    .replace(/\s*\/+\s*/g, '/')
    .replace(/\s+/g, ' ')
    .trim();
}

function hasTables(db: Database.Database): boolean {
  return (
    db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'search_indexed'`).get() !==
    undefined
  );
}

/** The distinct normalised markings of a cable's paragraphs, as `search_markings` holds them. */
export function cableMarkings(markings: Iterable<string | null>): string[] {
  const out = new Set<string>();
  for (const m of markings) {
    const n = m === null ? '' : normalizeMarking(m);
    if (n) out.add(n);
  }
  return [...out];
}

/** The meta key recording up to which `versions.id` the side index is complete. */
export const SIDE_VERSION_KEY = META_KEY;

/** True when cables were added or changed since the side index was last brought up to date. */
export function sideIndexStale(db: Database.Database): boolean {
  if (!hasTables(db)) return true;
  const have = db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(META_KEY) as string | undefined;
  const now = String(db.prepare('SELECT ifnull(max(id), 0) FROM versions').pluck().get());
  return have !== now;
}

/**
 * Brings the side index up to date; cheap when nothing changed. Needs a writable connection on
 * an archive at schema version ≥ 4. The ingest may call this after it finishes (about 1 ms per
 * cable); otherwise the first search on a writable connection does it.
 */
export function updateSideIndex(db: Database.Database, onProgress?: (done: number) => void): number {
  if (!hasTables(db) || !sideIndexStale(db)) return 0;
  const mark = String(db.prepare('SELECT ifnull(max(id), 0) FROM versions').pluck().get());
  const todo = db.prepare(
    `SELECT c.id, c.version_id, c.parsed, c.created FROM cables c LEFT JOIN search_indexed s ON s.cable_id = c.id
     WHERE c.id > ? AND (s.version_id IS NULL OR s.version_id IS NOT c.version_id) ORDER BY c.id LIMIT ${BATCH}`,
  );
  const markings = db.prepare(
    'SELECT DISTINCT marking FROM paragraphs WHERE cable_id = ? AND marking IS NOT NULL',
  );
  // Archives since v4 of cables.parsed keep only the page's fields there: signers and recipients
  // are parsed again from the version's text (cables that the ingest indexed itself never get here).
  const text = db.prepare('SELECT header, body, reference_id AS referenceId FROM versions WHERE id = ?');
  const delPeople = db.prepare('DELETE FROM search_people WHERE rowid = ?');
  const insPeople = db.prepare('INSERT INTO search_people (rowid, signers, recipients) VALUES (?, ?, ?)');
  const delMarks = db.prepare('DELETE FROM search_markings WHERE cable_id = ?');
  const insMark = db.prepare('INSERT OR IGNORE INTO search_markings (cable_id, marking) VALUES (?, ?)');
  const done = db.prepare('INSERT OR REPLACE INTO search_indexed (cable_id, version_id) VALUES (?, ?)');
  let last = 0;
  let count = 0;
  for (;;) {
    const rows = todo.all(last) as {
      id: number;
      version_id: number;
      parsed: Buffer | string;
      created: string | null;
    }[];
    if (rows.length === 0) break;
    db.transaction(() => {
      for (const r of rows) {
        const p: Partial<Cable> = holdsWholeParse(r.parsed)
          ? (decodeParsed(r.parsed) as Partial<Cable>)
          : parsedFields({
              parsed: r.parsed,
              created: r.created,
              ...(text.get(r.version_id) as { header: string; body: string; referenceId: string }),
            });
        delPeople.run(r.id);
        insPeople.run(r.id, peopleText(p.signers ?? []), recipientsText(p));
        delMarks.run(r.id);
        for (const n of cableMarkings(markings.pluck().all(r.id) as string[])) insMark.run(r.id, n);
        done.run(r.id, r.version_id);
      }
    })();
    count += rows.length;
    last = rows[rows.length - 1]!.id;
    onProgress?.(count);
  }
  db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(META_KEY, mark);
  return count;
}

// A separator token between names keeps a phrase from matching across two of them.
const SEP = ' xxsepxx ';

export function peopleText(names: string[]): string {
  return names.join(SEP);
}

/** TO and INFO addressees both count as recipients (`to:`). */
export function recipientNames(p: Partial<Cable>): string[] {
  return [...(p.recipients ?? []), ...(p.infoRecipients ?? [])].map((r) => r.name);
}

function recipientsText(p: Partial<Cable>): string {
  return peopleText(recipientNames(p));
}
