import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readCablesCsv } from '../../src/source/csv.js';
import { readTextFile } from '../../src/source/text.js';
import type { SourceItem, SourceRecord } from '../../src/source/types.js';
import { fixture } from '../fixtures.js';

async function one(path: string): Promise<SourceItem> {
  const out: SourceItem[] = [];
  for await (const x of readTextFile(path)) out.push(x);
  assert.equal(out.length, 1);
  return out[0]!;
}

const dir = mkdtempSync(join(tmpdir(), 'text-test-'));
function file(name: string, content: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

async function sampleCable(): Promise<SourceRecord> {
  for await (const it of readCablesCsv(fixture('corpus', 'cables.sample.csv'))) {
    if (it.kind === 'record') return it;
  }
  throw new Error('no sample');
}

describe('plain text reader', () => {
  it('splits a real cable into header and body and takes the ID from the file name', async () => {
    const c = await sampleCable();
    const r = (await one(file('66BUENOSAIRES2481.txt', `${c.header}\n\n${c.body}`))) as SourceRecord;
    assert.equal(r.kind, 'record');
    assert.equal(r.referenceId, '66BUENOSAIRES2481');
    assert.equal(r.extra['referenceIdFrom'], 'file-name');
    assert.equal(r.header, c.header);
    assert.equal(r.body, c.body);
    assert.equal(r.created, '1966-12-28T18:48:00Z');
    assert.equal(r.createdAsShown, '281848Z DEC 66');
  });

  it('takes the ID from the banner and the DTG year when the file name is not an ID', async () => {
    const c = await sampleCable();
    const r = (await one(file('cable.txt', `${c.header}\n${c.body}`))) as SourceRecord;
    assert.equal(r.referenceId, '66BUENOSAIRES2481');
    assert.equal(r.extra['referenceIdFrom'], 'banner');
    assert.ok(r.body.startsWith('UNCLASSIFIED BUENOS AIRES 2481 \n'));
  });

  it('takes a refid line of a media-partner text, and keeps text without a header as body', async () => {
    const text =
      'Friday, 18 December 2009, 11:04\nid: 15777\ndate: 4/7/2004 0:28\nrefid: 04MADRID1234\n\nSome text.\n';
    const r = (await one(file('note.txt', text))) as SourceRecord;
    assert.equal(r.referenceId, '04MADRID1234');
    assert.equal(r.header, '');
    assert.equal(r.body, text);
    assert.equal(r.created, null);
  });

  it('rejects a text with no way to name it, an empty file and invalid UTF-8', async () => {
    const bad = [
      [file('a.txt', 'just some words\n'), /^no reference ID/],
      [file('b.txt', ' \n'), /^empty file$/],
      [file('09PARIS1.txt', Buffer.from([0x41, 0x0a, 0xc3, 0x28])), /^invalid UTF-8 at byte 2$/],
    ] as const;
    for (const [path, reason] of bad) {
      const r = await one(path);
      assert.equal(r.kind, 'reject');
      if (r.kind === 'reject') assert.match(r.reason, reason);
    }
  });
});
