import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readJsonLines } from '../../src/source/jsonl.js';
import { readPages } from '../../src/source/pages.js';
import type { SourceItem, SourceRecord, SourceReject } from '../../src/source/types.js';
import { fixture } from '../fixtures.js';

async function collect(it: AsyncIterable<SourceItem>): Promise<SourceItem[]> {
  const out: SourceItem[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const records = (items: SourceItem[]): SourceRecord[] =>
  items.filter((i): i is SourceRecord => i.kind === 'record');

describe('site pages reader', () => {
  it('reads the 40 byte-exact 2010 pages like their JSONL records, real minute from the DTG', async () => {
    const pages = await collect(readPages(fixture('corpus', 'pages')));
    assert.equal(pages.length, 40);
    const recs = records(pages);
    assert.equal(recs.length, 40);
    const dev = new Map(
      records(await collect(readJsonLines(fixture('corpus', 'cables.dev.jsonl.gz')))).map((r) => [
        r.referenceId,
        r,
      ]),
    );
    for (const p of recs) {
      const d = dev.get(p.referenceId)!;
      assert.ok(d, p.referenceId);
      for (const k of [
        'created',
        'createdAsShown',
        'released',
        'origin',
        'classification',
        'header',
        'body',
      ] as const) {
        assert.equal(p[k], d[k], `${p.referenceId} ${k}`);
      }
      assert.equal(p.extra['createdDtg'], d.extra['createdDtg']);
      assert.equal(p.extra['subjectH3'], d.extra['subjectH3']);
      assert.deepEqual(p.extra['articles'], d.extra['articles']);
      assert.equal(p.extra['layout'], '2010');
      assert.match(p.extra['pagePath'] as string, /^cable\/\d{4}\/\d\d\/[0-9A-Z]+\.html$/);
      assert.equal(p.at.row, null);
    }
    // Sorted walk: deterministic order.
    const paths = recs.map((r) => r.extra['pagePath'] as string);
    assert.deepEqual(paths, [...paths].sort());
    const ankara = recs.find((r) => r.referenceId === '96ANKARA12278')!;
    assert.equal(ankara.createdAsShown, '1996-11-18 11:11');
    assert.equal(ankara.created, '1996-11-18T11:42:00Z');
  });

  it('keeps the 2011-layout times as shown', async () => {
    const [p] = records(await collect(readPages(fixture('corpus', 'pages-2011'))));
    assert.ok(p);
    assert.equal(p.referenceId, '73TEHRAN8233');
    assert.equal(p.extra['layout'], '2011');
    assert.equal(p.createdAsShown, '1973-11-21 12:20');
    assert.equal(p.created, '1973-11-21T12:20:00Z');
    assert.equal(p.released, '2011-08-30T01:44:00Z');
    const [j] = records(await collect(readJsonLines(fixture('corpus', 'cables-2011layout.dev.jsonl'))));
    assert.equal(p.header, j!.header);
    assert.equal(p.body, j!.body);
  });

  it('rejects files that are not readable cable pages and goes on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pages-test-'));
    mkdirSync(join(dir, 'cable', '2009', '01'), { recursive: true });
    const src = fixture('corpus', 'pages', 'cable', '1996', '11', '96ANKARA12278.html');
    cpSync(src, join(dir, 'cable', '2009', '01', 'B.html'));
    writeFileSync(join(dir, 'cable', '2009', '01', 'A.html'), '<html><body>nothing here</body></html>');
    const bad = Buffer.from(readFileSync(src));
    bad[5000] = 0xff;
    writeFileSync(join(dir, 'cable', '2009', '01', 'C.html'), bad);
    writeFileSync(join(dir, 'cable', '2009', '01', 'notes.txt'), 'ignored');
    const items = await collect(readPages(dir));
    assert.deepEqual(
      items.map((i) => (i.kind === 'reject' ? i.reason : i.referenceId)),
      ['not a cable page (no reference ID)', '96ANKARA12278', 'invalid UTF-8 at byte 5000'],
    );
    assert.ok((items[2] as SourceReject).rawBytes!.length === bad.length);
    // A single page path reads that page.
    const one = records(await collect(readPages(src)));
    assert.equal(one[0]!.referenceId, '96ANKARA12278');
  });
});
