/**
 * The node:http front of `cables serve`: it answers repeated requests from its response cache
 * under the archive state it last read, and must notice a writer's commit (here a release) soon
 * after, without ever showing an embargoed cable.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startServer } from '../serve-child.js';
import { ingestInto, tempDir } from '../web/archive.js';

const cable = (id: string, serial: string, released: string | null) => ({
  id,
  created: '2009-12-13 22:03',
  released,
  classification: 'UNCLASSIFIED',
  origin: 'Embassy Testpost',
  header: 'O 132203Z DEC 09\nFM AMEMBASSY TESTPOST\nTO SECSTATE WASHDC\n',
  body: `UNCLASSIFIED TESTPOST ${serial}\n\nTAGS: PGOV\nSUBJECT: CABLE ${serial} SUBJECT\n\n1. (U) Text of ${serial}.\n`,
});

async function ingest(db: string, file: string, records: object[]): Promise<void> {
  writeFileSync(file, records.map((r) => JSON.stringify(r)).join('\n'));
  await ingestInto(db, [file], { now: () => '2024-01-01T00:00:00.000Z' });
}

describe('cables serve: the cached front and the archive state', () => {
  const { dir, cleanup } = tempDir('cables-serve-');
  const db = join(dir, 'a.sqlite');
  let child: ChildProcess | undefined;
  let base = '';

  before(async () => {
    await ingest(db, join(dir, 'one.jsonl'), [
      cable('09TESTPOST001', '000001', '2010-11-28 10:00'),
      cable('09TESTPOST002', '000002', null),
    ]);
    ({ child, base } = await startServer(db));
  });

  after(() => {
    child?.kill('SIGTERM');
    cleanup();
  });

  const counter = async () => {
    const html = await (await fetch(`${base}/`)).text();
    return /released so far… <strong>([\d,]+)<\/strong> \/\s*<strong>([\d,]+)<\/strong>/
      .exec(html)
      ?.slice(1, 3);
  };

  it('answers from the cache, and shows a release committed by another process soon after', async () => {
    const hidden = `${base}/cable/2009/12/09TESTPOST2.html`;
    // Twice each: the second answers come from the front's cache.
    for (let i = 0; i < 2; i++) {
      assert.deepEqual(await counter(), ['1', '2']);
      const r = await fetch(hidden);
      assert.equal(r.status, 404);
      assert.ok(!(await r.text()).includes('Text of 000002'));
    }
    await ingest(db, join(dir, 'two.jsonl'), [cable('09TESTPOST002', '000002', '2010-12-01 10:00')]);
    const t0 = Date.now();
    let seen: string[] | undefined;
    while (Date.now() - t0 < 5_000) {
      seen = await counter();
      if (seen?.[0] === '2') break;
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.deepEqual(seen, ['2', '2'], 'the counter shows the release');
    const r = await fetch(hidden);
    assert.equal(r.status, 200);
    assert.ok((await r.text()).includes('Text of 000002'));
  });
});
