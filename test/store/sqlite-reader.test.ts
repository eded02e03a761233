import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ingestFiles } from '../../src/ingest/pipeline.js';
import { SqliteReader } from '../../src/store/sqlite/sqlite-reader.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { fixture } from '../fixtures.js';
import { now, tempDir } from '../web/archive.js';

const tmp = tempDir('reader-test-');
const db = join(tmp.dir, 'dev.sqlite');
let store: SqliteStore;
let clock = new Date('2024-01-01T00:00:00Z');
let reader: SqliteReader;

before(async () => {
  store = new SqliteStore(db);
  await ingestFiles(store, [fixture('corpus', 'cables.dev.jsonl.gz')], { now });
  reader = new SqliteReader(db, { clock: () => clock });
});
after(async () => {
  await reader.close();
  await store.close();
  tmp.cleanup();
});

test('counts, calendars and indexes agree with each other', async () => {
  const c = await reader.counts();
  assert.equal(c.total, 2540);
  assert.equal(c.released, 2540);
  const sum = (xs: { count: number }[]) => xs.reduce((a, x) => a + x.count, 0);
  assert.equal(sum(await reader.releaseCalendar()), c.released);
  assert.equal(sum(await reader.origins()), c.released);
  assert.equal(sum(await reader.classifications()), c.released);
  const tag = await reader.tag('PGOV');
  assert.equal(tag?.count, (await reader.tags()).find((t) => t.name === 'PGOV')?.count);
});

test('listings sort both ways by created and released, and page', async () => {
  for (const sort of ['created', 'released'] as const) {
    for (const dir of ['asc', 'desc'] as const) {
      const l = await reader.listing({ kind: 'tag', key: 'PGOV', sort, dir, page: 2, pageSize: 50 });
      assert.equal(l.rows.length, 50);
      const vals = l.rows.map((r) => (sort === 'created' ? r.created : r.released) ?? '');
      const sorted = [...vals].sort();
      assert.deepEqual(vals, dir === 'asc' ? sorted : sorted.reverse());
    }
  }
});

test('an embargo set by a writer is seen at once, and lifted when its time passes', async () => {
  const id = '96ANKARA12278';
  assert.equal((await reader.cable(id)).kind, 'found');
  const before = (await reader.counts()).released;
  store.db.prepare(`UPDATE cables SET released_at = '2030-01-01T00:00:00Z' WHERE canonical_id = ?`).run(id);
  assert.equal((await reader.cable(id)).kind, 'missing');
  assert.equal((await reader.counts()).released, before - 1);
  const cited = await reader.citedBy(id, 10);
  assert.equal(cited.total, 0);
  clock = new Date('2030-01-01T00:00:01Z');
  assert.equal((await reader.cable(id)).kind, 'found');
  assert.equal((await reader.counts()).released, before);
  clock = new Date('2024-01-01T00:00:00Z');
  store.db.prepare(`UPDATE cables SET released_at = '2011-04-06T00:00:00Z' WHERE canonical_id = ?`).run(id);
});

test('an alias redirects; previous and next share the origin', async () => {
  const alias = store.db
    .prepare(
      `SELECT a.alias, c.canonical_id FROM aliases a JOIN cables c ON c.id = a.cable_id WHERE a.alias <> c.canonical_id LIMIT 1`,
    )
    .get() as { alias: string; canonical_id: string };
  const r = await reader.cable(alias.alias);
  assert.equal(r.kind, 'redirect');
  assert.equal(r.kind === 'redirect' && r.id, alias.canonical_id);
  const n = await reader.neighbours('09STATE127434');
  const self = await reader.cable('09STATE127434');
  if (self.kind === 'found') {
    for (const x of [n.previous, n.next]) if (x) assert.equal(x.origin, self.cable.origin);
  }
});

