import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSubject } from '../../src/parse/subject.js';

test('subject wrapped over lines ends at the blank line', () => {
  const body =
    'TAGS: PREL PGOV KJUS PE CI\n\nSUBJECT: COURT GRANTS FUJIMORI PROVISIONAL LIBERTY\nFUJIMORI REQUIRED TO REMAIN IN CHILE\n\n1. The Chilean press';
  assert.equal(
    parseSubject(body),
    'COURT GRANTS FUJIMORI PROVISIONAL LIBERTY FUJIMORI REQUIRED TO REMAIN IN CHILE',
  );
});

test('subject stops at a page header on its own line, not at a capitalised subject word (06BRASILIA1667)', () => {
  const body =
    'SUBJECT: CAN A ROAD SAVE THE AMAZON? THE BR-163 - Corrected Version \n \nBRASILIA 00001667  001.2 OF 003 \n';
  assert.equal(parseSubject(body), 'CAN A ROAD SAVE THE AMAZON? THE BR-163 - Corrected Version');
  const tripoli =
    'SUBJECT: SECURITY PROCEDURES AND EMERGENCY RESPONSE AT TRIPOLI INTERNATIONAL \nAIRPORT \n\nTRIPOLI 00000248  001.2 OF 003';
  assert.equal(
    parseSubject(tripoli),
    'SECURITY PROCEDURES AND EMERGENCY RESPONSE AT TRIPOLI INTERNATIONAL AIRPORT',
  );
});

test('subject stops at REF, Classified By and SENSITIVE BUT UNCLASSIFIED', () => {
  assert.equal(
    parseSubject("SUBJECT: SPECIAL ENVOY REICH'S MEETING WITH JOSE DIRCEU REF: BRASILIA 676"),
    "SPECIAL ENVOY REICH'S MEETING WITH JOSE DIRCEU",
  );
  assert.equal(
    parseSubject(
      "SUBJECT: AMBASSADOR'S AUGUST 23-24 VISIT TO SAO PAULO SENSITIVE BUT UNCLASSIFIED; PLEASE PROTECT",
    ),
    "AMBASSADOR'S AUGUST 23-24 VISIT TO SAO PAULO",
  );
});

test('Tokyo press summaries: the INDEX block is not part of the subject (06TOKYO1363)', () => {
  const body = 'SUBJECT:  DAILY SUMMARY OF JAPANESE PRESS 03/15/06\n  INDEX:\n(1) Poll on Koizumi cabinet\n';
  assert.equal(parseSubject(body), 'DAILY SUMMARY OF JAPANESE PRESS 03/15/06');
});

test('portion markings are removed in any case, HTML typed into media-partner text too', () => {
  assert.equal(
    parseSubject('SUBJECT: (s) germany requests release of xxxxxxxxxxxx\n\n'),
    'germany requests release of xxxxxxxxxxxx',
  );
  assert.equal(parseSubject('SUBJECT: (C) CZECH GOVERNMENT SAYS NO (U)\n\n'), 'CZECH GOVERNMENT SAYS NO');
  assert.equal(
    parseSubject('SUBJECT: (C) CZECH GOVERNMENT SAYS NO\n\n', { clean: false }),
    '(C) CZECH GOVERNMENT SAYS NO',
  );
  assert.equal(
    parseSubject("SUBJECT:</strong> GENERAL JAMES L. JONES' FIRST MEETINGS IN ISRAEL\n\n\n"),
    "GENERAL JAMES L. JONES' FIRST MEETINGS IN ISRAEL",
  );
  assert.equal(
    parseSubject('SUBJECT: Grants Support for PD Projects (Iceland) \n'),
    'Grants Support for PD Projects (Iceland)',
  );
});

test('no subject, odd input: empty string, never throws', () => {
  assert.equal(parseSubject(''), '');
  assert.equal(parseSubject('TAGS: PREL\n\n1. (C) text'), '');
  assert.equal(typeof parseSubject('SUBJECT:'.repeat(10000)), 'string');
});
