import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Cable } from '../../src/cable/types.js';
import { parseCable } from '../../src/parse/cable.js';
import { loadRealCables } from './real-cables.js';

/** Every offset the parser reports must point inside the body it was given. */
function assertOffsetsInBody(c: Cable, body: string): void {
  const spans = [...c.paragraphs, ...c.markers, ...c.redactions];
  for (const s of spans) {
    assert.ok(
      0 <= s.start && s.start <= s.end && s.end <= body.length,
      `span ${s.start}-${s.end} of ${body.length}`,
    );
  }
  for (const m of c.markers) assert.equal(body.slice(m.start, m.end), m.text);
}

const cables = loadRealCables();
// Mutations of real text reach far more of the parser than random strings do.
const realText = fc.integer({ min: 0, max: cables.length - 1 }).map((i) => cables[i]!);
const mutated = fc
  .tuple(realText, fc.nat(), fc.nat(), fc.string({ unit: 'binary', maxLength: 40 }))
  .map(([c, a, b, insert]) => {
    const from = a % (c.body.length + 1);
    const to = Math.min(c.body.length, from + (b % 400));
    return { header: c.header, body: c.body.slice(0, from) + insert + c.body.slice(to), id: c.id };
  });

test('never throws, is deterministic, and keeps offsets inside the body — random text', () => {
  fc.assert(
    fc.property(
      fc.string({ unit: 'binary', maxLength: 3000 }),
      fc.string({ maxLength: 500 }),
      (body, header) => {
        const a = parseCable({ header, body });
        assertOffsetsInBody(a, body);
        assert.deepEqual(parseCable({ header, body }), a);
      },
    ),
    { numRuns: 300 },
  );
});

test('never throws and keeps offsets inside the body — mutated real cables', () => {
  fc.assert(
    fc.property(mutated, ({ header, body, id }) => {
      const a = parseCable({ header, body, referenceId: id });
      assertOffsetsInBody(a, body);
      assert.equal(JSON.stringify(parseCable({ header, body, referenceId: id })), JSON.stringify(a));
    }),
    { numRuns: 300 },
  );
});

test('degenerate inputs: empty, missing parts, huge, and only separators', () => {
  const inputs = [
    {},
    { header: null, body: null },
    { body: '' },
    { header: '\n\n\n' },
    { body: 'TAGS:' },
    { body: 'SUBJECT:\nREF:\n1.' },
    { body: '('.repeat(20000) },
    { body: `REF: ${'A. STATE 1 '.repeat(5000)}` },
    { body: 'X'.repeat(200000) },
    { referenceId: '????', year: 99999 },
  ];
  for (const input of inputs) {
    const c = parseCable(input);
    assert.ok(Array.isArray(c.tags) && typeof c.subject === 'string');
  }
});
