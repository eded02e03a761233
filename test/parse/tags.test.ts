import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTags, splitGlued } from '../../src/parse/tags.js';

const tags = (text: string) => parseTags(text).tags;

test('page body: the site dropped the commas of the TAGS: line', () => {
  assert.deepEqual(tags('E.O. 12958: N/A\nTAGS: EFIS PBTS AR\nSUBJECT: X'), ['EFIS', 'PBTS', 'AR']);
});

test('cables.csv: commas kept, no colon after TAGS', () => {
  assert.deepEqual(tags('EO 12958 DECL: 03/22/2016 \nTAGS PGOV, PHUM, PREL, BO \nSUBJECT:   Lukashenko'), [
    'PGOV',
    'PHUM',
    'PREL',
    'BO',
  ]);
});

test('wrapped list: the site linked only the first line (08BOGOTA337)', () => {
  const body =
    'E.O. 12958: DECL: 01/23/2018\nTAGS: PREL PGOV PTER MARR MOPS VZ AR BH BR CI CS\n' +
    "CU, ES, HO, MX, NU, PM, PA, PE, UY, CO\nSUBJECT: CJCS ADMIRAL MULLEN'S JANUARY 17 MEETING WITH\n";
  assert.deepEqual(tags(body).slice(10), ['CS', 'CU', 'ES', 'HO', 'MX', 'NU', 'PM', 'PA', 'PE', 'UY', 'CO']);
});

test('a last tag alone on the next line, no trailing comma (07PARIS921)', () => {
  const body = 'TAGS: PREL PGOV FR EUN NATO ETRD ECON UNO IR PHUM\nKDEM \nSUBJECT: FRENCH FOREIGN POLICY';
  assert.deepEqual(tags(body).slice(-2), ['PHUM', 'KDEM']);
});

test('COUNTRY CLEARANCE split over two lines (07KUWAIT624)', () => {
  const body =
    'TAGS: OREP AMGT ASEC AFIN GM IZ IC KU COUNTRY\nCLEARANCE \nSUBJECT: KUWAIT GRANTS COUNTRY CLEARANCE';
  assert.deepEqual(tags(body).slice(-2), ['KU', 'COUNTRY CLEARANCE']);
});

test('the banner line after TAGS is not a continuation (06MEXICO456)', () => {
  assert.deepEqual(
    tags('TAGS: PGOV PINR PREL MX\nC O N F I D E N T I A L SECTION 01 OF 03 MEXICO 000456 \n'),
    ['PGOV', 'PINR', 'PREL', 'MX'],
  );
});

test('media-partner text: TAGS glued to the DECL date (09KAMPALA1413)', () => {
  const body =
    'Cable dated:2009-12-24T08:27:00C O N F I D E N T I A L SECTION 01 OF 04 KAMPALA 001413SIPDISE.O. 12958: ' +
    'DECL: 2019/12/24TAGS: PHUM PGOV PREL UG\n\n1. (C) Summary: Parliamentary sponsor';
  assert.deepEqual(tags(body), ['PHUM', 'PGOV', 'PREL', 'UG']);
});

test('a bare TAG in a corrected-copy line is skipped for the real marker (08MADRID308)', () => {
  const body =
    'S E C R E T SECTION 01 OF 04 MADRID 000308\n\nSIPDIS\n\nC O R R E C T E D C O P Y - TAG\n\nNOFORN\nSIPDIS\n\n' +
    'STATE FOR EEB/ESC\n\nE.O. 12958: DNG: CO 03/09/2018\nTAGS: ECON EFIN PTER PREL IR SP\nSUBJECT: IRANIAN TIES';
  assert.deepEqual(tags(body), ['ECON', 'EFIN', 'PTER', 'PREL', 'IR', 'SP']);
});

test('EUR/AGS in an address line is no marker (02VATICAN819)', () => {
  const body =
    ' (HILTON), EUR/RHA \n(BINDENAGEL), EUR/AGS, DRL \n\nEO 12958 N/A \nTAGS PREL, GM, VT \nSUBJECT: VATICAN';
  assert.deepEqual(tags(body), ['PREL', 'GM', 'VT']);
});

