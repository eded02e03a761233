/**
 * The SQLite backend: the store contract suite on archive files, and what only SQLite has — the
 * load's full-text index built beside the writer or rebuilt, the search tables, one connection
 * for store and reader, the journal switch, the read-only open after a killed write, the format.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { openSqliteArchive, type SqliteArchive } from '../../src/store/sqlite/archive.js';
import { alone } from '../../src/store/sqlite/connection.js';
import { projectRoot } from '../fixtures.js';
import { sideProgress, waitUntil } from '../ingest/helpers.js';
import { archiveContract, type WritableArchive } from './contract.js';
import { BODY, batch, cable } from './contract-fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'store-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const dbFile = () => join(dir, `a${n++}.sqlite`);
const remove = (file: string) => {
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`, `${file}-fts-build`])
    rmSync(f, { force: true });
};
const open = (file: string, clock?: () => Date) =>
  openSqliteArchive(file, { create: true, ...(clock ? { clock } : {}) }) as SqliteArchive & WritableArchive;

archiveContract('SQLite', async (clock) => {
  const file = dbFile();
  return {
    archive: open(file, clock),
    reopen: async () => open(file, clock),
    dispose: async () => remove(file),
  };
});

/** Runs `fn` on a new archive file, closed after. */
async function on(fn: (a: SqliteArchive & WritableArchive, file: string) => Promise<void>): Promise<void> {
  const file = dbFile();
  const a = open(file);
  try {
    await fn(a, file);
  } finally {
    await a.close();
  }
}

const stale = (a: SqliteArchive) =>
  a.db.prepare(`SELECT 1 FROM meta WHERE key = 'fts_stale'`).get() !== undefined;
const matches = (a: SqliteArchive, m: string) =>
  a.db.prepare('SELECT rowid FROM cable_fts WHERE cable_fts MATCH ?').pluck().all(m).length;

describe('SQLite loads', () => {
  test('full-text index: row by row, and deferred then rebuilt, answer the same', async () => {
    for (const defer of [false, true]) {
      if (defer) process.env['CABLES_INGEST_DEFER_INDEX'] = '1';
      try {
        await on(async (a) => {
          // Deferred: a first load rebuilds at its end; row by row: writes outside a load.
          const l = defer ? await a.store.beginLoad() : null;
          if (defer) assert.equal(stale(a), true);
          await a.store.writeBatch([cable()], batch());
          await a.store.writeBatch(
            [cable({ body: `${BODY} URANIUM`, at: { source: 'z', row: 1, line: 1, offset: 0 } })],
            batch(),
          );
          if (defer) assert.equal(matches(a, 'uranium'), 0, 'nothing indexed before the rebuild');
          await l?.finish();
          assert.equal(stale(a), false);
          assert.equal(matches(a, 'uranium'), 1);
          assert.equal(matches(a, 'tags:FR'), 1);
          assert.equal(matches(a, 'subject:iran'), 1);
          a.db.exec(`INSERT INTO cable_fts(cable_fts) VALUES('integrity-check')`);
        });
      } finally {
        delete process.env['CABLES_INGEST_DEFER_INDEX'];
      }
    }
  });

  test('background index: a text replaced after the builder indexed it is re-indexed by the merge', async () => {
    // Commit every cable, so the builder's progress is visible while the writer goes on.
    process.env['CABLES_FTS_BUILD_COMMIT_ROWS'] = '1';
    try {
      await on(async (a, file) => {
        const bg = await a.store.beginLoad();
        assert.equal(stale(a), true, 'an empty archive builds its index in the background');
        await a.store.writeBatch(
          [cable(), cable({ canonicalId: '09PARIS2', referenceId: '09PARIS2', body: `${BODY} PLUTONIUM` })],
          batch(),
        );
        await waitUntil(() => sideProgress(file) >= 2, 'the builder indexed 2 cables');
        const edited = cable({
          body: `${BODY} URANIUM`,
          subject: 'FRENCH VIEWS ON URANIUM',
          tags: [{ name: 'ENRG', kind: 'subject' }],
          at: { source: 'b.jsonl', row: 1, line: 1, offset: 0 },
        });
        assert.equal((await a.store.writeBatch([edited], batch())).versionsAdded, 1);
        await bg.finish();
        assert.equal(stale(a), false);
        assert.equal(existsSync(`${file}-fts-build`), false);
        assert.deepEqual(
          ['uranium', 'subject:uranium', 'tags:ENRG', 'tags:PREL', 'plutonium', 'subject:iran'].map((m) =>
            matches(a, m),
          ),
          [1, 1, 1, 1, 1, 1],
        );
        a.db.exec(`INSERT INTO cable_fts(cable_fts) VALUES('integrity-check')`);
        // A second load into the now non-empty archive indexes row by row.
        const second = await a.store.beginLoad();
        assert.equal(stale(a), false);
        await a.store.writeBatch(
          [cable({ canonicalId: '09PARIS3', referenceId: '09PARIS3', body: 'ZZQX' })],
          batch(),
        );
        assert.equal(matches(a, 'zzqx'), 1);
        assert.equal(existsSync(`${file}-fts-build`), false);
        await second.finish();
      });
    } finally {
      delete process.env['CABLES_FTS_BUILD_COMMIT_ROWS'];
    }
  });

  test('a side file left after its merge is deleted on open; a pending build is resumed', async () => {
    const file = dbFile();
    await open(file).close();
    writeFileSync(`${file}-fts-build`, 'stale');
    const t = open(file);
    assert.equal(existsSync(`${file}-fts-build`), false);
    const bg = await t.store.beginLoad();
    await t.store.writeBatch([cable()], batch());
    await bg.stop();
    await t.close();
    const u = open(file);
    try {
      assert.equal(stale(u), true);
      const again = await u.store.beginLoad();
      await again.finish();
      assert.equal(
        u.db.prepare(`SELECT count(*) FROM cable_fts WHERE cable_fts MATCH 'iran'`).pluck().get(),
        1,
      );
      assert.equal(stale(u), false);
    } finally {
      await u.close();
    }
  });
});

