import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { findParagraphs, parseBodyStructure } from '../../src/parse/body.js';
import { fixture } from '../fixtures.js';

test('spaced banner with SECTION; captions below it', () => {
  const b =
    'C O N F I D E N T I A L SECTION 01 OF 02 REYKJAVIK 000013 \n \nSIPDIS \n \nNOFORN \n \nE.O. 12958: DECL: 01/13/2020 \n';
  const s = parseBodyStructure(b);
  assert.equal(s.banner, 'C O N F I D E N T I A L SECTION 01 OF 02 REYKJAVIK 000013');
  assert.equal(s.classification, 'CONFIDENTIAL//NOFORN');
  assert.deepEqual(s.section, { number: 1, of: 2 });
  assert.deepEqual(s.handling, ['SIPDIS', 'NOFORN']);
});

test('UNCLAS with a SENSITIVE caption is FOUO; without, plain UNCLASSIFIED', () => {
  assert.equal(
    parseBodyStructure('UNCLAS VALLETTA 000095 \n \nSENSITIVE \nSIPDIS \n \nE.O. 12958: N/A \n')
      .classification,
    'UNCLASSIFIED//FOR OFFICIAL USE ONLY',
  );
  assert.equal(
    parseBodyStructure('UNCLAS SAN JOSE 000123 \n \nSIPDIS \n \nE.O. 12958: N/A').classification,
    'UNCLASSIFIED',
  );
  // Captions run on in the banner's own line (08BUENOSAIRES1706).
  const s = parseBodyStructure('UNCLAS BUENOS AIRES 001706  SENSITIVE SIPDIS E.O. 12958: N/A');
  assert.equal(s.banner, 'UNCLAS BUENOS AIRES 001706');
  assert.equal(s.classification, 'UNCLASSIFIED//FOR OFFICIAL USE ONLY');
  assert.equal(
    parseBodyStructure('UNCLAS E F T O LONDON 002211 \n\nNOFORN\nSIPDIS\n').classification,
    'UNCLASSIFIED//FOR OFFICIAL USE ONLY',
  );
});

test('media-partner wrappers: dateline, lower case, Cable dated: glued, lost first letter', () => {
  assert.equal(
    parseBodyStructure(
      'Thursday, 07 March 2002, 10:13\nC O N F I D E N T I A L SECTION 01 OF 02 ROME 001196 \nSIPDIS \n',
    ).classification,
    'CONFIDENTIAL',
  );
  const low = parseBodyStructure('C o n f i d e n t i a l section 01 of 03 damascus 000389\n\nSipdis\n');
  assert.equal(low.classification, 'CONFIDENTIAL');
  assert.deepEqual(low.section, { number: 1, of: 3 });
  const glued = parseBodyStructure(
    'Cable dated:2006-06-08T06:52:00S E C R E T SECTION 01 OF 04 ANKARA 003352SIPDISSIPDISNOFORNE.O. 12958: DECL: 06/05/2026TAGS: MOPS',
  );
  assert.equal(glued.banner, 'S E C R E T SECTION 01 OF 04 ANKARA 003352');
  assert.equal(glued.classification, 'SECRET//NOFORN');
  assert.equal(
    parseBodyStructure('E C R E T SECTION 01 OF 03 BAGHDAD 000146 \n\nSIPDIS').classification,
    'SECRET',
  );
  assert.equal(
    parseBodyStructure('NCLAS SECTION 01 OF 02 BRASILIA 001017 \n\nSENSITIVE \n').classification,
    'UNCLASSIFIED//FOR OFFICIAL USE ONLY',
  );
  assert.equal(parseBodyStructure('SIPDIS \n \nE.O. 12958: DECL: 12/22/2014 \n').classification, null);
});

