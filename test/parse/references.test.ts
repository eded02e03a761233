import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Reference } from '../../src/cable/types.js';
import { parseReferences } from '../../src/parse/references.js';

const ids = (refs: Reference[]) => refs.filter((r) => r.kind === 'cable').map((r) => r.id);
const brief = (refs: Reference[]) => refs.map((r) => [r.kind, r.bullet, r.id ?? r.value]);

test('year of the citing cable, canonical stations', () => {
  assert.deepEqual(ids(parseReferences('REF: A. STATE 124823 \n     B. 08 RIO DE JAN 138 \n', 2007, null)), [
    '07STATE124823',
    '08RIODEJANEIRO138',
  ]);
  // 06SANTIAGO439
  assert.deepEqual(ids(parseReferences('REF: A. STATE 3836 \n     ¶B. 05 SANTIAG0 465 \n', 2006, null)), [
    '06STATE3836',
    '05SANTIAGO465',
  ]);
});

test('AND continues the previous citation under the same bullet', () => {
  assert.deepEqual(
    brief(parseReferences('REF: A. BRASILIA 2799 AND 2764 ¶B. PORT AU PRINCE 2325 ', 2004, null)),
    [
      ['cable', 'A', '04BRASILIA2799'],
      ['cable', 'A', '04BRASILIA2764'],
      ['cable', 'B', '04PORTAUPRINCE2325'],
    ],
  );
  // 09HAVANA559
  assert.deepEqual(ids(parseReferences('REF: HAVANA 500 & 511 \n', 2009, null)), [
    '09HAVANA500',
    '09HAVANA511',
  ]);
});

test('a bare comma list is one citation unless the list says AND', () => {
  assert.deepEqual(ids(parseReferences('Ref: [A] State 188314, 259032, [B] Ottawa 2285 ', 2005, null)), [
    '05STATE188314',
    '05OTTAWA2285',
  ]);
});

test('glued, hyphenated and typed-over forms', () => {
  // 09SANJOSE985
  assert.deepEqual(ids(parseReferences('REF: 07SANJOSE1173; 08SANJOSE133; 08 SAN JOSE 969 \n', 2009, null)), [
    '07SANJOSE1173',
    '08SANJOSE133',
    '08SANJOSE969',
  ]);
  // 09REYKJAVIK214
  assert.deepEqual(
    ids(parseReferences('REF: A. STATE 2995, B. STATE085363, C. SIO-I-03-61 \n', 2009, null)),
    ['09STATE2995', '09STATE85363'],
  );
  assert.deepEqual(ids(parseReferences('REF: 10-OTTAWA-57 ', 2010, null)), ['10OTTAWA57']);
  // 09TRIPOLI590: a letter O typed for the zero of the year
  assert.deepEqual(ids(parseReferences('REF: A) 08 TRIPOLI 960; B) O8 TRIPOLI 993 \n', 2009, null)), [
    '08TRIPOLI960',
    '08TRIPOLI993',
  ]);
  // 09USNATO464: a misspelt station
  assert.deepEqual(ids(parseReferences('REF: A. VILNIUS 533 B. VILNIUS 527 C. TALLIN 309 ', 2009, null)), [
    '09VILNIUS533',
    '09VILNIUS527',
    '09TALLINN309',
  ]);
});

test('years after the serial', () => {
  assert.deepEqual(ids(parseReferences('REF: A. QUITO 4525-91 \n \n     B. QUITO 1735 ', 2006, null)), [
    '91QUITO4525',
    '06QUITO1735',
  ]);
  assert.deepEqual(ids(parseReferences('REF: AMMAN 07718 99, AMMAN 05986 00 ', 2002, null)), [
    '99AMMAN7718',
    '00AMMAN5986',
  ]);
  // 09SAOPAULO663
  assert.deepEqual(ids(parseReferences('REF: BRASILIA 709 (08) \n', 2009, null)), ['08BRASILIA709']);
});

test('page markers, section banners and the own ID are no references', () => {
  // 09BISHKEK135
  const t = 'REF: A. BISHKEK 96 B. BISHKEK 85 BISHKEK 00000135 001.2 OF 002 Classified By: Ambassador';
  assert.deepEqual(ids(parseReferences(t, 2009, '09BISHKEK135')), ['09BISHKEK96', '09BISHKEK85']);
  const riga = 'REF: A) STATE 856708 B) STATE 86108 ...\n\nC O N F I D E N T I A L RIGA 000472 SIPDIS';
  assert.deepEqual(ids(parseReferences(riga, 2008, null)), ['08STATE856708', '08STATE86108']);
});

test('media-partner metadata after "..." is not read', () => {
  // 04THEHAGUE868
  const t =
    'REF: A. STATE 68263 \n \n     B. THE HAGUE 787 (NOTAL) \n  ...\n\n15650\n\n2004-04-02\n\n04THEHAGUE868\n\n' +
    'REF: A. STATE 68263 \n\nB. THE HAGUE 787 (NOTAL) \nD. 03 THE HAGUE 3168 (NOTAL) \n\nClassified By: X';
  assert.deepEqual(brief(parseReferences(t, 2004, '04THEHAGUE868')), [
    ['cable', 'A', '04STATE68263'],
    ['cable', 'B', '04THEHAGUE787'],
  ]);
});

test('non-cable references by kind; initials are no bullets', () => {
  // 08MANAMA105
  const t =
    'REF: A. A) 2/15/08 STEINFELD-BELOOSHI TELCON B. B) 2/26/08 STEINFELD-ERELI EMAIL \n\nClassified By: X';
  assert.deepEqual(brief(parseReferences(t, 2008, null)), [
    ['tel', 'A', '2/15/08 STEINFELD-BELOOSHI TELCON'],
    ['email', 'B', '2/26/08 STEINFELD-ERELI EMAIL'],
  ]);
  assert.deepEqual(brief(parseReferences('REF: E-mails J. Speaks-K. Allen ', 2009, null)), [
    ['email', null, 'E-mails J. Speaks-K. Allen'],
  ]);
  const other = parseReferences('REF: O) UNSCR 1737 SANCTIONS COMMITTEE NOTICE', 2010, null, { other: true });
  assert.deepEqual(brief(other), [['other', 'O', 'UNSCR 1737 SANCTIONS COMMITTEE NOTICE']]);
});

test('whitelist rejects what is no station', () => {
  const t =
    'REF: A) TALLINN 366 B) LEE-GOLDSTEIN EMAIL 05/11/07 \nB) TALLINN 347 \nC. INCSR BRAZIL 2008 D. Part 1';
  assert.deepEqual(ids(parseReferences(t, 2007, null)), ['07TALLINN366', '07TALLINN347']);
});

test('REF after the Classified By line or inside a word starts no block', () => {
  assert.deepEqual(
    parseReferences('SUBJECT: REFORM IN BOGOTA 2009\nClassified By: X\nREF: STATE 1', 2009, null),
    [],
  );
  assert.deepEqual(parseReferences('refid: 08SANTIAGO77 origin: x', 2008, null), []);
});

test('never throws, deterministic on garbage', () => {
  for (const s of [
    '',
    'REF',
    'REF:',
    'REF: ((((',
    `REF: ${'A. '.repeat(5000)}`,
    `REF: ${'STATE 1 AND '.repeat(3000)}`,
  ]) {
    assert.deepEqual(parseReferences(s, 2009, null), parseReferences(s, 2009, null));
  }
  assert.deepEqual(ids(parseReferences('REF: STATE 123', null, '09PARIS1')), ['09STATE123']);
  assert.deepEqual(parseReferences('REF: STATE 123', null, null), []);
});
