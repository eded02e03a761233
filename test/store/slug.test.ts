import assert from 'node:assert/strict';
import { test } from 'node:test';
import { slugify } from '../../src/store/slug.js';

test('origin slugs are stable and unique', () => {
  assert.equal(slugify('Embassy Paris'), 'embassy-paris');
  assert.equal(slugify('American Institute Taiwan, Taipei'), 'american-institute-taiwan-taipei');
  assert.equal(slugify('Consulate São Paulo'), 'consulate-sao-paulo');
  assert.equal(slugify('USUN New York'), 'usun-new-york');
});
