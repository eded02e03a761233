import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isPublic, nowParam, publicWhere } from '../../src/store/visibility.js';

test('a cable is public only once its release time has passed', () => {
  const now = new Date('2011-08-26T00:00:00.500Z');
  assert.equal(isPublic(null, now), false);
  assert.equal(isPublic('', now), false);
  assert.equal(isPublic('not a date', now), false);
  assert.equal(isPublic('2011-08-26T00:00:01Z', now), false);
  assert.equal(isPublic('2011-08-25T23:59:59Z', now), true);
  assert.equal(isPublic('2011-08-26T00:00:00.400Z', now), true);
  assert.equal(isPublic('2011-08-26T00:00:00.600Z', now), false);
});

test('the SQL predicate binds @now and refuses odd aliases', () => {
  assert.equal(publicWhere('c'), '(c.released_at IS NOT NULL AND c.released_at <= @now)');
  assert.throws(() => publicWhere('c; DROP TABLE cables'));
  assert.equal(nowParam(new Date('2011-01-01T00:00:00Z')), '2011-01-01T00:00:00.000Z');
});