describe('SQLite search tables', () => {
  test('signers, recipients and normalised markings are written with each batch, replaced with the text', () =>
    on(async (a) => {
      const para = (marking: string | null) => ({ number: 1, marking, start: 0, end: 5 });
      await a.store.writeBatch(
        [
          cable({ signers: ['CLINTON'], recipients: ['AMEMBASSY PARIS', 'USUN NEW YORK'] }),
          cable({
            canonicalId: '09PARIS2',
            referenceId: '09PARIS2',
            paragraphs: [para('S//NF'), para('s/noforn'), para(null), para('C')],
          }),
        ],
        batch(),
      );
      await a.store.writeBatch(
        [
          cable({
            signers: ['RICE'],
            recipients: ['AMEMBASSY PARIS', 'USUN NEW YORK'],
            body: 'OTHER',
            at: { source: 'b', row: 1, line: 1, offset: 0 },
          }),
        ],
        batch(),
      );
      const people = ['clinton', 'rice', 'rivkin', '"usun new york"', 'recipients:paris', '"paris usun"'].map(
        (m) =>
          a.db
            .prepare('SELECT rowid FROM search_people WHERE search_people MATCH ? ORDER BY rowid')
            .pluck()
            .all(m),
      );
      // Cable 1's text was replaced by RICE's; names never run into each other.
      assert.deepEqual(people, [[], [1], [2], [1], [1], []]);
      assert.deepEqual(
        a.db.prepare('SELECT cable_id, marking FROM search_markings ORDER BY 1, 2').raw().all(),
        [
          [1, 'C'],
          [2, 'C'],
          [2, 'S/NF'],
        ],
      );
    }));

  test('search_titles stays whole: new cables by the writer, new texts by the trigger', () =>
    on(async (a) => {
      await a.store.writeBatch(
        [cable(), cable({ canonicalId: '09PARIS99', referenceId: '09PARIS99', subject: 'ZZQX' })],
        batch(),
      );
      // Throws unless the index holds exactly the cables' subjects and tags.
      a.db.exec(`INSERT INTO search_titles (search_titles) VALUES ('integrity-check')`);
      const hits = (q: string) =>
        a.db.prepare('SELECT rowid FROM search_titles WHERE search_titles MATCH ?').pluck().all(q);
      assert.deepEqual(hits('iran'), [1]);
      assert.deepEqual(hits('zzqx'), [2]);
      assert.deepEqual(hits('prel'), [1, 2]);
      await a.store.writeBatch(
        [
          cable({
            subject: 'NEW WORDS',
            body: `${BODY}\nMORE.`,
            at: { source: 'b.csv', row: 1, line: 1, offset: 0 },
          }),
        ],
        batch(),
      );
      assert.deepEqual(hits('iran'), []);
      assert.deepEqual(hits('words'), [1]);
      a.db.exec(`INSERT INTO search_titles (search_titles) VALUES ('integrity-check')`);
    }));
});

