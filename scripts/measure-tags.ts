/**
 * Measures parseTags against the tags the Cablegate site linked in each real cable body
 * (`<a href='/tag/X_0.html'>X</a>` in body_html, in order). Prints the agreement rate, then every
 * disagreement grouped by class. A class other than `exact` is a documented normalisation:
 *
 * - dedupe: the site linked repeated tags (`OPRC OPRC`, a TAGS line repeated on page 2);
 * - multiword: the site linked each word of a multi-word or person tag (`HUMAN` `RIGHTS`);
 * - glued: the site linked glued tags as one (`ITPHUM`), we split them into known tags;
 * - fix: a typo / retired code mapped by tag-fixes.json (`RU` → `RS`, `MOPPS` → `MOPS`);
 * - continuation: the site linked only the first line of a wrapped TAGS list;
 * - other-line: the site linked a different TAGS line than the first one of the preamble.
 *
 * Usage: node --import tsx scripts/measure-tags.ts path/to/cables.dev.jsonl.gz [--show N]
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { parseTags } from '../src/parse/tags.js';
import { classifyTagAgreement as classify, isDocumentedTagAgreement } from '../test/parse/tag-agreement.js';

const path = process.argv[2];
if (!path) {
  console.error('usage: measure-tags.ts cables.dev.jsonl.gz [--show N]');
  process.exit(2);
}
const showIdx = process.argv.indexOf('--show');
const show = showIdx > 0 ? Number(process.argv[showIdx + 1]) : 8;

const LINK_RE = /<a href='\/tag\/[^']*_0\.html'>([^<]*)<\/a>/g;
const groups = new Map<string, string[]>();
let withTags = 0;
let agree = 0;
let strict = 0;
const t0 = process.hrtime.bigint();
let parsed = 0;
let bytes = 0;
for (const line of gunzipSync(readFileSync(path)).toString('utf8').split('\n')) {
  if (!line.trim()) continue;
  const rec = JSON.parse(line) as { id: string; body: string; body_html: string };
  const site = [...rec.body_html.matchAll(LINK_RE)].map((m) => (m[1] ?? '').trim().toUpperCase());
  const ours = parseTags(rec.body).tags;
  parsed++;
  bytes += rec.body.length;
  if (site.length === 0) continue;
  withTags++;
  const cls = classify(site, ours);
  if (cls === 'exact') strict++;
  if (isDocumentedTagAgreement(cls)) agree++;
  const list = groups.get(cls) ?? [];
  list.push(`${rec.id}\n      site: ${site.join(' ')}\n      ours: ${ours.join(' | ')}`);
  groups.set(cls, list);
}
const secs = Number(process.hrtime.bigint() - t0) / 1e9;

const pct = (n: number) => `${((100 * n) / withTags).toFixed(2)}%`;
console.log(`cables with linked tags: ${withTags}`);
console.log(`exactly equal:           ${strict} (${pct(strict)})`);
console.log(`equal after documented normalisations: ${agree} (${pct(agree)})`);
console.log(
  `(${parsed} bodies, ${(bytes / 1e6).toFixed(1)} MB, ${(parsed / secs).toFixed(0)} cables/s incl. JSON)`,
);
for (const [cls, list] of [...groups].sort((a, b) => b[1].length - a[1].length)) {
  if (cls === 'exact') continue;
  console.log(`\n== ${cls}: ${list.length}`);
  for (const item of list.slice(0, cls === 'other' || cls === 'order' ? 1000 : show))
    console.log(`  ${item}`);
}
