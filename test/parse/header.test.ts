import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeRoute, parseDtg, parseHeader, parsePrecedence } from '../../src/parse/header.js';

test('DTG text and the UTC instant it denotes', () => {
  assert.deepEqual(parseDtg('O 110944Z SEP 07'), { text: '110944Z SEP 07', utc: '2007-09-11T09:44:00Z' });
  assert.deepEqual(parseDtg('P R 281848Z DEC 66'), { text: '281848Z DEC 66', utc: '1966-12-28T18:48:00Z' });
  // Partial extracts write the month in title case.
  assert.deepEqual(parseDtg('This record is a partial extract…\n\n291359Z Nov 00'), {
    text: '291359Z Nov 00',
    utc: '2000-11-29T13:59:00Z',
  });
  assert.equal(parseDtg('no group here'), null);
  assert.deepEqual(parseDtg('311200Z SEP 07'), { text: '311200Z SEP 07', utc: null });
  assert.deepEqual(parseDtg('012460Z JAN 09'), { text: '012460Z JAN 09', utc: null });
});

test('the year hint decides the century', () => {
  assert.equal(parseDtg('010000Z JAN 66', 1966)?.utc, '1966-01-01T00:00:00Z');
  assert.equal(parseDtg('010000Z JAN 05', 2005)?.utc, '2005-01-01T00:00:00Z');
  assert.equal(parseDtg('311200Z DEC 99', 2000)?.utc, '1999-12-31T12:00:00Z');
});

test('precedence from the prosign before the DTG', () => {
  assert.equal(parsePrecedence('O P 190243Z DEC 89\nFM SECSTATE WASHDC'), 'IMMEDIATE');
  assert.equal(parsePrecedence('R 211220Z NOV 73'), 'ROUTINE');
  assert.equal(parsePrecedence('P 300740Z MAY 08 ZDK'), 'PRIORITY');
  assert.equal(parsePrecedence('Z 010101Z JAN 09'), 'FLASH');
  assert.equal(parsePrecedence('FM X'), null);
});

test('a whole AMHS header (08MOSCOW1519)', () => {
  const h = [
    'VZCZCXRO6619',
    'PP RUEHBW',
    'DE RUEHMO #1519 1510740',
    'ZNY CCCCC ZZH',
    'P 300740Z MAY 08',
    'FM AMEMBASSY MOSCOW',
    'TO RUEHC/SECSTATE WASHDC PRIORITY 8302',
    'INFO RUEHXD/MOSCOW POLITICAL COLLECTIVE PRIORITY',
    'RHEHNSC/NSC WASHDC PRIORITY',
  ].join('\n');
  const r = parseHeader(h);
  assert.equal(r.transmissionId, 'VZCZCXRO6619');
  assert.equal(r.precedence, 'PRIORITY');
  assert.deepEqual(r.dtg, { text: '300740Z MAY 08', utc: '2008-05-30T07:40:00Z' });
  assert.equal(r.from, 'AMEMBASSY MOSCOW');
  assert.deepEqual(r.recipients, [
    { route: 'RUEHC', name: 'SECSTATE WASHDC', precedence: 'PRIORITY', mcn: '8302', excluded: [] },
  ]);
  assert.equal(r.infoRecipients.length, 2);
  assert.equal(r.infoRecipients[1]?.route, 'RHEHNSC');
  // The DE line's originating station, and every indicator the routing table knows, decoded.
  assert.equal(r.originRoute, 'RUEHMO');
  assert.equal(r.routes['RUEHMO'], 'AMEMBASSY MOSCOW');
  assert.equal(r.routes['RUEHC'], 'DEPT OF STATE WASHINGTON DC');
  assert.equal(r.routes['RHEHNSC'], 'WHITE HOUSE NATIONAL SECURITY COUNCIL WASHINGTON DC');
  assert.equal(r.routes['RUEHXD'], undefined);
});

test('partial extract header: no transmission id, DTG from the MRN stamp', () => {
  const r = parseHeader(
    'This record is a partial extract of the original cable. The full text of the original cable is not available.\n\n041058Z Nov 05',
  );
  assert.equal(r.transmissionId, null);
  assert.equal(r.from, null);
  assert.equal(r.dtg?.utc, '2005-11-04T10:58:00Z');
  assert.deepEqual(r.recipients, []);
  assert.equal(r.originRoute, null);
  assert.deepEqual(r.routes, {});
});

test('routing indicators decode through the table', () => {
  assert.equal(decodeRoute('RUEHBU'), 'AMEMBASSY BUENOS AIRES');
  assert.equal(decodeRoute('ruehbu'), 'AMEMBASSY BUENOS AIRES');
  assert.equal(decodeRoute('RBDWC'), 'MODUK, MODUK AIR, MODUK ARMY, MODUK NAVY, MODUK DES');
  assert.equal(decodeRoute('NOPE'), null);
});

test('never throws', () => {
  for (const s of ['', '\n', 'VZCZC', '999999Z XXX 99', 'FM', 'x'.repeat(200000)]) {
    assert.equal(typeof parseHeader(s), 'object');
  }
});