test('glued runs are split into known tags (09CAIRO207, 08THEHAGUE553)', () => {
  assert.deepEqual(tags('TAGS: KFRDCVISCMGTCASCKOCIASECPHUMSMIGEG\nSUBJECT: X'), [
    'KFRD',
    'CVIS',
    'CMGT',
    'CASC',
    'KOCI',
    'ASEC',
    'PHUM',
    'SMIG',
    'EG',
  ]);
  assert.deepEqual(tags('TAGS: PREL KNNPMNUC PARM IR NL'), ['PREL', 'KNNP', 'MNUC', 'PARM', 'IR', 'NL']);
});

test('real tags that spell country codes stay whole', () => {
  assert.deepEqual(tags('TAGS: PREL UNESCO USEU KSCA'), ['PREL', 'UNESCO', 'USEU', 'KSCA']);
  assert.equal(splitGlued('UNESCO', new Set(['UN', 'ES', 'CO'])), null);
});

test('repeated tags and repeated TAGS lines are de-duplicated, SIPDIS skipped', () => {
  assert.deepEqual(tags('TAGS: PHUM OPRC OPRC OPRC IT ITPHUM SIPDIS HUMAN RIGHTS'), [
    'PHUM',
    'OPRC',
    'IT',
    'HUMAN RIGHTS',
  ]);
  assert.deepEqual(tags('TAGS: BR PREL MARR\nBR, PREL, MARR \nSUBJECT: X'), ['BR', 'PREL', 'MARR']);
});

test('multi-word and person tags (05TELAVIV4403, 06PARTO9)', () => {
  assert.deepEqual(tags('TAGS: PREL KWBG KPAL PTER IS GAZA DISENGAGEMENT ISRAELI PALESTINIAN AFFAIRS'), [
    'PREL',
    'KWBG',
    'KPAL',
    'PTER',
    'IS',
    'GAZA DISENGAGEMENT',
    'ISRAELI PALESTINIAN AFFAIRS',
  ]);
  assert.deepEqual(tags('TAGS: OVIP RICE CONDOLEEZZA KISL PGOV PHUM LE\nSY, IS '), [
    'OVIP',
    'RICE, CONDOLEEZZA',
    'KISL',
    'PGOV',
    'PHUM',
    'LE',
    'SY',
    'IS',
  ]);
});

test('a person in parentheses, lower-case tags (09BEIJING2963)', () => {
  assert.deepEqual(tags('Tags: ovip (steinberg, james b.), prel, parm\nSubject: x').slice(0, 3), [
    'OVIP',
    'STEINBERG, JAMES B.',
    'PREL',
  ]);
});

test('retired code RU becomes RS (06ANKARA331)', () => {
  assert.deepEqual(tags('TAGS: MARR MASS MOPS PREL PGOV TU IZ AF RU'), [
    'MARR',
    'MASS',
    'MOPS',
    'PREL',
    'PGOV',
    'TU',
    'IZ',
    'AF',
    'RS',
  ]);
});

test('typed <br> tags of media-partner texts are dropped (09MALABO27)', () => {
  assert.deepEqual(tags('TAGS: PREL ECIN KCOR PINR\nSOCI, EK <br>\nSUBJECT: EQUATORIAL GUINEA').slice(-2), [
    'SOCI',
    'EK',
  ]);
});

test('canonicalize false: raw tokens upper-cased; tagsRaw as written', () => {
  const r = parseTags('Tags: prel, ITPHUM, itphum', { canonicalize: false });
  assert.deepEqual(r.tags, ['PREL', 'ITPHUM', 'ITPHUM']);
  assert.deepEqual(r.tagsRaw, ['prel', 'ITPHUM', 'itphum']);
});

test('never throws, empty on garbage', () => {
  assert.deepEqual(parseTags(''), { tags: [], tagsRaw: [] });
  assert.deepEqual(parseTags('no marker here\n1. (C) text').tags, []);
  assert.doesNotThrow(() => parseTags(`TAGS: ${'A'.repeat(100000)} ${'(x'.repeat(5000)}`));
  assert.doesNotThrow(() => parseTags('TAGS:'));
  assert.doesNotThrow(() => parseTags(undefined as unknown as string));
});
