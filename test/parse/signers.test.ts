import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSigners } from '../../src/parse/signers.js';

test('signer on the last line, after trailers of media-partner pages', () => {
  assert.deepEqual(parseSigners('EXTRAORDINARY CONGRESS LATER THIS YEAR.\nMCDONALD\n CONFIDENTIAL\n>'), [
    'MCDONALD',
  ]);
  assert.deepEqual(
    parseSigners(
      'of peace process in the region.\nHARDT\nNNNN\n 2004VATICA03213 - Classification: CONFIDENTIAL',
    ),
    ['HARDT'],
  );
  assert.deepEqual(
    parseSigners(
      'sensitive positions. \nWOOD \n\n=======================CABLE ENDS============================',
    ),
    ['WOOD'],
  );
  assert.deepEqual(parseSigners('the results of Department\'s research. \n\nBLAKE "'), ['BLAKE']);
  assert.deepEqual(parseSigners('cleared this cable. HOAGLAND NNNN'), ['HOAGLAND']);
  assert.deepEqual(parseSigners('vision in advancing them.  End comment. \n \nvan Voorst'), ['van Voorst']);
});

test('signer after the last sentence of a re-flowed text, mixed case too', () => {
  assert.deepEqual(
    parseSigners('Post will continue to monitor these developments and report as warranted. McMullen'),
    ['McMullen'],
  );
  assert.deepEqual(parseSigners('took place before Hamas attack that killed one in Nativ Ha’asara.KURTZER'), [
    'KURTZER',
  ]);
});

test('no signer: a cut-off sentence, a banner, nothing', () => {
  assert.deepEqual(parseSigners('The monthly inflation rate for March was 5.6 percent. The'), []);
  assert.deepEqual(parseSigners('END COMMENT.\nCONFIDENTIAL'), []);
  assert.deepEqual(parseSigners(''), []);
});
