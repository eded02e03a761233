import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';

// Linux only: elsewhere nameThread does nothing, and there is no /proc to look at.
const linux = process.platform === 'linux';

test('nameThread names the calling thread and no other', { skip: !linux && 'Linux only' }, async () => {
  const before = readFileSync('/proc/thread-self/comm', 'utf8');
  const threads = new URL('../../src/util/threads.ts', import.meta.url).href;
  const api = import.meta.resolve('tsx/esm/api');
  // The worker names itself as the ingest's threads do, then reports what the kernel holds for it.
  const code = `
    const { parentPort } = await import('node:worker_threads');
    const { readFileSync } = await import('node:fs');
    (await import(${JSON.stringify(api)})).register();
    const { nameThread } = await import(${JSON.stringify(threads)});
    nameThread('cables-test-thread-with-a-long-name');
    parentPort.postMessage(readFileSync('/proc/thread-self/comm', 'utf8'));
  `;
  const w = new Worker(`(async () => { ${code} })()`, { eval: true });
  const name = await new Promise<string>((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
  });
  await w.terminate();
  assert.equal(name, 'cables-test-thr\n', 'the kernel keeps 15 bytes of the name');
  assert.equal(readFileSync('/proc/thread-self/comm', 'utf8'), before, 'the main thread keeps its name');
});
