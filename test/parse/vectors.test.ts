import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { fixture, projectRoot } from '../fixtures.js';
import { dispatch, type Vector } from './vector-dispatch.js';

/**
 * Runs every cablemap test vector through our parser. A vector is named `L<line> <kind>` after its
 * line in dev.jsonl. Known failures live in known-failures.txt, which may only shrink: the test
 * fails on a new failure and on a listed vector that now passes (so the list gets trimmed).
 */
const KNOWN_FAILURES = `${projectRoot}/test/parse/known-failures.txt`;

function loadKnownFailures(): Set<string> {
  const out = new Set<string>();
  for (const line of readFileSync(KNOWN_FAILURES, 'utf8').split('\n')) {
    const key = line.replace(/#.*/, '').trim();
    if (key) out.add(key);
  }
  return out;
}

test('cablemap vectors: pass rate per kind, no failure outside the known list', () => {
  const lines = readFileSync(fixture('vectors', 'dev.jsonl'), 'utf8').split('\n');
  const known = loadKnownFailures();
  // VECTOR_KINDS=tags,subject narrows a run while working on one parser; the full suite runs all.
  const only = process.env['VECTOR_KINDS']?.split(',').filter(Boolean);
  const perKind = new Map<string, { pass: number; total: number; upstream: number }>();
  const unexpected: string[] = [];
  const fixed: string[] = [];
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    const v = JSON.parse(line) as Vector & { upstream_passes: boolean };
    if (only && !only.includes(v.kind)) return;
    const key = `L${i + 1} ${v.kind}`;
    const run = dispatch[v.kind];
    assert.ok(run, `no parser function for vector kind ${v.kind}`);
    let actual: unknown;
    try {
      actual = run(v.input);
    } catch (e) {
      actual = `THREW ${(e as Error).message}`;
    }
    const ok = isDeepStrictEqual(actual, v.expected);
    const s = perKind.get(v.kind) ?? { pass: 0, total: 0, upstream: 0 };
    s.total++;
    if (ok) s.pass++;
    if (v.upstream_passes) s.upstream++;
    perKind.set(v.kind, s);
    if (!ok && !known.has(key)) {
      unexpected.push(
        `${key} (${v.origin})\n    input:    ${JSON.stringify(v.input).slice(0, 300)}\n    expected: ${JSON.stringify(v.expected)}\n    actual:   ${JSON.stringify(actual)}`,
      );
    }
    if (ok && known.has(key)) fixed.push(key);
  });

  let pass = 0;
  let total = 0;
  let upstream = 0;
  const rows = [...perKind.entries()].sort(([a], [b]) => a.localeCompare(b));
  console.log('\nkind                     ours        cablemap');
  for (const [kind, s] of rows) {
    pass += s.pass;
    total += s.total;
    upstream += s.upstream;
    const pct = (n: number) => `${((100 * n) / s.total).toFixed(1)}%`.padStart(6);
    console.log(
      `${kind.padEnd(24)} ${`${s.pass}/${s.total}`.padStart(7)} ${pct(s.pass)}  ${pct(s.upstream)}`,
    );
  }
  console.log(
    `${'all'.padEnd(24)} ${`${pass}/${total}`.padStart(7)} ${((100 * pass) / total).toFixed(1).padStart(5)}%  ${((100 * upstream) / total).toFixed(1).padStart(5)}%\n`,
  );

  assert.deepEqual(fixed, [], `these vectors now pass: remove them from ${KNOWN_FAILURES}`);
  assert.equal(unexpected.length, 0, `vectors failing outside the known list:\n${unexpected.join('\n')}`);
});
