/**
 * Writes the demo sample `data/sample/cables.jsonl.gz`: about 300 real cables from the shared dev
 * corpus, covering every era (all cables before 2004, the pre-1996 ones included) and every
 * classification in each later year, plus the earlier published versions of some of them. The
 * choice is a hash order of the reference IDs, so the same corpus always gives the same bytes.
 *
 *   node --import tsx scripts/make-sample.ts [--shared DIR] [--out FILE] [--count N]
 *
 * Records keep the dev-corpus shape (`id`, `created`, `released`, `classification`, `origin`,
 * `subject_h3`, `header`, `body`, `created_dtg`, `articles`, `source`, and for versions
 * `variant_of`, `published_commit_date`, `diff_vs_final`, …) minus the page HTML copies.
 * Versions come right before the final page they precede, oldest first.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';

type Rec = Record<string, unknown> & { id: string; created: string; classification: string };

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const arg = (name: string, dflt: string): string => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1]! : dflt;
};
const shared = resolve(arg('--shared', process.env['CABLES_FIXTURES'] ?? join(root, '..', 'shared')));
const out = resolve(arg('--out', join(root, 'data', 'sample', 'cables.jsonl.gz')));
const target = Number(arg('--count', '300'));
/** Cables with earlier versions to include (each brings one to three versions). */
const WITH_VERSIONS = 24;
const DROP = new Set(['header_html', 'body_html']);

const lines = (text: string): Rec[] =>
  text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Rec);
const cables = lines(
  gunzipSync(readFileSync(join(shared, 'corpus', 'cables.dev.jsonl.gz'))).toString('utf8'),
);
const versions = lines(readFileSync(join(shared, 'corpus', 'versions.dev.jsonl'), 'utf8'));

const hash = (id: string): string => createHash('sha256').update(`sample:${id}`).digest('hex');
const byHash = [...cables].sort((a, b) => (hash(a.id) < hash(b.id) ? -1 : 1));
const year = (r: Rec): number => Number(r.created.slice(0, 4));

const chosen = new Set<string>();
for (const r of byHash) if (year(r) < 2004) chosen.add(r.id);
const versioned = new Set(versions.map((v) => v['variant_of'] as string));
let withVersions = 0;
for (const r of byHash) {
  if (withVersions >= WITH_VERSIONS) break;
  if (versioned.has(r.id) && !chosen.has(r.id)) {
    chosen.add(r.id);
    withVersions++;
  }
}
const cells = new Set<string>();
for (const r of byHash) {
  const cell = `${year(r)}|${r.classification}`;
  if (year(r) >= 2004 && !cells.has(cell)) {
    cells.add(cell);
    chosen.add(r.id);
  }
}
for (const r of byHash) {
  if (chosen.size >= target) break;
  chosen.add(r.id);
}

const strip = (r: Rec): Rec => Object.fromEntries(Object.entries(r).filter(([k]) => !DROP.has(k))) as Rec;
const finals = cables
  .filter((r) => chosen.has(r.id))
  .sort((a, b) => a.created.localeCompare(b.created) || a.id.localeCompare(b.id));
const out_lines: string[] = [];
let nVersions = 0;
for (const r of finals) {
  const earlier = versions
    .filter((v) => v['variant_of'] === r.id)
    .sort((a, b) => String(a['published_commit_date']).localeCompare(String(b['published_commit_date'])));
  for (const v of earlier) out_lines.push(JSON.stringify(strip(v)));
  nVersions += earlier.length;
  out_lines.push(JSON.stringify(strip(r)));
}
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, gzipSync(Buffer.from(`${out_lines.join('\n')}\n`), { level: 9 }));

const count = (f: (r: Rec) => string): Record<string, number> => {
  const m: Record<string, number> = {};
  for (const r of finals) m[f(r)] = (m[f(r)] ?? 0) + 1;
  return m;
};
console.log(`${out}: ${finals.length} cables, ${nVersions} earlier versions`);
console.log(
  'by classification',
  count((r) => r.classification),
);
console.log(
  'by year',
  count((r) => String(year(r))),
);