test('paragraphs: markings, offsets, and numbers that are not paragraphs', () => {
  const b = [
    'S E C R E T STATE 000001 ',
    '',
    'REF: A. STATE 1234',
    '',
    '1.(C) First.',
    '2006. was a year.',
    '2. (S/NF) Second 1.5(B).',
    '3. (C - ENTIRE TEXT) Third.',
    '¶4. Fourth.',
    '27. A quoted figure.',
    '5 (SBU) Fifth without a dot.',
  ].join('\n');
  const ps = findParagraphs(b);
  assert.deepEqual(
    ps.map((p) => [p.number, p.marking]),
    [
      [1, 'C'],
      [2, 'S/NF'],
      [3, 'C - ENTIRE TEXT'],
      [4, null],
      [5, 'SBU'],
    ],
  );
  assert.equal(b.slice(ps[0]!.start, ps[0]!.start + 5), '1.(C)');
  assert.equal(ps[0]!.end, ps[1]!.start);
  assert.equal(ps.at(-1)!.end, b.length);
});

test('a missing paragraph number and sub-lists inside a paragraph (04NASSAU1515 style)', () => {
  const b = '1. (C) a\n2. (C) b\n3. (C) c\n 1. item\n 2. item\n7. (C) g\n8. (C) h\n9. (C) i\n';
  assert.deepEqual(
    findParagraphs(b).map((p) => p.number),
    [1, 2, 3, 7, 8, 9],
  );
  // `37. (a)` is a paragraph whose text starts with a lettered item (04THEHAGUE4).
  assert.deepEqual(
    findParagraphs('36. Drug seizures\n37. (a) The Netherlands\n38. The USD\n').map((p) => [
      p.number,
      p.marking,
    ]),
    [
      [36, null],
      [37, null],
      [38, null],
    ],
  );
});

test('page and section markers, redactions', () => {
  const b =
    'UNCLAS SECTION 01 OF 04 BUENOS AIRES 000034 \n\n1. Text XXXXXXXXXXXX met xxxxxxxxxxxx.\nBUENOS AIR 00000034  002 OF 004 \n2. More\nPAGE 02 HARARE 05461 01 OF 02 271458Z THAT THE MDC\n';
  const s = parseBodyStructure(b);
  assert.deepEqual(
    s.markers.map((m) => [m.kind, m.text]),
    [
      ['section', 'UNCLAS SECTION 01 OF 04 BUENOS AIRES 000034'],
      ['page', 'BUENOS AIR 00000034  002 OF 004'],
      ['page', 'PAGE 02 HARARE 05461 01 OF 02 271458Z'],
    ],
  );
  assert.deepEqual(
    s.redactions.map((r) => b.slice(r.start, r.end)),
    ['XXXXXXXXXXXX', 'xxxxxxxxxxxx'],
  );
});

test('never throws', () => {
  for (const s of ['', '\n', '1.', 'S E C R E T', 'UNCLAS', '¶'.repeat(1000), '1. (C) '.repeat(5000)]) {
    assert.equal(typeof parseBodyStructure(s), 'object');
  }
});

test('real corpus: banner classification agrees with the site, paragraphs run in sequence', () => {
  const lines = gunzipSync(readFileSync(fixture('corpus', 'cables.dev.jsonl.gz')))
    .toString('utf8')
    .split('\n');
  let n = 0;
  let agree = 0;
  let withParagraphs = 0;
  let inSequence = 0;
  for (const line of lines) {
    if (!line) continue;
    const r = JSON.parse(line) as { classification: string; body: string };
    const s = parseBodyStructure(r.body);
    n++;
    if (s.classification === r.classification) agree++;
    if (s.paragraphs.length > 0) {
      withParagraphs++;
      if (s.paragraphs.every((p, i) => p.number === i + 1)) inSequence++;
    }
    for (const p of s.paragraphs) assert.ok(p.start < p.end && p.end <= r.body.length);
  }
  assert.ok(agree / n >= 0.985, `classification agreement ${agree}/${n}`);
  assert.ok(withParagraphs / n >= 0.93, `cables with paragraphs ${withParagraphs}/${n}`);
  assert.ok(inSequence / withParagraphs >= 0.93, `1..N in sequence ${inSequence}/${withParagraphs}`);
});