describe('SQLite connections', () => {
  test('store and reader share one connection: its own writes reach the reader at once, SQL ones too', () =>
    on(async (a) => {
      let now = new Date('2024-01-01T00:00:00Z');
      const b = openSqliteArchive(a.file, { clock: () => now });
      try {
        const id = '09PARIS1234';
        await b.store!.writeBatch([cable({ released: '2011-04-06T00:00:00Z' })], batch());
        assert.equal((await b.reader.cable(id)).kind, 'found');
        const key = await b.reader.stateKey();
        b.db.prepare(`UPDATE cables SET released_at = '2030-01-01T00:00:00Z' WHERE canonical_id = ?`).run(id);
        assert.notEqual(await b.reader.stateKey(), key);
        assert.equal((await b.reader.cable(id)).kind, 'missing');
        assert.equal((await b.reader.counts()).released, 0);
        assert.equal((await b.reader.citedBy(id, 10)).total, 0);
        now = new Date('2030-01-01T00:00:01Z');
        assert.equal((await b.reader.cable(id)).kind, 'found');
        assert.equal((await b.reader.counts()).released, 1);
        // And another connection's commits (`a`, the first handle on the file) reach it too.
        const before = await b.reader.stateKey();
        await a.store.writeBatch(
          [cable({ canonicalId: '09PARIS2', referenceId: '09PARIS2', released: '2011-04-06T00:00:00Z' })],
          batch(),
        );
        assert.notEqual(await b.reader.stateKey(), before);
        assert.equal((await b.reader.counts()).released, 2);
      } finally {
        await b.close();
      }
    }));

  test('a read-only archive has no store, and reads what a writer committed', () =>
    on(async (a, file) => {
      const r = openSqliteArchive(file, { readonly: true });
      try {
        assert.equal(r.store, null);
        assert.equal((await r.reports.stats()).cables, 0);
        await a.store.writeBatch([cable({ released: '2011-04-06T00:00:00Z' })], batch());
        assert.equal((await r.reports.stats()).cables, 1);
        assert.equal((await r.reader.counts()).released, 1);
      } finally {
        await r.close();
      }
    }));

  test('the journal switch: a rollback journal for a step alone, the WAL while another connection reads', () =>
    on(async (a, file) => {
      const mode = () => a.db.pragma('journal_mode', { simple: true });
      // The switch waits for the other connection as long as this; not the test's point.
      a.db.pragma('busy_timeout = 100');
      let during = '';
      alone(a.db, () => {
        during = String(mode());
      });
      assert.deepEqual([during, mode()], ['delete', 'wal']);
      const other = new Database(file, { readonly: true });
      try {
        other.prepare('SELECT count(*) FROM cables').get();
        alone(a.db, () => {
          during = String(mode());
        });
        assert.deepEqual([during, mode()], ['wal', 'wal']);
      } finally {
        other.close();
      }
    }));

  test('a read-only open first rolls back a write killed while the archive had a rollback journal', async () => {
    const file = dbFile();
    await open(file).close();
    // A writer in rollback-journal mode (as `alone` leaves the WAL for a bulk step) whose
    // transaction outgrows its page cache, so pages reach the file, and which is killed before it
    // commits: the journal left beside the archive is hot.
    const writer = `
      import Database from 'better-sqlite3';
      const db = new Database(${JSON.stringify(file)});
      db.pragma('journal_mode = DELETE');
      db.pragma('cache_size = 10');
      db.exec('BEGIN');
      const ins = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
      for (let i = 0; i < 2000; i++) ins.run('k' + i, 'x'.repeat(2000));
      process.kill(process.pid, 'SIGKILL');
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', writer], {
      cwd: projectRoot,
      encoding: 'utf8',
    });
    assert.equal(r.signal, 'SIGKILL', r.stderr);
    assert.ok(existsSync(`${file}-journal`), 'the killed write left its journal');
    const archive = openSqliteArchive(file, { readonly: true });
    try {
      assert.equal((await archive.reports.stats()).cables, 0);
      assert.equal(archive.db.prepare(`SELECT count(*) FROM meta WHERE key LIKE 'k%'`).pluck().get(), 0);
    } finally {
      await archive.close();
    }
    assert.equal(existsSync(`${file}-journal`), false, 'the journal was rolled back');
  });
});

describe('SQLite archive format', () => {
  test('an archive of a development build is refused, saying how to move it over', async () => {
    const file = dbFile();
    const db = new Database(file);
    db.exec(`CREATE TABLE cables (id INTEGER PRIMARY KEY); PRAGMA user_version = 8;`);
    db.close();
    for (const readonly of [false, true])
      assert.throws(
        () => openSqliteArchive(file, { readonly }),
        (e: Error) =>
          e.message.includes(file) &&
          /development build \(schema 8\)/.test(e.message) &&
          /export-data/.test(e.message) &&
          /ingest .*--format archive-csv/.test(e.message),
      );
  });

  test('a missing file, an empty database and another SQLite file are not archives', () => {
    const missing = join(dir, 'missing.sqlite');
    assert.throws(() => openSqliteArchive(missing), /no such archive/);
    assert.throws(() => openSqliteArchive(missing, { readonly: true }), /no such archive/);
    assert.equal(existsSync(missing), false);
    const empty = dbFile();
    new Database(empty).close();
    assert.throws(() => openSqliteArchive(empty, { readonly: true }), /empty database/);
    const other = dbFile();
    const db = new Database(other);
    db.exec('CREATE TABLE t (x)');
    db.close();
    assert.throws(() => openSqliteArchive(other, { create: true }), /not a cables archive/);
  });

  test('a new archive is created whole, once', async () => {
    const file = dbFile();
    const a = open(file);
    const schema = () => a.db.prepare('SELECT type, name, sql FROM sqlite_schema ORDER BY name').all();
    const first = schema();
    await a.close();
    const b = open(file);
    try {
      assert.deepEqual(b.db.prepare('SELECT type, name, sql FROM sqlite_schema ORDER BY name').all(), first);
      assert.deepEqual(b.db.prepare('SELECT k, v FROM cable_fts_config ORDER BY k').raw().all(), [
        ['automerge', 8],
        ['crisismerge', 32],
        ['hashsize', 134217728],
        ['pgsz', 4000],
        ['version', 4],
      ]);
    } finally {
      await b.close();
    }
  });
});
