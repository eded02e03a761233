import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAddressee, parseInfoRecipients, parseRecipients } from '../../src/parse/recipients.js';

const rec = (
  route: string | null,
  name: string,
  precedence: string | null = null,
  mcn: string | null = null,
  excluded: string[] = [],
) => ({
  route,
  name,
  precedence,
  mcn,
  excluded,
});

test('route, name, precedence and MCN of an AMHS addressee line', () => {
  assert.deepEqual(
    parseAddressee('RUEHC/SECSTATE WASHDC IMMEDIATE 4460'),
    rec('RUEHC', 'SECSTATE WASHDC', 'IMMEDIATE', '4460'),
  );
  assert.deepEqual(
    parseAddressee('RUEHTH/AMEMBASSY ATHENS 0121'),
    rec('RUEHTH', 'AMEMBASSY ATHENS', null, '0121'),
  );
  assert.deepEqual(
    parseAddressee('RHBVAKS/COMUSNAVCENT  PRIORITY'),
    rec('RHBVAKS', 'COMUSNAVCENT', 'PRIORITY'),
  );
  assert.deepEqual(parseAddressee('AMEMBASSY TRIPOLI PIORITY'), rec(null, 'AMEMBASSY TRIPOLI', 'PRIORITY'));
  assert.deepEqual(
    parseAddressee('AMEMBASSY X NIACT IMMEDIATE 0001'),
    rec(null, 'AMEMBASSY X', 'NIACT IMMEDIATE', '0001'),
  );
});

test('MCN ranges of multi-section cables and MCNs glued to the name (real headers)', () => {
  assert.deepEqual(
    parseAddressee('RUEHKO/AMEMBASSY TOKYO PRIORITY 1256-1257'),
    rec('RUEHKO', 'AMEMBASSY TOKYO', 'PRIORITY', '1256-1257'),
  );
  assert.deepEqual(
    parseAddressee('RUEHC/SECSTATE WASHDC0000'),
    rec('RUEHC', 'SECSTATE WASHDC', null, '0000'),
  );
  // Office suffixes stay part of the name; a 3-digit number is not an MCN.
  assert.deepEqual(
    parseAddressee('USCINCCENT MACDILL AFB FL//POLAD//'),
    rec(null, 'USCINCCENT MACDILL AFB FL//POLAD//'),
  );
  assert.deepEqual(parseAddressee('SECSTATE WASHDC 475'), rec(null, 'SECSTATE WASHDC 475'));
});

test('page-break headers inside the TO block are removed (09STATE15113)', () => {
  const h =
    'P 182318Z FEB 09\nFM SECSTATE WASHDC\nTO PAGE 02        STATE   015113  182333Z \nALL DIPLOMATIC POSTS COLLECTIVE PRIORITY\nAMEMBASSY TRIPOLI PRIORITY';
  assert.deepEqual(parseRecipients(h), [
    rec(null, 'ALL DIPLOMATIC POSTS COLLECTIVE', 'PRIORITY'),
    rec(null, 'AMEMBASSY TRIPOLI', 'PRIORITY'),
  ]);
});

test('the MRN distribution list (INFO LOG-00 …) is not the INFO block (08STATE116943)', () => {
  const h = [
    'ORIGIN DS-00    ',
    '',
    'INFO  LOG-00   MFA-00   EEB-00   AF-00    AIT-00   A-00     CIAE-00  ',
    '      SAS-00   FA-00      /002R',
    '',
    'P 031812Z NOV 08',
    'FM SECSTATE WASHDC',
    'TO SECURITY OFFICER COLLECTIVE PRIORITY',
    'AMEMBASSY TRIPOLI PRIORITY ',
    'INFO AMCONSUL CASABLANCA PRIORITY ',
    'XMT AMCONSUL JOHANNESBURG',
    'AMCONSUL JOHANNESBURG',
  ].join('\n');
  // The XMT line in INFO excludes from the TO collective, as INFO holds no collective.
  assert.deepEqual(parseRecipients(h), [
    rec(null, 'SECURITY OFFICER COLLECTIVE', 'PRIORITY', null, ['AMCONSUL JOHANNESBURG']),
    rec(null, 'AMEMBASSY TRIPOLI', 'PRIORITY'),
  ]);
  assert.deepEqual(parseInfoRecipients(h), [rec(null, 'AMCONSUL CASABLANCA', 'PRIORITY')]);
});

test('XMT attaches to the collective of its own block (07SANJOSE1106)', () => {
  const h = [
    'TO RUEHC/SECSTATE WASHDC IMMEDIATE 8237',
    'INFO RUEHZA/WHA CENTRAL AMERICAN COLLECTIVE PRIORITY',
    'RUEHBJ/AMEMBASSY BEIJING PRIORITY 0127',
    'RUEHIN/AIT TAIPEI PRIORITY 0069',
    'XMT USSOCOM WO WASHINGTON DC',
  ].join('\n');
  const info = parseInfoRecipients(h);
  assert.deepEqual(info[0]?.excluded, ['USSOCOM WO WASHINGTON DC']);
  assert.equal(info.length, 3);
});

test('e-mail forward wrappers (To: …) are not the TO block (08TRIPOLI540)', () => {
  const h =
    'Sent: Tuesday, July 08, 2008 9:22 PM\nTo: EACTTripoli\n\nFM AMEMBASSY TRIPOLI\nTO RUEHC/SECSTATE WASHDC PRIORITY 3652\nINFO RUEHHH/OPEC COLLECTIVE';
  assert.deepEqual(parseRecipients(h), [rec('RUEHC', 'SECSTATE WASHDC', 'PRIORITY', '3652')]);
  assert.deepEqual(parseInfoRecipients(h), [rec('RUEHHH', 'OPEC COLLECTIVE')]);
});

test('never throws, empty input gives empty lists', () => {
  for (const s of ['', 'TO', 'INFO', 'XMT', 'TO \nXMT\n', '\n\n\n', 'x'.repeat(100000)]) {
    assert.ok(Array.isArray(parseRecipients(s)));
    assert.ok(Array.isArray(parseInfoRecipients(s)));
  }
});
