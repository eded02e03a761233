import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { readCablesCsv } from '../../src/source/csv.js';
import { readJsonLines } from '../../src/source/jsonl.js';
import type { SourceItem, SourceOptions, SourceRecord, SourceReject } from '../../src/source/types.js';
import { fixture } from '../fixtures.js';
import { FAULT_REASON, makeCorpus } from './corpus.js';

async function readAll(path: string, opts: SourceOptions = {}): Promise<SourceItem[]> {
  const out: SourceItem[] = [];
  for await (const it of readJsonLines(path, opts)) out.push(it);
  return out;
}

const records = (items: SourceItem[]): SourceRecord[] =>
  items.filter((i): i is SourceRecord => i.kind === 'record');
const rejects = (items: SourceItem[]): SourceReject[] =>
  items.filter((i): i is SourceReject => i.kind === 'reject');

function tmpFile(name: string, content: string | Buffer): string {
  const p = join(mkdtempSync(join(tmpdir(), 'jsonl-test-')), name);
  writeFileSync(p, content);
  return p;
}

describe('JSON lines reader', () => {
  it('reads all 2,541 dev cables from the gzip file, restoring the 2010-layout created minute', async () => {
    const items = await readAll(fixture('corpus', 'cables.dev.jsonl.gz'));
    assert.equal(rejects(items).length, 0);
    const recs = records(items);
    assert.equal(recs.length, 2541);
    const byId = new Map(recs.map((r) => [r.referenceId, r]));
    // cables.csv has 12/28/1966 18:48 for this cable; the page shows 18:06 (the 12-hour hour).
    const ba = byId.get('66BUENOSAIRES2481')!;
    assert.equal(ba.createdAsShown, '1966-12-28 18:06');
    assert.equal(ba.created, '1966-12-28T18:48:00Z');
    assert.equal(ba.extra['createdMinute'], 'dtg');
    assert.equal(ba.extra['createdDtg'], '281848Z DEC 66');
    assert.equal(ba.extra['layout'], '2010');
    assert.equal(ba.extra['body_html'], undefined);
    // A partial extract has no DTG: the minute is unknown and set to :00.
    const partial = recs.find((r) => r.extra['createdDtg'] === null)!;
    assert.equal(partial.extra['createdMinute'], 'hour');
    assert.match(partial.created!, /:00:00Z$/);
    for (const r of recs) {
      assert.match(r.created!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:00Z$/);
      assert.match(r.released!, /^\d{4}-\d\d-\d\dT\d\d:00:00Z$/);
      assert.equal(
        r.released!.slice(0, 13),
        r.extra['releasedAsShown'] === undefined
          ? ''
          : (r.extra['releasedAsShown'] as string).replace(' ', 'T').slice(0, 13),
      );
    }
    // Lines and offsets point at the record's line in the decompressed stream.
    assert.deepEqual([recs[1]!.at.line, recs[1]!.at.offset], [2, recs[0]!.at.endOffset]);
  });

  it('agrees with cables.csv on the created time of the sample cable', async () => {
    const csv = [];
    for await (const it of readCablesCsv(fixture('corpus', 'cables.sample.csv'))) csv.push(it);
    const dev = records(await readAll(fixture('corpus', 'cables.dev.jsonl.gz')));
    for (const c of records(csv)) {
      const d = dev.find((r) => r.referenceId === c.referenceId);
      if (d) assert.equal(d.created, c.created);
    }
  });

  it('reads the earlier versions with their variant fields', async () => {
    const recs = records(await readAll(fixture('corpus', 'versions.dev.jsonl')));
    assert.equal(recs.length, 73);
    for (const r of recs) {
      assert.equal(typeof r.extra['variantOf'], 'string');
      assert.match(r.extra['publishedAt'] as string, /^\d{4}-\d\d-\d\dT/);
    }
  });

  it('reads the 2011-layout record without touching its minute', async () => {
    const [r] = records(await readAll(fixture('corpus', 'cables-2011layout.dev.jsonl')));
    assert.ok(r);
    assert.equal(r.extra['layout'], '2011');
    assert.equal(r.created, `${r.createdAsShown!.replace(' ', 'T')}:00Z`);
  });

  it('rejects exactly the injected fault lines of a make-corpus JSONL file', async () => {
    const { path, faults } = await makeCorpus(
      ['--count', '300', '--inject-faults', '16', '--format', 'jsonl'],
      'jsonl',
    );
    const items = await readAll(path);
    const expected = faults.filter((f) => FAULT_REASON[f.kind] !== null);
    const rej = rejects(items);
    assert.deepEqual(
      rej.map((r) => r.at.row),
      expected.map((f) => f.row),
    );
    assert.deepEqual(
      rej.map((r) => r.at.line),
      expected.map((f) => f.row),
    );
    for (const [k, f] of expected.entries()) assert.match(rej[k]!.reason, FAULT_REASON[f.kind]!, f.kind);
    const recs = records(items);
    assert.equal(recs.length, 300 - expected.length);
    const r1 = recs[0]!;
    assert.equal(r1.extra['csvRow'], 1);
    assert.match(r1.created!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:00Z$/);
    assert.ok(Array.isArray(r1.references));
  });

  it('reads gzip and plain files alike and resumes at a line boundary', async () => {
    const text = readFileSync(fixture('corpus', 'versions.dev.jsonl'));
    const gz = tmpFile('v.jsonl.gz', gzipSync(text));
    const plain = await readAll(fixture('corpus', 'versions.dev.jsonl'));
    const packed = await readAll(gz);
    assert.deepEqual(
      packed.map((i) => ({ ...i, at: { ...i.at, source: '' } })),
      plain.map((i) => ({ ...i, at: { ...i.at, source: '' } })),
    );
    for (const [path, all] of [
      [gz, packed],
      [fixture('corpus', 'versions.dev.jsonl'), plain],
    ] as const) {
      const cut = all[40]!;
      const rest = await readAll(path, { startOffset: cut.at.endOffset!, startRow: 42, startLine: 42 });
      assert.deepEqual(rest, all.slice(41));
    }
  });

  it('skips blank lines and names bad lines', async () => {
    const ok =
      '{"id":"09PARIS1","created":"2009-01-02 03:04","released":null,"classification":"SECRET","origin":"Embassy Paris","header":"H","body":"B"}';
    const bytes = Buffer.concat([
      Buffer.from(`${ok}\n\n[1]\n{"id":"X"}\n`),
      Buffer.from('{"id":"09PARIS2","body":"a\u0000b"}\n'),
      Buffer.from(`${ok}\r\n`),
    ]);
    const path = tmpFile('bad.jsonl', bytes);
    const items = await readAll(path);
    assert.deepEqual(
      items.map((i) => [i.at.line, i.kind === 'reject' ? i.reason : 'ok']),
      [
        [1, 'ok'],
        [3, 'line is not a JSON object'],
        [4, 'missing key "created"'],
        [5, `NUL byte at byte ${bytes.indexOf(0)}`],
        [6, 'ok'],
      ],
    );
    assert.equal((items[0] as SourceRecord).created, '2009-01-02T03:04:00Z');
  });
});
