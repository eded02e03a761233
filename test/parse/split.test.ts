import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitHeaderBody } from '../../src/parse/split.js';
import { loadRealCables } from './real-cables.js';

test('header + body of real cables split back apart', () => {
  let tried = 0;
  const wrong: string[] = [];
  for (const c of loadRealCables()) {
    if (!c.header.trim() || c.header.startsWith('This record is a partial extract')) continue;
    tried++;
    const s = splitHeaderBody(`${c.header}\n${c.body}`);
    if (s.header !== c.header || s.body !== c.body) wrong.push(c.id);
  }
  console.log(`split round trip: ${tried - wrong.length} / ${tried}; wrong: ${wrong.slice(0, 20).join(' ')}`);
  // About 2% of real texts have no clean boundary (pasted metadata records, e-mail wrappers inside
  // the body, old MRN headers); their split is a best guess, so the bar is 97.5%, not 100%.
  assert.ok(wrong.length / tried < 0.025, `${wrong.length} of ${tried} split wrongly`);
});

test('text without a header is all body; a header without a body is all header', () => {
  assert.deepEqual(splitHeaderBody('UNCLAS SECTION 01 OF 02 STATE 000123\n\nTAGS: PGOV'), {
    header: '',
    body: 'UNCLAS SECTION 01 OF 02 STATE 000123\n\nTAGS: PGOV',
  });
  assert.deepEqual(splitHeaderBody('R 281418Z JUL 05\nFM AMEMBASSY MINSK\nTO SECSTATE WASHDC'), {
    header: 'R 281418Z JUL 05\nFM AMEMBASSY MINSK\nTO SECSTATE WASHDC',
    body: '',
  });
  assert.deepEqual(splitHeaderBody('R 281418Z JUL 05\nFM AMEMBASSY MINSK\nTO SECSTATE WASHDC\n\nTHE TEXT'), {
    header: 'R 281418Z JUL 05\nFM AMEMBASSY MINSK\nTO SECSTATE WASHDC',
    body: 'THE TEXT',
  });
});
