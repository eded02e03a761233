import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { archiveCsvHeader } from '../../src/source/archive-csv.js';
import { detectFormat, openSource } from '../../src/source/detect.js';
import type { SourceItem } from '../../src/source/types.js';
import { fixture } from '../fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'detect-test-'));

async function count(it: AsyncIterable<SourceItem>): Promise<number> {
  let n = 0;
  for await (const x of it) if (x.kind === 'record') n++;
  return n;
}

describe('source detection', () => {
  it('detects each kind by directory, extension and first bytes', async () => {
    const sample = fixture('corpus', 'cables.sample.csv');
    const noExt = join(dir, 'cables');
    copyFileSync(sample, noExt);
    const jsonNoExt = join(dir, 'records.dat');
    writeFileSync(jsonNoExt, readFileSync(fixture('corpus', 'cables-2011layout.dev.jsonl')));
    const gzNoExt = join(dir, 'records.gz');
    writeFileSync(gzNoExt, gzipSync(readFileSync(fixture('corpus', 'cables-2011layout.dev.jsonl'))));
    const exportCsv = join(dir, 'export.csv');
    writeFileSync(exportCsv, archiveCsvHeader());
    const text = join(dir, '09PARIS1.txt');
    writeFileSync(text, 'UNCLAS PARIS 000001\n\nText.\n');
    const cases: [string, string][] = [
      [sample, 'csv'],
      [noExt, 'csv'],
      [fixture('corpus', 'cables.dev.jsonl.gz'), 'jsonl'],
      [fixture('corpus', 'versions.dev.jsonl'), 'jsonl'],
      [jsonNoExt, 'jsonl'],
      [gzNoExt, 'jsonl'],
      [fixture('corpus', 'pages'), 'pages'],
      [fixture('corpus', 'pages', 'cable', '1996', '11', '96ANKARA12278.html'), 'pages'],
      [exportCsv, 'archive-csv'],
      [text, 'text'],
    ];
    for (const [path, format] of cases) assert.equal(await detectFormat(path), format, path);
  });

  it('opens each kind, and --format overrides detection', async () => {
    assert.equal(await count(await openSource(fixture('corpus', 'cables.sample.csv'))), 2);
    assert.equal(await count(await openSource(fixture('corpus', 'pages-2011'))), 1);
    const gzNoExt = join(dir, 'records2.gz');
    writeFileSync(gzNoExt, gzipSync(readFileSync(fixture('corpus', 'versions.dev.jsonl'))));
    assert.equal(await count(await openSource(gzNoExt)), 73);
    // A cables.csv row read as plain text is one cable whose body is the whole file.
    const items: SourceItem[] = [];
    for await (const x of await openSource(fixture('corpus', 'cables.sample.csv'), { format: 'text' }))
      items.push(x);
    assert.equal(items.length, 1);
  });
});
