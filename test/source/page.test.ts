import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { readCablePage } from '../../src/source/page.js';
import { fixture } from '../fixtures.js';
import type { RealCable } from '../parse/real-cables.js';

type PageRecord = Pick<
  RealCable,
  'id' | 'created' | 'released' | 'classification' | 'origin' | 'subject_h3' | 'header' | 'body' | 'articles'
>;

function htmlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...htmlFiles(p));
    else if (name.endsWith('.html')) out.push(p);
  }
  return out.sort();
}

function records(text: string): Map<string, PageRecord> {
  const map = new Map<string, PageRecord>();
  for (const line of text.split('\n')) {
    if (!line) continue;
    const r = JSON.parse(line) as PageRecord;
    map.set(r.id, r);
  }
  return map;
}

function checkRoundTrip(dir: string, recs: Map<string, PageRecord>, layout: '2010' | '2011'): number {
  let n = 0;
  for (const file of htmlFiles(dir)) {
    const page = readCablePage(readFileSync(file, 'utf8'));
    const rec = recs.get(page.referenceId);
    assert.ok(rec, `no record for ${file} (${page.referenceId})`);
    assert.equal(page.layout, layout, file);
    assert.equal(page.minuteBug, layout === '2010');
    assert.equal(page.created, rec.created, `${rec.id} created`);
    assert.equal(page.released, rec.released, `${rec.id} released`);
    assert.equal(page.classification, rec.classification, `${rec.id} classification`);
    assert.equal(page.origin, rec.origin, `${rec.id} origin`);
    assert.equal(page.subjectH3, rec.subject_h3, `${rec.id} subject`);
    assert.deepEqual(page.articles, rec.articles, `${rec.id} articles`);
    assert.equal(page.header, rec.header, `${rec.id} header`);
    assert.equal(page.body, rec.body, `${rec.id} body`);
    n++;
  }
  return n;
}

test('every 2010-layout page round-trips to its cables.dev.jsonl record', () => {
  const recs = records(gunzipSync(readFileSync(fixture('corpus', 'cables.dev.jsonl.gz'))).toString('utf8'));
  const n = checkRoundTrip(fixture('corpus', 'pages', 'cable'), recs, '2010');
  assert.ok(n >= 40, `only ${n} pages`);
});

test('every 2011-layout page round-trips to its cables-2011layout.dev.jsonl record', () => {
  const recs = records(readFileSync(fixture('corpus', 'cables-2011layout.dev.jsonl'), 'utf8'));
  const n = checkRoundTrip(fixture('corpus', 'pages-2011', 'cable'), recs, '2011');
  assert.ok(n >= 1);
});

const SHELL = (h3: string, pre1: string, pre2: string) =>
  `<html><body><h3>Browse latest releases</h3><h3>Viewing cable ${h3}</h3><table class='cable'><tr><th>Reference ID</th></tr>` +
  `<tr><td><a href='/cable/x.html'>09X1</a></td><td><a>2009-01-01 13:01</a></td><td><a>2011-01-01 00:12</a></td>` +
  `<td><a title='unclassified'>CONFIDENTIAL</a></td><td><a>Embassy X</a></td></tr></table>` +
  `<code><pre>${pre1}</pre></code><code><pre>${pre2}</pre></code></body></html>`;

test('raw cable text survives: bare ampersands, <<numbers>>, typed <br>, &para not decoded', () => {
  const page = readCablePage(
    SHELL(
      '09X1, AT&T <br>',
      'R 010101Z JAN 09&#x000A;FM AMEMBASSY X',
      "TAGS: <a href='/tag/PREL_0.html'>PREL</a>&#x000A;<a id='par1' href='#par1'>¶</a>1. AT&T R&D; &para <<220571>> a<br>b &amp; <strong>x</strong>",
    ),
  );
  assert.equal(page.subjectH3, 'AT&T <br>');
  assert.equal(page.header, 'R 010101Z JAN 09\nFM AMEMBASSY X');
  assert.equal(page.body, 'TAGS: PREL\n1. AT&T R&D; &para <<220571>> a<br>b & <strong>x</strong>');
  assert.equal(page.layout, '2010');
  assert.equal(page.classification, 'CONFIDENTIAL');
});

test('empty subject after "Viewing cable ID,"', () => {
  assert.equal(readCablePage(SHELL('08MOSCOW2759,', '', 'x')).subjectH3, '');
});

test('never throws on garbage', () => {
  for (const s of ['', '<pre>', '<h3>Viewing cable', '<<<>>>&&&', '<pre><a href="/tag/x">']) {
    const p = readCablePage(s);
    assert.equal(typeof p.body, 'string');
  }
});
