import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  hasForeignRecord,
  isMediaPartnerText,
  isPartialExtract,
  qualityFlags,
} from '../../src/parse/quality.js';

const PARTIAL =
  'This record is a partial extract of the original cable. The full text of the original cable is not available.';

test('partial extracts, in the header or in an embedded metadata block', () => {
  assert.equal(
    isPartialExtract(`${PARTIAL}\n\n291359Z Nov 00`, 'C O N F I D E N T I A L HARARE 006677'),
    true,
  );
  assert.equal(
    isPartialExtract('', `id: 15777\ndate: 4/7/2004 0:28\nrefid: 04BOGOTA3619\nheader:\n${PARTIAL}\n`),
    true,
  );
  assert.equal(isPartialExtract('VZCZCXRO1\nFM AMEMBASSY X', 'S E C R E T X 000001'), false);
});

test('records pasted into the body', () => {
  assert.equal(
    hasForeignRecord('id: 15777\ndate: 4/7/2004 0:28\nrefid: 04BOGOTA3619\norigin: Embassy Bogota\n'),
    true,
  );
  assert.equal(
    hasForeignRecord('Cable dated:2005-05-23T14:26:00\nS E C R E T SECTION 01 OF 02 SANAA 001352'),
    true,
  );
  assert.equal(
    hasForeignRecord('SOBEL \n",\n19205,7/29/2004 5:59,04THEHAGUE1903,"Embassy The Hague",UNCLASSIFIED'),
    true,
  );
  // 73TEHRAN8233: another cable (08STATE15228 / THE HAGUE 174) follows the first one's text.
  assert.equal(
    hasForeignRecord(
      'S E C R E T TEHRAN 8233 \n\n1. AFTER …\n\n08STATE15228\nS E C R E T THE HAGUE 000174\nSIPDIS',
    ),
    true,
  );
  // Section banners of the same cable are not foreign.
  assert.equal(
    hasForeignRecord(
      'C O N F I D E N T I A L SECTION 01 OF 03 HARARE 006677\n…\nC O N F I D E N T I A L SECTION 02 OF 03 HARARE 006677',
    ),
    false,
  );
});

test('media-partner texts', () => {
  assert.equal(
    isMediaPartnerText(
      'Thursday, 07 March 2002, 10:13\nC O N F I D E N T I A L SECTION 01 OF 02 ROME 001196',
    ),
    true,
  );
  assert.equal(isMediaPartnerText('C o n f i d e n t i a l section 01 of 03 damascus 000389'), true);
  assert.equal(isMediaPartnerText('SIPDIS <br>\n<br>\nE.O. 12958'), true);
  assert.equal(isMediaPartnerText('C O N F I D E N T I A L PARIS 000159 \n \nSIPDIS'), false);
});

test('flags of a whole cable; parsed values override the fallbacks', () => {
  const body =
    'S E C R E T KUWAIT 000166 \n \n TAG KU, CVIS, CMGT \n SUBJECT: VISA REVOCATION KUWAIT \n 3. XXXXXXXXXXXX said';
  assert.deepEqual(qualityFlags('VZCZCXYZ0009', body), ['redactions']);
  assert.deepEqual(qualityFlags(PARTIAL, body, { tags: [], subject: '' }), [
    'partial-extract',
    'missing-tags',
    'missing-subject',
    'redactions',
  ]);
  assert.deepEqual(qualityFlags(null, null), ['missing-tags', 'missing-subject']);
});
