import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fixture, projectRoot } from '../fixtures.js';
import { loadRealCables } from '../parse/real-cables.js';

/** Runs the real `cables` command (from source) the way a user would. */
function cables(args: string[], input?: string) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(projectRoot, 'src/cli/main.ts'), ...args], {
    input,
    encoding: 'utf8',
    cwd: projectRoot,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const OUTPUT_FIELDS = [
  'referenceId',
  'canonicalId',
  'transmissionId',
  'dtg',
  'from',
  'recipients',
  'infoRecipients',
  'classification',
  'subject',
  'tags',
  'tagsRaw',
  'references',
  'classifiedBy',
  'declassifyOn',
  'summary',
  'signers',
  'paragraphs',
  'isPartial',
];

test('parse --jsonl: one line out per line in, in order; bad lines get an error and the run goes on', () => {
  const input = [
    JSON.stringify({ text: 'TAGS: PGOV, PREL\nSUBJECT: TEST SUBJECT\n\nREF: A. STATE 124823', year: 2007 }),
    '{not json',
    JSON.stringify({ id: '08ECTION01OF02MANAMA492' }),
    JSON.stringify({ something: 'else' }),
    JSON.stringify({ text: 'E.O. 12958: DECL: 09/10/2027', header: 'O 110944Z SEP 07\nFM AMEMBASSY PARIS' }),
  ].join('\n');
  const r = cables(['parse', '--jsonl'], `${input}\n`);
  assert.equal(r.status, 0, r.stderr);
  const out = r.stdout
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.equal(out.length, 5);
  for (const field of OUTPUT_FIELDS) assert.ok(field in out[0], `missing output field ${field}`);
  assert.deepEqual(out[0].tags, ['PGOV', 'PREL']);
  assert.equal(out[0].subject, 'TEST SUBJECT');
  assert.deepEqual(
    out[0].references.map((x: { id: string }) => x.id),
    ['07STATE124823'],
  );
  assert.equal(out[1].line, 2);
  assert.match(out[1].error, /JSON/);
  assert.deepEqual(out[2], { canonicalId: '08MANAMA492' });
  assert.equal(out[3].line, 4);
  assert.equal(out[4].declassifyOn, '2027-09-10');
  assert.equal(out[4].dtg.utc, '2007-09-11T09:44:00.000Z'.replace('.000', ''));
  assert.equal(out[4].from, 'AMEMBASSY PARIS');
});

test('parse FILE: a byte-exact Cablegate page, a plain text cable, and a missing file', () => {
  const pagesDir = fixture('corpus', 'pages', 'cable', '2009');
  const month = readdirSync(pagesDir)[0]!;
  const page = readdirSync(join(pagesDir, month))[0]!;
  const fromPage = cables(['parse', join(pagesDir, month, page)]);
  assert.equal(fromPage.status, 0, fromPage.stderr);
  const cable = JSON.parse(fromPage.stdout);
  assert.equal(cable.referenceId, page.replace(/\.html$/, ''));
  assert.ok(cable.tags.length > 0);

  const real = loadRealCables().find((c) => c.header.startsWith('VZCZC'))!;
  const dir = mkdtempSync(join(tmpdir(), 'cables-parse-'));
  const file = join(dir, 'cable.txt');
  writeFileSync(file, `${real.header}\n${real.body}`);
  const fromText = cables(['parse', '--pretty', file]);
  assert.equal(fromText.status, 0, fromText.stderr);
  const parsed = JSON.parse(fromText.stdout);
  assert.match(parsed.transmissionId, /^VZCZC/);
  assert.ok(parsed.recipients.length > 0);
  assert.ok(fromText.stdout.includes('\n  "'), 'pretty output is indented');

  const missing = cables(['parse', join(dir, 'nope.txt')]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /nope\.txt/);
});
