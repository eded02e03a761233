import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cleanContent } from '../../src/parse/clean-content.js';

test('page header of a multi-page cable and paragraph markings go', () => {
  const text = '3. (C) MIGLIORE SAID.\n\nVATICAN 00001261  002 OF 003\n\n4. (C) CHARGE INQUIRED.\n';
  assert.equal(cleanContent(text), 'MIGLIORE SAID.\n\nCHARGE INQUIRED.\n');
});

test('summary/comment marks, rules and redactions go; words containing them stay', () => {
  assert.equal(cleanContent('5. (C) COMMENT: THE FACT. END COMMENT.\n'), 'THE FACT. \n');
  assert.equal(cleanContent('He commented on the summary report.\n'), 'He commented on the report.\n');
  assert.equal(cleanContent('met with XXXXXXXXXXXX today\n'), 'met with  today\n');
  assert.equal(cleanContent('Heading\n=======\n'), 'Heading\n\n');
  assert.equal(cleanContent('SIPDIS'), '');
});
