import assert from 'node:assert/strict';
import { test } from 'node:test';
import { textHash } from '../../src/ingest/hash.js';

test('the text hash is the digest archives already hold: SHA-256 of header, NUL, body as UTF-8', () => {
  // Computed with the first implementation (three Hash.update calls); a stored version's hash must
  // not change, or re-ingesting the same text would add a version instead of changing nothing.
  assert.equal(
    textHash('FM AMEMBASSY PARIS', 'SUBJECT: SÃO PAULO\n1. (C) TEXT.'),
    'c684f0a65b872826816f99e211019d9c4f623631e1031f79d4d09060436735cb',
  );
  // Moving a line between header and body is a different text.
  assert.notEqual(textHash('A\nB', 'C'), textHash('A', 'B\nC'));
});
