import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDeclassifyOn } from '../../src/parse/declassify.js';

test('DECL line spellings from real cables', () => {
  assert.equal(parseDeclassifyOn('E.O. 12958: DECL: 09/10/2027\nTAGS: PREL'), '2027-09-10');
  assert.equal(parseDeclassifyOn('E.0. 12958: DECL: 03/05/11 \nTAGS: PREL'), '2011-03-05');
  assert.equal(parseDeclassifyOn('E.O. 12958: DECL:  8/1/2016 \n'), '2016-08-01');
  assert.equal(parseDeclassifyOn('E.O. 12958: DECL:11/15/17 \n'), '2017-11-15');
  assert.equal(parseDeclassifyOn('E.O. 12958: DECL: 2019/09/22 \n'), '2019-09-22');
  assert.equal(parseDeclassifyOn('E.O. 12958: DECL: 05/21/2015TAGS: PREL PGOV'), '2015-05-21');
});

test('no date: N/A, prose DECL words, invalid dates, garbage', () => {
  assert.equal(parseDeclassifyOn('E.O. 12958: N/A\nTAGS: ECON'), null);
  assert.equal(parseDeclassifyOn('E.O. 12958: DECL: TWENTY YEARS \n'), null);
  assert.equal(parseDeclassifyOn('The minister declined to comment.'), null);
  assert.equal(parseDeclassifyOn('E.O. 12958: DECL: 13/45/2010'), null);
  assert.equal(parseDeclassifyOn(''), null);
});
