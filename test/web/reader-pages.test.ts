/**
 * The reader's fast paths against brute force, on an archive with released, scheduled and unreleased
 * cables and a clock that moves past the scheduled release: listing pages served from the memoised
 * listing orders (visited out of order) against one plain SQL query per listing, and `cablePage`
 * (one statement for the page's parts) against the separate methods.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ingestFiles } from '../../src/ingest/pipeline.js';
import { SqliteReader } from '../../src/store/sqlite/sqlite-reader.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { ListingKind, SortDir, SortKey } from '../../src/store/types.js';
import { makeCorpus, now, tempDir } from './archive.js';

const tmp = tempDir('web-reader-pages-');
const db = join(tmp.dir, 'thirds.sqlite');
const SCHEDULED = '2030-01-01T00:00:00.000Z';
let clock = new Date('2024-01-01T00:00:00Z');
let reader: SqliteReader;

before(async () => {
  const csv = join(tmp.dir, 'cables.csv');
  makeCorpus(csv, 1500, 7);
  const store = new SqliteStore(db);
  await ingestFiles(store, [csv], { now, releasedAt: null });
  // A third released, a third scheduled for later, a third never released.
  store.db.exec(`UPDATE cables SET released_at = '2011-08-26T00:00:00Z' WHERE id % 3 = 0`);
  store.db.exec(`UPDATE cables SET released_at = '2011-11-28T10:00:00Z' WHERE id % 9 = 3`);
  store.db.exec(`UPDATE cables SET released_at = '${SCHEDULED}' WHERE id % 3 = 1`);
  await store.close();
  reader = new SqliteReader(db, { clock: () => clock });
});
after(async () => {
  await reader.close();
  tmp.cleanup();
});

const PUBLIC = '(c.released_at IS NOT NULL AND c.released_at <= @now)';

/** The listing's public cables in page order, by one query, as the reader must page them. */
function bruteForce(kind: ListingKind, key: string, sort: SortKey, dir: SortDir): string[] {
  const where: Record<ListingKind, string> = {
    reldate: 'substr(c.released_at, 1, 10) = @key',
    date: 'substr(c.created, 1, 7) = @key',
    origin: 'c.origin_id = (SELECT id FROM origins WHERE slug = @key)',
    tag: 'c.id IN (SELECT ct.cable_id FROM cable_tags ct JOIN tags t ON t.id = ct.tag_id WHERE t.name = @key)',
    classification: 'c.classification = @key',
  };
  const col = sort === 'created' ? 'c.created' : 'c.released_at';
  return reader.db
    .prepare(
      `SELECT c.canonical_id FROM cables c WHERE ${where[kind]} AND ${PUBLIC}
       ORDER BY ${col} ${dir}, c.id ${dir}`,
    )
    .pluck()
    .all({ key, now: clock.toISOString() }) as string[];
}

/** Listing keys with several pages of 7 and one small one, per kind. */
function keys(): { kind: ListingKind; key: string; name: string }[] {
  const pick = (sql: string) => reader.db.prepare(sql).pluck().all({ now: clock.toISOString() }) as string[];
  const busiest = (expr: string, from = 'cables c') =>
    pick(`SELECT ${expr} AS k FROM ${from} WHERE ${PUBLIC} GROUP BY k ORDER BY count(*) DESC LIMIT 2`);
  const out: { kind: ListingKind; key: string; name: string }[] = [];
  for (const k of busiest('substr(c.released_at, 1, 10)')) out.push({ kind: 'reldate', key: k, name: k });
  for (const k of busiest('substr(c.created, 1, 7)')) out.push({ kind: 'date', key: k, name: k });
  for (const k of busiest('o.slug', 'cables c JOIN origins o ON o.id = c.origin_id'))
    out.push({ kind: 'origin', key: k, name: k });
  for (const k of busiest(
    't.name',
    'cables c JOIN cable_tags ct ON ct.cable_id = c.id JOIN tags t ON t.id = ct.tag_id',
  ))
    out.push({ kind: 'tag', key: k, name: k });
  for (const k of busiest('c.classification')) {
    const slug = k
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '');
    out.push({ kind: 'classification', key: slug, name: k });
  }
  return out;
}

