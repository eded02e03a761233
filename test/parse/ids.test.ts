import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  canonicalizeId,
  editCost,
  isRealStation,
  resolveStation,
  splitId,
  stationOf,
} from '../../src/parse/ids.js';

test('canonical IDs of well-formed and abbreviated IDs', () => {
  assert.equal(canonicalizeId('09STATE126780'), '09STATE126780');
  assert.equal(canonicalizeId('05RIO123'), '05RIODEJANEIRO123');
  assert.equal(canonicalizeId('06SECSTATE123'), '06STATE123');
  assert.equal(canonicalizeId('06PORT-OF-SPAIN123'), '06PORTOFSPAIN123');
  assert.equal(canonicalizeId('06TBILISI0619'), '06TBILISI619');
  assert.equal(canonicalizeId(' 10REYKJAVIK13 '), '10REYKJAVIK13');
});

test('EMBASSY, AMEMBASSY and USMISSION are no part of a station', () => {
  assert.equal(canonicalizeId('05EMBASSYVIENNA1'), '05VIENNA1');
  assert.equal(canonicalizeId('09AMEMBASSYHANOI1284'), '09HANOI1284');
});

test('SECTION-line debris of the release, typos included', () => {
  for (const [bad, good] of [
    ['08ECTION01OF02MANAMA492', '08MANAMA492'],
    ['08SECTIN03OF03KABUL3036', '08KABUL3036'],
    ['09SECTIOQ1OF06HARARE876', '09HARARE876'],
    ['08SCTION02OF02SAOPAULO335', '08SAOPAULO335'],
    ['06SECTIKN01OF03MINSK1223', '06MINSK1223'],
    ['09SQCTION02OF02DUSHANBE143', '09DUSHANBE143'],
    ['09SECTION02OF03QRIPOLI583', '09TRIPOLI583'],
    ['07SECTION02OF03EIJING483', '07BEIJING483'],
  ]) {
    assert.equal(canonicalizeId(bad!), good, bad);
  }
});

test('banner words glued to the station, junk after the serial, doubled year', () => {
  assert.equal(canonicalizeId('08EFTOLONDON2883'), '08LONDON2883');
  assert.equal(canonicalizeId('85NOFORNMOGADISHU1643'), '85MOGADISHU1643');
  assert.equal(canonicalizeId('09SIFIEDABUJA1673'), '09ABUJA1673');
  assert.equal(canonicalizeId('90STATE255577TOSEC140323'), '90STATE255577');
  assert.equal(canonicalizeId('07OSLO000160ZDK164'), '07OSLO160');
  assert.equal(canonicalizeId('06MADRID002583ZFR2585'), '06MADRID2583');
  assert.equal(canonicalizeId('7575LIBREVILLE1895'), '75LIBREVILLE1895');
});

test('misspelt stations of the release map to the frequent station they are one edit from', () => {
  for (const [bad, good] of [
    ['07SOIA828', '07SOFIA828'],
    ['08IHARTOUM1126', '08KHARTOUM1126'],
    ['06NDJAENA1382', '06NDJAMENA1382'],
    ['06BRAILIA1079', '06BRASILIA1079'],
    ['09KINHASA1056', '09KINSHASA1056'],
    ['09BAU339', '09BAKU339'],
    ['06ANOI582', '06HANOI582'],
    ['07QXICO3307', '07MEXICO3307'],
    ['07BUENOSQRES633', '07BUENOSAIRES633'],
    ['01WELLINGOTN12', '01WELLINGTON12'],
    ['08KUALALUMP1234', '08KUALALUMPUR1234'],
  ]) {
    assert.equal(canonicalizeId(bad!), good, bad);
  }
});

test('real rare stations and unknown offices are not "corrected"', () => {
  for (const id of [
    '88BONN31258',
    '91LENINGRAD4146',
    '09KRAKOW14',
    '87MADRAS3111',
    '09MERIDA30',
    '06SECDEF123',
  ]) {
    assert.equal(canonicalizeId(id), id);
  }
  assert.equal(canonicalizeId('02BRUSSELS12'), '02BRUSSELS12');
  assert.ok(isRealStation('BONN'));
  assert.ok(!isRealStation('SOIA'));
  assert.ok(!isRealStation('EFTOLONDON'));
});

test('whole-ID corrections from the table', () => {
  assert.equal(canonicalizeId('08SECTION01GF02BISHIEK21'), '08BISHKEK1021');
  assert.equal(canonicalizeId('06ASTANA'), '06ASTANA204');
});

test('never throws on garbage', () => {
  for (const s of ['', '   ', 'X', '12', '092OF5', 'ZZZZZZ', '0'.repeat(10000), '¶¶¶']) {
    assert.equal(typeof canonicalizeId(s), 'string');
  }
  assert.equal(canonicalizeId('092OF5'), '092OF5');
});

