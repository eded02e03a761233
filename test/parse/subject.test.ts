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

test('a page marker inside the subject line is cut out (08TRIPOLI248, 08LONDON2683)', () => {
  assert.equal(
    parseSubject(
      'SUBJECT: SECURITY PROCEDURES AND EMERGENCY RESPONSE AT TRIPOLI INTERNATIONAL AIRPORT TRIPOLI 00000248 001.2 OF 003 \n\nREF: A',
    ),
    'SECURITY PROCEDURES AND EMERGENCY RESPONSE AT TRIPOLI INTERNATIONAL AIRPORT',
  );
  assert.equal(
    parseSubject(
      'SUBJECT: HMG ACKNOWLEDGES UK ECONOMY LONDON 00002683 001.2 OF 002 ENTERING RECESSION\n\n1. (U)',
    ),
    'HMG ACKNOWLEDGES UK ECONOMY ENTERING RECESSION',
  );
  assert.equal(
    parseSubject('SUBJECT: NSA SUGGESTS INDIA WILL VOTE NEW DELHI 00000265 001.2 OF 002 AGAINST IRAN\n\n'),
    'NSA SUGGESTS INDIA WILL VOTE AGAINST IRAN',
  );
  // A wrapped line that ends in the marker keeps its words; a marker on its own line ends the subject.
  assert.equal(
    parseSubject(
      'SUBJECT: WRITING THE NEXT CHAPTER OF THE US-LIBYA\nRELATIONSHIP TRIPOLI 00000583 001.2 OF 003\n\nREF: A',
    ),
    'WRITING THE NEXT CHAPTER OF THE US-LIBYA RELATIONSHIP',
  );
  assert.equal(parseSubject('SUBJECT: FOO BAR\nTRIPOLI 00000583 001.2 OF 003\nBODY TEXT'), 'FOO BAR');
});

test('a double-spaced subject goes on after the blank line when its line cannot end a title', () => {
  // 07LONDON4045, 08TRIPOLI680, 08SANJOSE930: a possessive, a preposition, a line opening with AND.
  assert.equal(
    parseSubject(
      "SUBJECT: EUR SENIOR ADVISOR PANDITH AND S/P ADVISOR COHEN'S \n\nVISIT TO THE UK, OCTOBER 9-14, 2007\n\nREF: LONDON 4030",
    ),
    "EUR SENIOR ADVISOR PANDITH AND S/P ADVISOR COHEN'S VISIT TO THE UK, OCTOBER 9-14, 2007",
  );
  assert.equal(
    parseSubject(
      'SUBJECT: SCENESETTER FOR SECRETARY RICE’S VISIT TO \n\nLIBYA \n\nCLASSIFIED BY: Chris Stevens',
    ),
    'SCENESETTER FOR SECRETARY RICE’S VISIT TO LIBYA',
  );
  assert.equal(
    parseSubject(
      'SUBJECT: COSTA RICA INCSR REPORT 2008-2009 PART II, MONEY LAUNDERING \n \nAND FINANCIAL CRIMES \n \nREF: STATE 103810',
    ),
    'COSTA RICA INCSR REPORT 2008-2009 PART II, MONEY LAUNDERING AND FINANCIAL CRIMES',
  );
  // A complete title, or a routing line after the blank line, ends it (07SANJOSE188, 05THEHAGUE3008).
  assert.equal(
    parseSubject('SUBJECT: REPLY TO ACTION REQUEST\n\nDEPT FOR WHA/CEN JASON MACK\n\n1. (U)'),
    'REPLY TO ACTION REQUEST',
  );
  assert.equal(
    parseSubject("SUBJECT: MOHAMMAD B'S NEIGHBORHOOD AND\n\nTHIS CABLE IS SENSITIVE BUT UNCLASSIFIED."),
    "MOHAMMAD B'S NEIGHBORHOOD AND",
  );
});

test('a Classified-By line run onto the subject ends it, glued or misspelt too', () => {
  assert.equal(parseSubject('SUBJECT: BUDGET 2009Classified By: Ambassador X'), 'BUDGET 2009');
  assert.equal(
    parseSubject('SUBJECT: FTAA COMPROMISE POSSIBLE Classfied By: Janice Fair'),
    'FTAA COMPROMISE POSSIBLE',
  );
  assert.equal(parseSubject('SUBJECT: CLASSIFIED DOCUMENTS LEAK\n\n1. (U)'), 'CLASSIFIED DOCUMENTS LEAK');
});
