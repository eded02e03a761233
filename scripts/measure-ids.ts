/**
 * Measures canonicalizeId on real IDs.
 *
 * 1. Every ID of the release (all-ids.csv.gz): how many are already canonical, how many we rewrite
 *    (each rewrite printed with whether the result is itself an ID of the release), and which
 *    stations we leave unknown.
 * 2. The dev cables (cables.dev.jsonl.gz): canonicalizeId(record.id) must be an ID of the release,
 *    or a rewrite of a malformed one.
 *
 * 3. The REF blocks of the dev cables: how many cable citations resolve to an ID of the release
 *    (a proxy for precision: most cited cables were never released, so 100 % is not the goal).
 *
 * Usage: node --import tsx scripts/measure-ids.ts [--all] [--refs]
 *   --all prints every rewrite, --refs every citation that does not resolve.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { canonicalizeId, fullYear, isRealStation, splitId, stationOf } from '../src/parse/ids.js';
import { parseReferences } from '../src/parse/references.js';
import { fixture } from '../test/fixtures.js';

const showAll = process.argv.includes('--all');
const ids = gunzipSync(readFileSync(fixture('corpus', 'all-ids.csv.gz')))
  .toString('utf8')
  .split(/\r?\n/)
  .map((l) => l.split(',')[0]?.trim() ?? '')
  .filter(Boolean);
const idSet = new Set(ids);

let same = 0;
const rewrites: string[] = [];
const unknown = new Map<string, string[]>();
for (const id of ids) {
  const c = canonicalizeId(id);
  if (c === id) same++;
  else rewrites.push(`${id} -> ${c}${idSet.has(c) ? '  (exists)' : ''}`);
  const st = stationOf(id);
  if (!st || !isRealStation(st)) {
    const raw = splitId(id)?.station ?? id;
    unknown.set(raw, [...(unknown.get(raw) ?? []), id]);
  }
}
console.log(`all-ids: ${ids.length} IDs, ${same} unchanged, ${rewrites.length} rewritten`);
const shown = showAll ? rewrites : rewrites.filter((r) => !/^\d\d(SECSTATE|TAIPEI|PARISFR|WASHDC)\d/.test(r));
for (const r of shown) console.log(`  ${r}`);
console.log(`stations still unknown after canonicalisation (${unknown.size}):`);
for (const [s, list] of unknown)
  console.log(`  ${s}: ${list.slice(0, 3).join(' ')}${list.length > 3 ? ' …' : ''}`);

const showRefs = process.argv.includes('--refs');
let n = 0;
let exists = 0;
let cites = 0;
let resolved = 0;
let withRefs = 0;
let nonCable = 0;
const unresolved: string[] = [];
let corrected = 0;
const odd: string[] = [];
for (const line of gunzipSync(readFileSync(fixture('corpus', 'cables.dev.jsonl.gz')))
  .toString('utf8')
  .split('\n')) {
  if (!line.trim()) continue;
  const { id, body } = JSON.parse(line) as { id: string; body: string };
  n++;
  const c = canonicalizeId(id);
  const refs = parseReferences(body, fullYear(Number(id.slice(0, 2))), id);
  if (refs.length) withRefs++;
  for (const r of refs) {
    if (r.kind !== 'cable') {
      nonCable++;
      continue;
    }
    cites++;
    if (r.id && idSet.has(r.id)) resolved++;
    else unresolved.push(`${id}: ${r.bullet ?? '-'} ${JSON.stringify(r.value)} -> ${r.id}`);
  }
  if (idSet.has(c)) exists++;
  else if (c !== id && isRealStation(stationOf(c) ?? '')) corrected++;
  else odd.push(`${id} -> ${c}`);
}
console.log(
  `dev cables: ${n}; canonical ID in all-ids ${exists} (${((100 * exists) / n).toFixed(2)}%), ` +
    `malformed ID corrected to a real station ${corrected}, total ${(((exists + corrected) * 100) / n).toFixed(2)}%`,
);
for (const o of odd) console.log(`  odd: ${o}`);
console.log(
  `REF blocks: ${withRefs} cables with references, ${cites} cable citations, ${resolved} resolve to an ID of ` +
    `the release (${((100 * resolved) / Math.max(1, cites)).toFixed(2)}%), ${nonCable} other references`,
);
if (showRefs) for (const u of unresolved) console.log(`  unresolved: ${u}`);

// 4. Garbled stations: every station with enough IDs, in a year it occurs in, cut short, with a
// letter dropped, doubled or two swapped, must resolve to itself or to nothing, never to another
// station. Prints how many resolve right, to nothing, and wrong (with the wrong ones on --garble).
const showGarble = process.argv.includes('--garble');
const stationYears = new Map<string, number>();
for (const id of ids) {
  const p = splitId(id);
  if (p && /^[A-Z]+$/.test(p.station) && isRealStation(p.station))
    stationYears.set(p.station, fullYear(Number(p.year)));
}
const counts = new Map<string, number>();
for (const id of ids) {
  const s = splitId(id)?.station;
  if (s) counts.set(s, (counts.get(s) ?? 0) + 1);
}
const garbled = { right: 0, none: 0, wrong: 0 };
const wrong: string[] = [];
for (const [station, year] of stationYears) {
  if ((counts.get(station) ?? 0) < 10 || station.length < 5) continue;
  const variants = new Set<string>();
  for (let k = 5; k < station.length; k++) variants.add(station.slice(0, k));
  for (let i = 0; i < station.length; i++) {
    variants.add(station.slice(0, i) + station.slice(i + 1));
    variants.add(station.slice(0, i) + station[i] + station.slice(i));
    if (i + 1 < station.length)
      variants.add(station.slice(0, i) + station[i + 1] + station[i] + station.slice(i + 2));
  }
  variants.delete(station);
  for (const v of variants) {
    if (isRealStation(v)) continue;
    const got = canonicalizeId(`${String(year % 100).padStart(2, '0')}${v}1`).replace(/^\d\d|1$/g, '');
    if (
      got === station ||
      stationOf(`${String(year % 100).padStart(2, '0')}${got}1`) ===
        stationOf(`${String(year % 100).padStart(2, '0')}${station}1`)
    )
      garbled.right++;
    else if (got === v) garbled.none++;
    else {
      garbled.wrong++;
      wrong.push(`${v} (${year}) -> ${got}, not ${station}`);
    }
  }
}
const all = garbled.right + garbled.none + garbled.wrong;
console.log(
  `garbled stations: ${all} variants; resolved right ${garbled.right} (${((100 * garbled.right) / all).toFixed(1)}%), ` +
    `left as written ${garbled.none}, resolved wrong ${garbled.wrong} (${((100 * garbled.wrong) / all).toFixed(2)}%)`,
);
if (showGarble) for (const w of wrong) console.log(`  wrong: ${w}`);
