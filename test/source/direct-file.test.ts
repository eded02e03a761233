import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { closeSync, constants, existsSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openStreamFile, STAGE_BYTES } from '../../src/source/direct-file.js';

// Beside the project and in the system's temp directory, so that the direct path is exercised
// wherever a file system here supports it; /dev/shm is tmpfs, which refuses O_DIRECT before Linux 6.6.
const dirs = [
  mkdtempSync(join(tmpdir(), 'direct-file-')),
  mkdtempSync(join(import.meta.dirname, '.tmp-direct-')),
  ...(existsSync('/dev/shm') ? [mkdtempSync('/dev/shm/direct-file-')] : []),
];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function supportsDirect(dir: string): boolean {
  const flag = (constants as { O_DIRECT?: number }).O_DIRECT;
  if (flag === undefined) return false;
  const p = join(dir, 'probe');
  writeFileSync(p, 'x');
  try {
    closeSync(openSync(p, constants.O_RDONLY | flag));
    return true;
  } catch {
    return false;
  }
}

const SIZES = [
  0,
  1,
  4095,
  4096,
  4097,
  STAGE_BYTES - 1,
  STAGE_BYTES,
  STAGE_BYTES + 1,
  2 * STAGE_BYTES + 12345,
  // More than all the stages hold at once: stages are reused while reads are in flight.
  9 * STAGE_BYTES + 777,
];

describe('openStreamFile', () => {
  for (const dir of dirs) {
    const direct = supportsDirect(dir);
    for (const size of SIZES) {
      it(`reads a ${size}-byte file exactly, sequentially and at random (${direct ? 'O_DIRECT' : 'page cache'})`, async () => {
        const data = randomBytes(size);
        const p = join(dir, `f${size}`);
        writeFileSync(p, data);
        for (const mode of [true, false]) {
          const f = await openStreamFile(p, { direct: mode });
          try {
            assert.equal(f.direct, mode && direct, 'O_DIRECT used exactly where the file system allows it');
            // Sequential reads of odd sizes into odd offsets, as the CSV framer makes them.
            const out = Buffer.alloc(size + 8);
            let pos = 0;
            for (let step = 1; ; step = (step * 7 + 3) % 1_000_003) {
              const got = await f.read(out, 7 + pos, Math.min(step, size + 1 - pos), pos);
              pos += got;
              if (got === 0) break;
            }
            assert.equal(pos, size);
            assert.ok(out.subarray(7, 7 + size).equals(data));
            // Random ranges, backwards and across stage ends, and past the end of the file.
            let seed = size + 1;
            const rand = (n: number) => {
              seed = (seed * 1103515245 + 12345) % 2147483648;
              return seed % n;
            };
            for (let k = 0; k < 40; k++) {
              const at = rand(size + 10);
              const len = rand(STAGE_BYTES + 9000);
              const buf = Buffer.alloc(len);
              const got = await f.read(buf, 0, len, at);
              assert.equal(got, Math.max(0, Math.min(len, size - at)));
              assert.ok(buf.subarray(0, got).equals(data.subarray(at, at + got)), `range ${at}+${len}`);
            }
          } finally {
            await f.close();
          }
        }
      });
    }
  }
});
