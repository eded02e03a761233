/**
 * npm run bench:parse — parser throughput on the real dev cables, one core.
 *
 * Runs side by side, in the same process and over the same texts:
 *  - `parseCable` (the full parser), and
 *  - a floor: scanning every line of the same texts with one trivial regex, which is roughly the
 *    least any line-oriented parser has to do.
 * cablemap (Python 2) parses these pages at about 80 cables/s on this machine (issue 2); it cannot
 * run here (no Python 2), so the ratio against it is computed from that figure.
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Bench } from 'tinybench';
import { parseCable } from '../src/parse/cable.js';

const CABLEMAP_CABLES_PER_S = 80;
const fixtures = process.env['CABLES_FIXTURES'] ?? join(import.meta.dirname, '..', '..', 'shared');
const records = gunzipSync(readFileSync(join(fixtures, 'corpus', 'cables.dev.jsonl.gz')))
  .toString('utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as { id: string; header: string; body: string });
const bytes = records.reduce((n, r) => n + Buffer.byteLength(r.header) + Buffer.byteLength(r.body), 0);

let sink = 0;
const bench = new Bench({ iterations: 5, warmupIterations: 1, time: 0 });
bench
  .add('parseCable (all fields)', () => {
    for (const r of records)
      sink += parseCable({ header: r.header, body: r.body, referenceId: r.id }).tags.length;
  })
  .add('floor: split lines + one regex per line', () => {
    const re = /^\d+\. /;
    for (const r of records) {
      for (const line of `${r.header}\n${r.body}`.split('\n')) if (re.test(line)) sink++;
    }
  });
await bench.run();

console.log(`# bench:parse — ${records.length} real cables, ${(bytes / 1e6).toFixed(1)} MB, one core`);
console.log(`# node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}\n`);
const rows = bench.tasks.map((t) => {
  const ms = t.result?.latency?.p50 ?? Number.NaN; // median time of one pass over all cables
  return { name: t.name, ms, cps: (records.length * 1000) / ms, mbps: bytes / 1e6 / (ms / 1000) };
});
const parser = rows[0]!;
const floor = rows[1]!;
for (const r of rows) {
  console.log(
    `${r.name.padEnd(42)} ${r.ms.toFixed(0).padStart(6)} ms/pass  ${r.cps.toFixed(0).padStart(8)} cables/s  ${r.mbps.toFixed(1).padStart(6)} MB/s`,
  );
}
console.log(`\nparser vs floor: ${(parser.ms / floor.ms).toFixed(1)}× the floor's time`);
console.log(
  `parser vs cablemap (${CABLEMAP_CABLES_PER_S} cables/s): ${(parser.cps / CABLEMAP_CABLES_PER_S).toFixed(0)}× (target ≥ 50×)`,
);
if (sink < 0) console.log(sink);