test('station resolution for REF citations keeps their own names', () => {
  assert.equal(resolveStation('AITTAIPEI', 'ref'), 'TAIPEI');
  assert.equal(resolveStation('TAIPEI', 'id'), 'AITTAIPEI');
  assert.equal(resolveStation('ADDIS', 'ref'), 'ADDIS');
  assert.equal(resolveStation('Colomobo', 'ref'), 'COLOMBO');
  assert.equal(resolveStation('SANTIAG0', 'ref'), 'SANTIAGO');
  assert.equal(resolveStation('Part', 'ref'), null);
  assert.equal(resolveStation('UNSCR', 'ref'), null);
  assert.equal(resolveStation('INCSR BRAZIL', 'ref'), null);
});

test('helpers', () => {
  assert.deepEqual(splitId('08SECTION01OF02CHISINAU976'), { year: '08', station: 'CHISINAU', serial: '976' });
  assert.equal(stationOf('09EFTOLONDON2468'), 'LONDON');
  assert.equal(editCost('SOIA', 'SOFIA'), 1);
  assert.equal(editCost('BRUSSQLS', 'BRUSSELS'), 0.5);
});

test('qualifiers, agency codes and locations of the routing table are no part of a station', () => {
  // `AMCONSUL MELBOURNE`, `USOFFICE FSC CHARLESTON SC`, `USMISSION USOSCE VIENNA AU`, `MEXICO CITY`.
  assert.equal(canonicalizeId('06AMCONSULMELBOURNE12'), '06MELBOURNE12');
  assert.equal(canonicalizeId('09CONSULATEHONGKONG3'), '09HONGKONG3');
  assert.equal(canonicalizeId('09USMISSIONGENEVA3'), '09GENEVA3');
  assert.equal(canonicalizeId('09FSCCHARLESTONSC4'), '09CHARLESTON4');
  assert.equal(canonicalizeId('08USOSCEVIENNA12'), '08USOSCE12');
  assert.equal(canonicalizeId('08GUATEMALACITY12'), '08GUATEMALA12');
  assert.equal(canonicalizeId('07KUWAITCITY5'), '07KUWAIT5');
  assert.equal(canonicalizeId('09USUNNEWYORKNY5'), '09USUNNEWYORK5');
  // The location left out of a station that carries it (all-ids: 09UNESCOPARIS1536, CDC ATLANTA GA).
  assert.equal(canonicalizeId('09UNESCOPARIS1536'), '09UNESCOPARISFR1536');
  assert.equal(canonicalizeId('08CDCATLANTA12'), '08CDCATLANTAGA12');
  // Real stations stay, however like a suffixed name they look.
  assert.equal(canonicalizeId('10USTRGENEVA12'), '10USTRGENEVA12');
  assert.equal(canonicalizeId('08BERLIN3'), '08BERLIN3');
});

test('a station cut short or misspelt resolves to the one station of its year it fits', () => {
  assert.equal(canonicalizeId('08BUENOS33'), '08BUENOSAIRES33');
  assert.equal(canonicalizeId('06TEGUCIG12'), '06TEGUCIGALPA12');
  assert.equal(canonicalizeId('09ADDISABAB12'), '09ADDISABABA12');
  assert.equal(canonicalizeId('09PRINSTINA3'), '09PRISTINA3');
  assert.equal(canonicalizeId('06NEWDEHLI12'), '06NEWDELHI12');
  // Two edits for a long name within its year (HELSINKI, 2009).
  assert.equal(canonicalizeId('09HELSNIKKI3'), '09HELSINKI3');
  // Handling words and their tails glued before the station.
  assert.equal(canonicalizeId('09EXDISLONDON12'), '09LONDON12');
  assert.equal(canonicalizeId('09FIDENTIALLONDON3'), '09LONDON3');
  // Two letters fewer or more are no typo: `UNVIENNA` is not VIENNA.
  assert.equal(canonicalizeId('09UNVIENNA3'), '09UNVIENNA3');
  // One edit off one station and the start of another: either could be meant.
  assert.equal(canonicalizeId('10JAKAR12'), '10JAKAR12');
  assert.equal(canonicalizeId('10NAIRO12'), '10NAIRO12');
  // Too short or too far from any one station: left as written.
  assert.equal(canonicalizeId('09SAN12'), '09SAN12');
  assert.equal(canonicalizeId('09XYZZYQ12'), '09XYZZYQ12');
});

test('an ID typed with spaces, dots or a four-digit year', () => {
  assert.equal(canonicalizeId('09 STATE 1234'), '09STATE1234');
  assert.equal(canonicalizeId('06PORT.OF.SPAIN123'), '06PORTOFSPAIN123');
  assert.equal(canonicalizeId('2009STATE1234'), '09STATE1234');
  assert.equal(canonicalizeId('1975LIBREVILLE12'), '75LIBREVILLE12');
});
