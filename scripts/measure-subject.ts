/**
 * Measures parseSubject against the site's <h3> subjects of the real dev corpus:
 *   node --import tsx scripts/measure-subject.ts [--show CLASS] [--limit N]
 * A cable agrees when our subject starts with the h3 text (whitespace-normalised). The h3 is the
 * site's own extraction, which sometimes runs on into the REF/Classified-By line, so a subject
 * that is a prefix of the h3 is counted separately. Disagreements are grouped by class.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { parseClassifiedBy } from '../src/parse/classified-by.js';
import { parseDeclassifyOn } from '../src/parse/declassify.js';
import { parseSigners } from '../src/parse/signers.js';
import { parseSubject } from '../src/parse/subject.js';
import { fixture } from '../test/fixtures.js';
import {
  classifySubjectAgreement as classify,
  normalizeSubject as norm,
} from '../test/parse/subject-agreement.js';

interface Rec {
  id: string;
  subject_h3: string;
  body: string;
}

const args = process.argv.slice(2);
const show = args.includes('--show') ? args[args.indexOf('--show') + 1] : undefined;
const limit = args.includes('--limit') ? Number(args[args.indexOf('--limit') + 1]) : 5;

const lines = gunzipSync(readFileSync(fixture('corpus', 'cables.dev.jsonl.gz')))
  .toString('utf8')
  .split('\n');
const recs: Rec[] = lines.filter((l) => l.trim()).map((l) => JSON.parse(l) as Rec);
const groups = new Map<string, { id: string; h3: string; ours: string }[]>();
let classified = 0;
let declassify = 0;
let signers = 0;
const t0 = performance.now();
for (const r of recs) {
  const ours = norm(parseSubject(r.body));
  const h3 = norm(r.subject_h3);
  const cls = classify(ours, h3);
  const g = groups.get(cls) ?? [];
  g.push({ id: r.id, h3, ours });
  groups.set(cls, g);
}
const t1 = performance.now();
for (const r of recs) {
  if (parseClassifiedBy(r.body).names.length) classified++;
  if (parseDeclassifyOn(r.body)) declassify++;
  if (parseSigners(r.body).length) signers++;
}
const t2 = performance.now();

const pct = (n: number) => `${((100 * n) / recs.length).toFixed(1)}%`;
console.log(`cables: ${recs.length}`);
for (const [cls, g] of [...groups.entries()].sort((a, b) => b[1].length - a[1].length)) {
  console.log(`${cls.padEnd(14)} ${String(g.length).padStart(5)}  ${pct(g.length)}`);
}
console.log(`subject: ${((t1 - t0) / recs.length).toFixed(3)} ms/cable`);
console.log(
  `non-empty: classifiedBy ${pct(classified)}, declassifyOn ${pct(declassify)}, signers ${pct(signers)} (${((t2 - t1) / recs.length).toFixed(3)} ms/cable)`,
);
for (const [cls, g] of groups) {
  if (cls === 'agree' || (show && show !== cls)) continue;
  console.log(`\n== ${cls}`);
  for (const x of g.slice(0, show ? 1000 : limit)) {
    console.log(`${x.id}\n  h3:   ${JSON.stringify(x.h3)}\n  ours: ${JSON.stringify(x.ours)}`);
  }
}
