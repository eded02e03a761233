#!/usr/bin/env node
// Node 20's test runner expands no globs, so collect the test files ourselves and hand them over
// explicitly; an empty list is an error rather than a silent "0 tests".
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const roots = process.argv.slice(2).length ? process.argv.slice(2) : ['test', 'src'];
const files = roots
  .flatMap((root) =>
    root.endsWith('.ts') ? [root] : readdirSync(root, { recursive: true }).map((f) => join(root, String(f))),
  )
  .filter((f) => f.endsWith('.test.ts') || f.endsWith('.test.tsx'))
  .sort();
if (files.length === 0) {
  console.error('run-tests: no test files found');
  process.exit(1);
}
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=300000', ...files],
  {
    stdio: 'inherit',
  },
);
process.exit(r.status ?? 1);
