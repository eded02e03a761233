import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { ingestFiles } from '../../src/ingest/pipeline.js';
import { canonicalizeId } from '../../src/parse/ids.js';
import { openSqliteArchive, type SqliteArchive } from '../../src/store/sqlite/archive.js';
import type { ArchiveStore } from '../../src/store/types.js';
import { fixture, projectRoot } from '../fixtures.js';
import {
  assertSameArchive,
  buildPending,
  CLI,
  cli,
  countRows,
  deferredIndexes,
  freshSchema,
  schemaOf,
  sideProgress,
  waitForRows,
  waitUntil,
} from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'ingest-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const now = () => '2024-01-01T00:00:00.000Z';

function makeCorpus(out: string, count: number, faults = 0, seed?: number): string {
  const r = spawnSync(
    'python3',
    [
      fixture('tools', 'make-corpus'),
      '--out',
      out,
      '--count',
      String(count),
      '--inject-faults',
      String(faults),
      ...(seed === undefined ? [] : ['--seed', String(seed)]),
    ],
    { encoding: 'utf8' },
  );
  assert.equal(r.status, 0, r.stderr);
  return r.stderr;
}

const devIds = () =>
  new Set(
    gunzipSync(readFileSync(fixture('corpus', 'cables.dev.jsonl.gz')))
      .toString('utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => (JSON.parse(l) as { id: string }).id),
  );

describe('ingest of the real dev cables (JSON lines)', () => {
  const db = join(dir, 'dev.sqlite');
  let archive: SqliteArchive;
  let store: ArchiveStore;
  before(() => {
    archive = openSqliteArchive(db, { create: true });
    store = archive.store!;
  });
  after(() => archive.close());

  test('every dev cable is taken, released as its page says, and searchable', async () => {
    const settings = () =>
      ['temp_store', 'threads', 'cache_size'].map((p) => archive.db.pragma(p, { simple: true }));
    const settingsBefore = settings();
    const s = await ingestFiles(store, [fixture('corpus', 'cables.dev.jsonl.gz')], { now });
    // A first load: it built the indexes it deferred, and gave the connection its settings back
    // (the index build sorts with its own).
    assert.deepEqual(schemaOf(archive.db), freshSchema());
    assert.deepEqual(settings(), settingsBefore);
    assert.equal(s.rejected, 0, JSON.stringify(s.rejects.slice(0, 5)));
    // Two pages may share a canonical ID (`09SECTION02OF03QRIPOLI583` and `09TRIPOLI583`): one cable, two versions.
    const ids = devIds();
    const canonical = new Set([...ids].map(canonicalizeId));
    assert.equal(s.inserted, canonical.size);
    assert.equal(s.inserted + s.versionsAdded, 2541);
    const st = await store.stats();
    assert.equal(st.cables, canonical.size);
    assert.equal(st.released, canonical.size);
    assert.equal(st.embargoed, 0);
    assert.equal(st.versions, 2541);
    assert.ok(st.origins > 100, `origins ${st.origins}`);
    assert.ok(st.tags > 300, `tags ${st.tags}`);
    assert.ok(st.references.resolved > 0 && st.references.dangling > st.references.resolved);
    assert.equal(
      Object.values(st.byClassification).reduce((a, b) => a + b, 0),
      canonical.size,
    );
    const aliases = archive.db.prepare('SELECT alias FROM aliases').pluck().all() as string[];
    for (const id of ids) assert.ok(aliases.includes(id), `alias ${id}`);
    const hits = archive.db
      .prepare(`SELECT count(*) FROM cable_fts WHERE cable_fts MATCH 'tags:PREL'`)
      .pluck()
      .get();
    assert.ok(Number(hits) > 100);
    assert.equal(buildPending(db), false);
  });

  test('re-ingesting the same file changes nothing', async () => {
    const digest = await store.contentDigest();
    const s = await ingestFiles(store, [fixture('corpus', 'cables.dev.jsonl.gz')], {
      now: () => '2030-01-01T00:00:00Z',
    });
    assert.deepEqual([s.inserted, s.versionsAdded, s.unchanged, s.rejected], [0, 0, 2541, 0]);
    assert.equal(s.rows, 2541);
    assert.equal(await store.contentDigest(), digest);
  });

  test('earlier published variants become versions; the final text stays current', async () => {
    const before = new Map(
      (
        archive.db.prepare('SELECT canonical_id, version_id FROM cables').all() as {
          canonical_id: string;
          version_id: number;
        }[]
      ).map((r) => [r.canonical_id, r.version_id]),
    );
    const s = await ingestFiles(store, [fixture('corpus', 'versions.dev.jsonl')], { now });
    assert.equal(s.rejected, 0, JSON.stringify(s.rejects.slice(0, 5)));
    assert.equal(s.inserted, 0);
    assert.equal(s.versionsAdded + s.unchanged, 73);
    assert.ok(s.versionsAdded >= 60, `versions added ${s.versionsAdded}`);
    const st = await store.stats();
    assert.equal(st.versions, 2541 + s.versionsAdded);
    for (const r of archive.db.prepare('SELECT canonical_id, version_id FROM cables').all() as {
      canonical_id: string;
      version_id: number;
    }[]) {
      assert.equal(r.version_id, before.get(r.canonical_id));
    }
    const again = await ingestFiles(store, [fixture('corpus', 'versions.dev.jsonl')], { now });
    assert.equal(again.versionsAdded, 0);
  });
});

describe('export-data', () => {
  const db = join(dir, 'export-src.sqlite');
  before(() => {
    assert.equal(cli(['ingest', fixture('corpus', 'cables.dev.jsonl.gz'), '--db', db]).code, 0);
    // cables.csv carries no release dates: these arrive embargoed; the second file's are scheduled
    // for a release time still ahead, which is not public either.
    const embargoedCsv = join(dir, 'export-embargoed.csv');
    makeCorpus(embargoedCsv, 30);
    assert.equal(cli(['ingest', embargoedCsv, '--db', db]).code, 0);
    const scheduledCsv = join(dir, 'export-scheduled.csv');
    makeCorpus(scheduledCsv, 30, 0, 7);
    assert.equal(cli(['ingest', scheduledCsv, '--db', db, '--released-at', '2999-01-01']).code, 0);
  });

  test('the CSV export re-imports losslessly; --released-only leaves out the embargoed cables', () => {
    const csv = join(dir, 'export.csv');
    const exp = spawnSync(process.execPath, [...CLI, 'export-data', '--db', db, '--format', 'csv'], {
      cwd: projectRoot,
      maxBuffer: 1 << 30,
    });
    assert.equal(exp.status, 0, String(exp.stderr));
    writeFileSync(csv, exp.stdout);
    const db2 = join(dir, 'export-dst.sqlite');
    const r = cli(['ingest', csv, '--db', db2, '--format', 'archive-csv', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const exported = (file: string, ...flags: string[]) =>
      cli(['export-data', '--db', file, ...flags])
        .stdout.trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { releasedAt: string | null; versions: unknown });
    // The versions' ingest times differ between the two archives; all else must be equal.
    const withoutVersions = (file: string) => exported(file).map(({ versions: _, ...rest }) => rest);
    const all = withoutVersions(db2);
    assert.deepEqual(all, withoutVersions(db));
    const stats = JSON.parse(cli(['stats', '--db', db2, '--json']).stdout) as {
      released: number;
      embargoed: number;
      scheduled: number;
    };
    assert.ok(stats.released > 0 && stats.scheduled > 0 && stats.embargoed > stats.scheduled);
    const released = exported(db2, '--released-only');
    assert.equal(released.length, stats.released);
    assert.equal(all.length, stats.released + stats.embargoed);
    const now = new Date().toISOString();
    assert.ok(released.every((c) => c.releasedAt !== null && c.releasedAt <= now));
  });

  test('a reader that stops early (`| head`) ends the export quietly', async () => {
    const child = spawn(process.execPath, [...CLI, 'export-data', '--db', db], { cwd: projectRoot });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    // Read the first chunk, then close the pipe as `head` does.
    await new Promise((res) => child.stdout.once('data', res));
    child.stdout.destroy();
    const code = await new Promise((res) => child.on('close', res));
    assert.equal(stderr, '');
    assert.equal(code, 0);
  });
});

describe('cables.csv with faults, through the CLI', () => {
  const csv = join(dir, 'faults.csv');
  let faultLog = '';
  before(() => {
    faultLog = makeCorpus(csv, 400, 8);
  });

  test('each bad row is rejected with its row and reason; every other row is kept; exit 3', () => {
    const db = join(dir, 'faults.sqlite');
    const r = cli(['ingest', csv, '--db', db, '--json']);
    assert.equal(r.code, 3, r.stderr);
    const summary = JSON.parse(r.stdout.trim()) as {
      inserted: number;
      rejected: number;
      rejects: { row: number; reason: string }[];
    };
    const faults = [...faultLog.matchAll(/fault row=(\d+) kind=(\S+)/g)].map((m) => ({
      row: Number(m[1]),
      kind: m[2]!,
    }));
    assert.equal(faults.length, 8);
    const reasons = new Map(summary.rejects.map((x) => [x.row, x.reason]));
    const expect: Record<string, RegExp> = {
      'unterminated-quote': /quote/i,
      'seven-fields': /7 fields/,
      'invalid-date': /invalid date/,
      'empty-refid': /empty reference ID/,
      'duplicate-refid': /duplicate reference ID/,
      'nul-byte': /NUL/,
      'invalid-utf8': /UTF-8/,
      'huge-body': /oversized/,
    };
    for (const f of faults)
      assert.match(reasons.get(f.row) ?? `no reject for row ${f.row}`, expect[f.kind]!, f.kind);
    assert.equal(summary.rejected, 8);
    assert.equal(summary.inserted, 400 - 8);
    const stats = JSON.parse(cli(['stats', '--db', db, '--json']).stdout) as Record<string, number>;
    assert.equal(stats['cables'], 392);
    assert.equal(stats['embargoed'], 392);
    assert.equal(stats['rejected'], 8);
    const listed = cli(['rejects', '--db', db, '--json'])
      .stdout.trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { source: string; row: number; reason: string; raw: string });
    assert.equal(listed.length, 8);
    for (const x of listed) assert.ok(x.raw.length > 0 && x.source.endsWith('faults.csv'));
    // --released-at releases what the CSV could not.
    const rel = cli(['ingest', csv, '--db', db, '--released-at', '2011-09-01', '--json']);
    assert.equal(rel.code, 3);
    const after = JSON.parse(cli(['stats', '--db', db, '--json']).stdout) as Record<string, number>;
    assert.deepEqual([after['released'], after['rejected']], [392, 8]);
  });
});

describe('crash safety', () => {
  const csv = join(dir, 'kill.csv');
  before(() => makeCorpus(csv, 3000, 8));

  test('kill -9 mid-ingest, then the same command again, ends exactly as a clean run', async () => {
    const clean = join(dir, 'clean.sqlite');
    const env = { CABLES_INGEST_BATCH_ROWS: '50' };
    assert.equal(cli(['ingest', csv, '--db', clean, '--released-at', '2012-01-01'], env).code, 3);

    const killed = join(dir, 'killed.sqlite');
    for (const waitRows of [400, 1500]) {
      const child = spawn(
        process.execPath,
        [...CLI, 'ingest', csv, '--db', killed, '--released-at', '2012-01-01'],
        { cwd: projectRoot, env: { ...process.env, ...env }, stdio: 'ignore' },
      );
      const exited = new Promise((res) => child.on('exit', res));
      await waitForRows(killed, waitRows);
      child.kill('SIGKILL');
      await exited;
    }
    const rows = countRows(killed);
    assert.ok(rows > 0 && rows < 3000, `killed run had committed ${rows} cables`);
    // A first load: its secondary indexes wait for the end, and the archive says which.
    const waiting = deferredIndexes(killed);
    assert.ok(
      waiting.some((sql) => /search_cables_by_created/.test(sql)),
      JSON.stringify(waiting),
    );
    const resumed = cli(['ingest', csv, '--db', killed, '--released-at', '2012-01-01', '--json'], env);
    assert.equal(resumed.code, 3, resumed.stderr);
    assert.ok(
      (JSON.parse(resumed.stdout) as { sources: { resumedFrom: unknown }[] }).sources[0]?.resumedFrom,
    );

    await assertSameArchive(clean, killed);
  });

  test('kill -9 while the background index builds, and again while it catches up after the load', async () => {
    const clean = join(dir, 'clean.sqlite');
    const total = countRows(clean);
    const killed = join(dir, 'killed-index.sqlite');
    const args = [...CLI, 'ingest', csv, '--db', killed, '--released-at', '2012-01-01'];
    // A builder that commits often and reads slowly, so that both moments are wide enough to hit.
    const env = {
      CABLES_INGEST_BATCH_ROWS: '50',
      CABLES_FTS_BUILD_COMMIT_ROWS: '50',
      CABLES_FTS_BUILD_THROTTLE_MS: '400',
    };
    const moments: [string, () => boolean][] = [
      [
        'the builder has committed, the writer is mid-way',
        () => sideProgress(killed) > 0 && countRows(killed) < total,
      ],
      [
        'every cable is stored, the index is still building',
        () => countRows(killed) === total && buildPending(killed) && sideProgress(killed) < total,
      ],
    ];
    for (const [what, when] of moments) {
      const child = spawn(process.execPath, args, {
        cwd: projectRoot,
        env: { ...process.env, ...env },
        stdio: 'ignore',
      });
      const exited = new Promise((res) => child.on('exit', res));
      await waitUntil(when, what);
      child.kill('SIGKILL');
      await exited;
      assert.ok(buildPending(killed), `killed when ${what}, yet the build was done`);
    }
    const resumed = cli([...args.slice(3), '--json'], { CABLES_INGEST_BATCH_ROWS: '50' });
    assert.equal(resumed.code, 3, resumed.stderr);
    assert.equal(buildPending(killed), false);
    assert.equal(existsSync(`${killed}-fts-build`), false);
    await assertSameArchive(clean, killed);
  });

  test('kill -9 inside the index merge, which runs with a rollback journal, then resume', async () => {
    const clean = join(dir, 'clean.sqlite');
    const killed = join(dir, 'killed-merge.sqlite');
    const args = [...CLI, 'ingest', csv, '--db', killed, '--released-at', '2012-01-01'];
    const child = spawn(process.execPath, args, {
      cwd: projectRoot,
      env: { ...process.env, CABLES_INGEST_BATCH_ROWS: '500', CABLES_FTS_MERGE_PAUSE_MS: '60000' },
      stdio: 'ignore',
    });
    const exited = new Promise((res) => child.on('exit', res));
    // Nothing else has the archive open (the wait reads only the side file), so the merge leaves
    // the WAL for a rollback journal: the journal file is there while its transaction is open.
    // (A new archive has a journal for a moment too, before it turns to WAL: hence the side file.)
    const total = countRows(clean);
    await waitUntil(
      () => sideProgress(killed) === total && existsSync(`${killed}-journal`),
      'the merge started with a rollback journal',
    );
    child.kill('SIGKILL');
    await exited;
    assert.ok(existsSync(`${killed}-journal`), 'the killed merge left its (hot) journal');
    // A read-only command meanwhile (export-data opens the archive so) sees the archive as it was.
    const reader = openSqliteArchive(killed, { readonly: true });
    try {
      assert.equal((await reader.reports.stats()).cables, countRows(clean));
    } finally {
      await reader.close();
    }
    const resumed = cli([...args.slice(3), '--json']);
    assert.equal(resumed.code, 3, resumed.stderr);
    assert.equal(existsSync(`${killed}-journal`), false);
    assert.equal(buildPending(killed), false);
    assert.equal(journalMode(killed), 'wal', 'the archive is back in WAL mode');
    await assertSameArchive(clean, killed);
  });

  test('a reader open through the end of a first load keeps the archive in WAL mode', async () => {
    const clean = join(dir, 'clean.sqlite');
    const db = join(dir, 'with-reader.sqlite');
    await openSqliteArchive(db, { create: true }).close();
    // A connection from another process, as the site's during a first load: the ingest's steps
    // after the load cannot leave WAL mode, and take the WAL path.
    const reader = new Database(db, { readonly: true });
    try {
      assert.equal(reader.prepare('SELECT count(*) FROM cables').pluck().get(), 0);
      const r = cli(['ingest', csv, '--db', db, '--released-at', '2012-01-01']);
      assert.equal(r.code, 3, r.stderr);
      assert.equal(reader.prepare('SELECT count(*) FROM cables').pluck().get(), countRows(clean));
    } finally {
      reader.close();
    }
    assert.equal(journalMode(db), 'wal');
    assert.equal(buildPending(db), false);
    await assertSameArchive(clean, db);
  });
});

function journalMode(db: string): string {
  const conn = new Database(db, { readonly: true, fileMustExist: true });
  try {
    return conn.pragma('journal_mode', { simple: true }) as string;
  } finally {
    conn.close();
  }
}
