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
