import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  type ArchiveCsvRecord,
  archiveCsvHeader,
  archiveCsvRow,
  readArchiveCsv,
  readArchiveCsvRows,
} from '../../src/source/archive-csv.js';
import { openSource } from '../../src/source/detect.js';
import { readJsonLines } from '../../src/source/jsonl.js';
import type { SourceItem, SourceRecord } from '../../src/source/types.js';
import { fixture } from '../fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'archive-csv-test-'));

const tricky: ArchiveCsvRecord = {
  canonicalId: '08LONDON2883',
  referenceId: '08EFTOLONDON2883',
  aliases: ['08EFTOLONDON2883', '08LONDON02883'],
  created: '2008-11-12T14:05:00Z',
  createdAsShown: '2008-11-12 14:02',
  released: null,
  origin: 'Embassy London',
  classification: 'CONFIDENTIAL//NOFORN',
  references: ['08STATE1', '07LONDON99'],
  header: 'R 121405Z NOV 08\r\nFM AMEMBASSY LONDON\n',
  body: 'He said "no", then \\"maybe\\" \\\\ and \'so\'.\n\n, ,, "" """\r\nCafé – ¶ “x” 日本 \u00a0\n\n',
  parsed: { subject: 'A "quoted", subject', tags: ['PREL', 'UK'] },
  extra: { layout: '2010', note: 'line1\nline2' },
};

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('archive CSV export', () => {
  it('round-trips quotes, commas, newlines, backslashes and non-ASCII exactly', async () => {
    const second: ArchiveCsvRecord = {
      ...tricky,
      canonicalId: '09X1',
      referenceId: '09X1',
      aliases: [],
      references: [],
      created: null,
      createdAsShown: null,
      released: '2011-01-01T00:00:00Z',
      origin: null,
      classification: null,
      header: '',
      body: '',
      parsed: null,
      extra: null,
    };
    const path = join(dir, 'export.csv');
    writeFileSync(path, archiveCsvHeader() + archiveCsvRow(tricky) + archiveCsvRow(second));
    const rows = await collect(readArchiveCsvRows(path));
    assert.equal(rows.length, 2);
    const [a, b] = rows.map((r) => ('rec' in r ? r.rec : null));
    assert.deepEqual(a, {
      ...tricky,
      parsed: JSON.stringify(tricky.parsed),
      extra: JSON.stringify(tricky.extra),
    });
    assert.deepEqual(b, second);
    assert.deepEqual([rows[0]!.at.row, rows[0]!.at.line, rows[1]!.at.row], [1, 2, 2]);
  });

  it('re-imports the dev cables losslessly through openSource', async () => {
    const src = (await collect(readJsonLines(fixture('corpus', 'versions.dev.jsonl')))) as SourceRecord[];
    const path = join(dir, 'versions.csv');
    let out = archiveCsvHeader();
    for (const r of src) {
      out += archiveCsvRow({
        canonicalId: r.referenceId,
        referenceId: r.referenceId,
        aliases: [],
        created: r.created,
        createdAsShown: r.createdAsShown,
        released: r.released,
        origin: r.origin,
        classification: r.classification,
        references: r.references ?? [],
        header: r.header,
        body: r.body,
        parsed: '{}',
        extra: r.extra,
      });
    }
    writeFileSync(path, out);
    const back = (await collect(await openSource(path))) as SourceItem[];
    assert.equal(back.length, src.length);
    back.forEach((b, k) => {
      const s = src[k]!;
      assert.equal(b.kind, 'record');
      if (b.kind !== 'record') return;
      for (const key of [
        'referenceId',
        'created',
        'createdAsShown',
        'released',
        'origin',
        'classification',
        'header',
        'body',
      ] as const) {
        assert.equal(b[key], s[key], key);
      }
      const { canonicalId, aliases, ...extra } = b.extra;
      assert.equal(canonicalId, s.referenceId);
      assert.deepEqual(aliases, []);
      assert.deepEqual(extra, s.extra);
    });
  });

  it('rejects a row with a wrong field count or bad JSON and reads on', async () => {
    const path = join(dir, 'bad.csv');
    const good = archiveCsvRow(tricky);
    writeFileSync(
      path,
      `${archiveCsvHeader()}"a","b"\r\n${good.replace('"{""layout""', '"{""layout""x')}${good}`,
    );
    const items = await collect(readArchiveCsv(path));
    assert.deepEqual(
      items.map((i) => (i.kind === 'reject' ? i.reason : i.referenceId)),
      ['2 fields, expected 13', 'invalid JSON in extra', '08EFTOLONDON2883'],
    );
  });
});
