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

test('signer on a line that re-flowing or the site filled with something else (real cables)', () => {
  // 08TRIPOLI119, 06MOSCOW9482: a media-partner record's date after the name.
  assert.deepEqual(parseSigners('End text of diplomatic note\nSTEVENS 0 02/14/2008'), ['STEVENS']);
  assert.deepEqual(parseSigners('with a Druzhba premium. BURNS\t2006-08-30'), ['BURNS']);
  // 08MANAMA127: after a page marker; 06LONDON5958: after the post's web address.
  assert.deepEqual(parseSigners('FURTHER CBB VIGILANCE URGED MANAMA 00000127 002.2 OF 002 ERELI'), ['ERELI']);
  assert.deepEqual(
    parseSigners(
      "Visit London's Classified Website: http://www.state.sgov.gov/p/eur/london/index. cfm Tuttle",
    ),
    ['Tuttle'],
  );
  // 06BRASILIA1855, 08NEWDELHI638, 08STATE43817, 75TEHRAN2069: a full stop, HTML, trailers in mixed case.
  assert.deepEqual(parseSigners('to make his case with the voters. CHICOLA.'), ['CHICOLA']);
  assert.deepEqual(parseSigners('cleared this <br>\ncable. <br>\nMULFORD <br>\n</td></tr>\n</table>'), [
    'MULFORD',
  ]);
  assert.deepEqual(parseSigners('7. (U) Minimize considered.\nRice\n\n\nNnnn'), ['Rice']);
  assert.deepEqual(
    parseSigners('HELMS\n\nDeclassified/Released US Department of State EO\nSystematic Review 05 JUL 2006'),
    ['HELMS'],
  );
  assert.deepEqual(parseSigners('in the German nonpaper.\nTimken jr'), ['Timken jr']);
});

test('signer after closing words without a full stop, or on a line with a title', () => {
  // 10CAIRO113, 10KABUL104, 09CAIRO199: closing words on the signature's line.
  assert.deepEqual(parseSigners('passage of UNSCR 1908. MINIMIZE CONSIDERED SCOBEY'), ['SCOBEY']);
  assert.deepEqual(parseSigners('cross U.S. redlines. END COMMENT EIKENBERRY'), ['EIKENBERRY']);
  assert.deepEqual(parseSigners('President of the Community. END TEXT SCOBEY'), ['SCOBEY']);
  // A title before or after the name (titles.txt); a title alone is no signer.
  assert.deepEqual(parseSigners('END OF TEXT.\nAMBASSADOR SMITH'), ['SMITH']);
  assert.deepEqual(parseSigners('the end.\nDE PREE, ACTING'), ['DE PREE']);
  assert.deepEqual(parseSigners('the end.\nSmith, Charge'), ['Smith']);
  assert.deepEqual(parseSigners('the end.\nCHARGE'), []);
});

test('signer after a redaction, before a redaction line or the post web site line (real cables)', () => {
  // 08LONDON1853, 09CAIRO1226: after a redacted address or paragraph.
  assert.deepEqual(parseSigners("Visit London's Classified Website: XXXXXXXXXXXX TUTTLE"), ['TUTTLE']);
  assert.deepEqual(parseSigners('custody.\n\n3.(C) XXXXXXXXXXXX SCOBEY \n   .'), ['SCOBEY']);
  // 09STATE63860, 09ANKARA1549, 09BERN98: trailing redaction, web-site line, the site's backslashes.
  assert.deepEqual(parseSigners('upon request. CLINTON\nNNNN\nEnd Cable Text\n XXXXXXXXXXXX'), ['CLINTON']);
  assert.deepEqual(
    parseSigners(
      "Israel is a factor.\n\nJEFFREY\n\n“Visit Ankara's Classified Web Site at http://www.intelink.sgov.gov/wiki/Portal:Turkey”",
    ),
    ['JEFFREY'],
  );
  assert.deepEqual(parseSigners('secrecy altogether. \\\nCARTER \\'), ['CARTER']);
});

test('no signer from a pasted header line or a lone letter; a doubled signature is one (real cables)', () => {
  // 07PARIS3740, 08CANBERRA4, 06BANGKOK5811.
  assert.deepEqual(parseSigners('INFO RUCNMEM/EU MEMBER STATES\nRUCNMGH/MAGHREB COLLECTIVE'), []);
  assert.deepEqual(parseSigners('cleared by Under Secretary Burns.\n\n Y "'), []);
  assert.deepEqual(parseSigners('via septel.\nBOYCE BOYCE'), ['BOYCE']);
});