test('tag listings and counts match a plain query, common and rare tags, with embargoed cables', async () => {
  const saved = store.db.prepare('SELECT id, released_at FROM cables').all() as {
    id: number;
    released_at: string;
  }[];
  const expected = (tag: string, col: string, dir: string) =>
    store.db
      .prepare(
        `SELECT c.canonical_id FROM cables c WHERE c.id IN (SELECT ct.cable_id FROM cable_tags ct JOIN tags t
           ON t.id = ct.tag_id WHERE t.name = ?) AND c.released_at IS NOT NULL AND c.released_at <= ?
         ORDER BY c.${col} ${dir}, c.id ${dir}`,
      )
      .pluck()
      .all(tag, clock.toISOString()) as string[];
  const rare = store.db
    .prepare(
      `SELECT t.name FROM cable_tags ct JOIN tags t ON t.id = ct.tag_id GROUP BY t.id HAVING count(*) BETWEEN 3 AND 10 LIMIT 1`,
    )
    .pluck()
    .get() as string;
  // Few embargoed (counted by subtraction), then most (counted directly): both must agree.
  for (const modulus of [7, 1]) {
    store.db
      .prepare(`UPDATE cables SET released_at = '2030-01-01T00:00:00Z' WHERE id % ${modulus + 1} = 0`)
      .run();
    for (const tag of ['PGOV', rare]) {
      for (const [sort, col] of [
        ['created', 'created'],
        ['released', 'released_at'],
      ] as const) {
        for (const dir of ['asc', 'desc'] as const) {
          const want = expected(tag, col, dir);
          const got: string[] = [];
          for (let page = 1; ; page++) {
            const l = await reader.listing({ kind: 'tag', key: tag, sort, dir, page, pageSize: 50 });
            assert.equal(l.total, want.length, `${tag} total`);
            got.push(...l.rows.map((r) => r.id));
            if (l.rows.length < 50) break;
          }
          assert.deepEqual(got, want, `${tag} by ${sort} ${dir}`);
        }
      }
      assert.equal((await reader.tag(tag))?.count, expected(tag, 'id', 'asc').length || undefined);
      assert.deepEqual(
        (await reader.latest(5, { tag })).map((r) => r.id),
        expected(tag, 'released_at', 'desc').slice(0, 5),
      );
    }
  }
  const restore = store.db.prepare('UPDATE cables SET released_at = ? WHERE id = ?');
  store.db.transaction(() => {
    for (const r of saved) restore.run(r.released_at, r.id);
  })();
});

test('every listing kind pages through the same cables as a plain query, both sorts and directions', async () => {
  const one = (sql: string) => store.db.prepare(sql).pluck().get() as string;
  const cases = [
    {
      kind: 'origin' as const,
      key: one(
        'SELECT o.slug FROM cables c JOIN origins o ON o.id = c.origin_id GROUP BY o.id ORDER BY count(*) DESC',
      ),
      where: 'c.origin_id = (SELECT id FROM origins WHERE slug = @key)',
    },
    {
      kind: 'date' as const,
      key: one('SELECT substr(created, 1, 7) FROM cables GROUP BY 1 ORDER BY count(*) DESC'),
      where: 'substr(c.created, 1, 7) = @key',
    },
    {
      kind: 'reldate' as const,
      key: one('SELECT substr(released_at, 1, 10) FROM cables GROUP BY 1 ORDER BY count(*) DESC'),
      where: 'substr(c.released_at, 1, 10) = @key',
    },
  ];
  for (const c of cases) {
    for (const [sort, col] of [
      ['created', 'created'],
      ['released', 'released_at'],
    ] as const) {
      for (const dir of ['asc', 'desc'] as const) {
        const want = store.db
          .prepare(
            `SELECT c.canonical_id FROM cables c WHERE ${c.where} ORDER BY c.${col} ${dir}, c.id ${dir}`,
          )
          .pluck()
          .all({ key: c.key }) as string[];
        const got: string[] = [];
        for (let page = 1; ; page++) {
          const l = await reader.listing({ kind: c.kind, key: c.key, sort, dir, page, pageSize: 20 });
          assert.equal(l.total, want.length);
          got.push(...l.rows.map((r) => r.id));
          if (l.rows.length < 20) break;
        }
        assert.deepEqual(got, want, `${c.kind} ${c.key} by ${sort} ${dir}`);
      }
    }
  }
});