async function checkListings(): Promise<number> {
  let checked = 0;
  for (const { kind, key, name } of keys()) {
    for (const sort of ['released', 'created'] as const) {
      for (const dir of ['desc', 'asc'] as const) {
        const expected = bruteForce(kind, name, sort, dir);
        const pageSize = 7;
        const pages = Math.max(1, Math.ceil(expected.length / pageSize));
        // Out of order: the last page first, then from the second, then the first.
        const order = [
          pages,
          ...Array.from({ length: pages - 1 }, (_, i) => i + 2).filter((p) => p !== pages),
          1,
        ];
        const got = new Map<number, string[]>();
        for (const page of order) {
          const l = await reader.listing({ kind, key, sort, dir, page, pageSize });
          assert.equal(l.total, expected.length, `${kind} ${key} total`);
          got.set(
            page,
            l.rows.map((r) => r.id),
          );
        }
        const all = [...got.keys()].sort((a, b) => a - b).flatMap((p) => got.get(p)!);
        assert.deepEqual(all, expected, `${kind} ${key} ${sort} ${dir}`);
        const beyond = await reader.listing({ kind, key, sort, dir, page: pages + 1, pageSize });
        assert.deepEqual(beyond.rows, [], `${kind} ${key}: past the last page`);
        checked++;
      }
    }
  }
  return checked;
}

describe('listing pages from the memoised orders', () => {
  test('every page of every kind and order is the brute-force order, before and after a release', async () => {
    clock = new Date('2024-01-01T00:00:00Z');
    const before = (await reader.counts()).released;
    assert.ok((await checkListings()) >= 30);
    clock = new Date('2031-01-01T00:00:00Z');
    const afterRelease = (await reader.counts()).released;
    assert.ok(afterRelease > before, 'the scheduled third is public after its time');
    assert.ok((await checkListings()) >= 30);
  });
});

describe('cablePage', () => {
  test('is what the separate methods return, for every cable, before and after a release', async () => {
    for (const at of ['2024-01-01T00:00:00Z', '2031-01-01T00:00:00Z']) {
      clock = new Date(at);
      const ids = reader.db.prepare('SELECT canonical_id FROM cables ORDER BY id').pluck().all() as string[];
      let found = 0;
      let cited = 0;
      for (const id of ids) {
        // A small limit exercises the path for cables cited more often than listed.
        for (const limit of [20, 1]) {
          const page = await reader.cablePage(id, limit);
          const cable = await reader.cable(id);
          if (cable.kind !== 'found') {
            assert.deepEqual(page, cable, id);
            continue;
          }
          assert.equal(page.kind, 'found', id);
          if (page.kind !== 'found') continue;
          found++;
          assert.deepEqual(page.cable, cable.cable, id);
          assert.deepEqual(page.references, await reader.references(id), `${id} references`);
          assert.deepEqual(page.citedBy, await reader.citedBy(id, limit), `${id} cited by`);
          assert.deepEqual(page.neighbours, await reader.neighbours(id), `${id} neighbours`);
          if (page.citedBy.total > limit) cited++;
        }
      }
      assert.ok(found > 500, `${found} public cables`);
      assert.ok(cited > 0, 'some cable is cited more often than listed');
    }
  });

  test('an unreleased cable is missing, not found through any path', async () => {
    clock = new Date('2024-01-01T00:00:00Z');
    const hidden = reader.db
      .prepare('SELECT canonical_id FROM cables WHERE released_at IS NULL LIMIT 20')
      .pluck()
      .all() as string[];
    assert.ok(hidden.length > 0);
    for (const id of hidden) assert.deepEqual(await reader.cablePage(id, 20), { kind: 'missing' }, id);
  });
});
