import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ResponseCache } from '../../src/web/cache.js';

const page = (bytes: number) => ({
  status: 200,
  headers: [['content-type', 'text/html'] as [string, string]],
  body: new Uint8Array(bytes),
});

describe('ResponseCache', () => {
  it('keeps within its bound, evicting the entries not used since they last came up', () => {
    // Each 100-byte page costs 100 + its key (3) + ~600 bytes of bookkeeping: room for 20.
    const cost = 100 + 3 + 600;
    const cache = new ResponseCache(20 * cost);
    const key = (i: number) => `k${String(i).padStart(2, '0')}`;
    for (let i = 0; i < 20; i++) cache.set(key(i), 's', page(100));
    assert.ok(cache.get(key(0), 's'), 'the first entry is kept while there is room');
    cache.set(key(20), 's', page(100));
    // k01 was the oldest unused entry; k00, used, had a second chance.
    assert.equal(cache.get(key(1), 's'), undefined);
    assert.ok(cache.get(key(0), 's'));
    assert.ok(cache.get(key(20), 's'));
    for (let i = 21; i < 99; i++) cache.set(key(i), 's', page(100));
    let kept = 0;
    for (let i = 0; i < 99; i++) if (cache.get(key(i), 's')) kept++;
    assert.ok(kept >= 19 && kept <= 20, `${kept} entries kept`);
    assert.ok(cache.get(key(98), 's'), 'the newest is kept');
  });

  it('drops everything when the archive state changes, and refuses a body over 1/16 of the bound', () => {
    const cache = new ResponseCache(16 * 2000);
    cache.set('a', 's1', page(100));
    assert.ok(cache.get('a', 's1'));
    assert.equal(cache.get('a', 's2'), undefined);
    assert.equal(cache.get('a', 's1'), undefined, 'an old state does not come back');
    cache.set('big', 's2', page(2500));
    assert.equal(cache.get('big', 's2'), undefined);
  });

  it('hands the node front the headers flattened once, with the body length', () => {
    const cache = new ResponseCache(1 << 20);
    cache.set('a', 's', {
      status: 404,
      headers: [
        ['content-type', 'text/plain'],
        ['content-length', '9'],
      ],
      body: new Uint8Array(3),
    });
    const kept = cache.hit('a', 's');
    assert.equal(kept?.response.status, 404);
    assert.deepEqual(kept?.raw, ['content-type', 'text/plain', 'content-length', '3']);
  });
});
