import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fixture, projectRoot } from '../fixtures.js';
import { ingestInto } from '../web/archive.js';
import { assertSameArchive, CLI, cli, countRows, waitForRows } from './helpers.js';

/**
 * The parallel ingest (a reader thread handing raw batches to parser threads, the writer committing
 * them in source order) must end exactly like the single reader-parser thread, also after kill -9.
 * Small batches make many batches overtake each other between the parser threads.
 */
const dir = mkdtempSync(join(tmpdir(), 'ingest-parallel-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const csv = join(dir, 'corpus.csv');
const now = () => '2024-01-01T00:00:00.000Z';

describe('parallel ingest', () => {
  const single = join(dir, 'single.sqlite');
  before(async () => {
    const r = spawnSync(
      'python3',
      [fixture('tools', 'make-corpus'), '--out', csv, '--count', '1500', '--inject-faults', '6'],
      { encoding: 'utf8' },
    );
    assert.equal(r.status, 0, r.stderr);
    await ingestInto(single, [csv], { parseWorkers: 0, batchRows: 50, releasedAt: null, now });
  });

  test('two parser threads give the same archive as one', async () => {
    const db = join(dir, 'two.sqlite');
    const s = await ingestInto(db, [csv], { parseWorkers: 2, batchRows: 37, releasedAt: null, now });
    assert.equal(s.rows, 1500);
    assert.equal(s.rejected, 6);
    await assertSameArchive(single, db);
  });

  test('kill -9 of a parallel ingest, then the same command again, ends as a clean run', async () => {
    const env = { CABLES_INGEST_BATCH_ROWS: '40', CABLES_INGEST_PARSE_WORKERS: '2' };
    const clean = join(dir, 'clean.sqlite');
    assert.equal(cli(['ingest', csv, '--db', clean], env).code, 3);
    const killed = join(dir, 'killed.sqlite');
    const child = spawn(process.execPath, [...CLI, 'ingest', csv, '--db', killed], {
      cwd: projectRoot,
      env: { ...process.env, ...env },
      stdio: 'ignore',
    });
    const exited = new Promise((res) => child.on('exit', res));
    await waitForRows(killed, 500);
    child.kill('SIGKILL');
    await exited;
    const rows = countRows(killed);
    assert.ok(rows > 0 && rows < 1500, `killed run had committed ${rows} cables`);
    const resumed = cli(['ingest', csv, '--db', killed, '--json'], env);
    assert.equal(resumed.code, 3, resumed.stderr);
    await assertSameArchive(clean, killed);
  });
});
