/**
 * The parser's figures in one command: the dev vectors' pass rate per kind, and per field how the
 * parse of the real dev cables compares with what the Cablegate site showed (IDs, tags,
 * subjects) or, where the site showed nothing, with checks the text itself allows:
 *
 * - subject: clean (no page marker, no Classified-By line inside);
 * - signers: found, and corroborated (the same surname signs, or classifies, another cable of
 *   the station within a year);
 * - classifiedBy: found where the text has a Classified-By label; clean (no title word, no word
 *   in lower case but a particle, at most five words); corroborated like signers;
 * - summary: found where the text has `END SUMMARY`; clean (no rule of dashes, no repeated
 *   heading or marking); line breaks kept (as many lines as the source span has non-blank lines).
 *
 * Every real-cable figure is given for two halves of the corpus, split by the first hex digit of
 * sha256(ID) (0–7: A, 8–f: B; the last digit already split dev from held-out), so a rule tuned on
 * one half can be checked on the other.
 *
 * Usage: node --import tsx scripts/measure-parser.ts [--json] [--show FIELD]
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { parseCable } from '../src/parse/cable.js';
import { isRealStation, stationOf } from '../src/parse/ids.js';
import { fixture } from '../test/fixtures.js';
import { linkedTags, loadRealCables } from '../test/parse/real-cables.js';
import {
  classifySubjectAgreement,
  isDocumentedSubjectAgreement,
  normalizeSubject,
} from '../test/parse/subject-agreement.js';
import { classifyTagAgreement, isDocumentedTagAgreement } from '../test/parse/tag-agreement.js';
import { dispatch, type Vector } from '../test/parse/vector-dispatch.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
const show = args.includes('--show') ? args[args.indexOf('--show') + 1] : undefined;

// --- dev vectors
const vectors = new Map<string, { pass: number; total: number }>();
for (const line of readFileSync(fixture('vectors', 'dev.jsonl'), 'utf8').split('\n')) {
  if (!line.trim()) continue;
  const v = JSON.parse(line) as Vector;
  let actual: unknown;
  try {
    actual = dispatch[v.kind]!(v.input);
  } catch {
    actual = undefined;
  }
  const s = vectors.get(v.kind) ?? { pass: 0, total: 0 };
  s.total++;
  if (isDeepStrictEqual(actual, v.expected)) s.pass++;
  vectors.set(v.kind, s);
}

// --- real cables
const ids = new Set(
  gunzipSync(readFileSync(fixture('corpus', 'all-ids.csv.gz')))
    .toString('utf8')
    .split(/\r?\n/)
    .map((l) => l.split(',')[0]!.trim()),
);
const TITLE_WORDS = new Set(
  readFileSync(new URL('../src/parse/data/titles.txt', import.meta.url), 'utf8')
    .split('\n')
    .map((l) => l.trim().toLowerCase())
    .filter((l) => l && !l.startsWith('#') && !l.startsWith('glue:') && !l.includes(' ')),
);
/** Name particles written in lower case (`de`, `van`, `al`). */
const PARTICLE = /^(?:d[aeiu]|de[lr]|della|den|v[ao]n|l[ae]|al|el|bin|st\.)$/;
/** A title word, or two written as one (`polcouns`, `econmin`). */
const titleLike = (w: string): boolean =>
  TITLE_WORDS.has(w) ||
  [...TITLE_WORDS].some(
    (t) => t.length >= 3 && w.length > t.length + 2 && w.startsWith(t) && TITLE_WORDS.has(w.slice(t.length)),
  );
const LABEL = /(?<![A-Za-z])cl?a?s{1,2}i?f{1,2}i?e?d\s+by\b/i;

type Field = 'id' | 'tags' | 'subject' | 'signers' | 'classifiedBy' | 'summary';
interface Tally {
  [check: string]: { ok: number; of: number };
}
const tallies: Record<'A' | 'B', Record<Field, Tally>> = {
  A: { id: {}, tags: {}, subject: {}, signers: {}, classifiedBy: {}, summary: {} },
  B: { id: {}, tags: {}, subject: {}, signers: {}, classifiedBy: {}, summary: {} },
};
const shown: string[] = [];

function half(id: string): 'A' | 'B' {
  const first = createHash('sha256').update(id, 'utf8').digest('hex').slice(0, 1);
  return Number.parseInt(first, 16) < 8 ? 'A' : 'B';
}

const surname = (name: string) =>
  name
    .toUpperCase()
    .replace(/,? (?:JR|SR|II|III|IV)\.?$/, '')
    .split(/\s+/)
    .pop() ?? '';

const cables = loadRealCables().map((r) => ({
  r,
  c: parseCable({ header: r.header, body: r.body, referenceId: r.id }),
}));
// Who signs and classifies at each station, by year, for corroboration.
const people = new Map<string, Set<string>>();
const key = (station: string | null, year: string, who: string) => `${station}|${year}|${who}`;
for (const { r, c } of cables) {
  const st = stationOf(c.canonicalId ?? r.id);
  const yy = Number((c.canonicalId ?? r.id).slice(0, 2));
  for (const who of [...c.signers, ...c.classifiedBy].map(surname)) {
    for (const y of [yy - 1, yy, yy + 1]) {
      const k = key(st, String(y), who);
      const s = people.get(k) ?? new Set<string>();
      s.add(r.id);
      people.set(k, s);
    }
  }
}
const corroborated = (id: string, st: string | null, yy: number, who: string) =>
  [...(people.get(key(st, String(yy), surname(who))) ?? [])].some((x) => x !== id);

for (const { r, c } of cables) {
  const t = tallies[half(r.id)];
  const count = (field: Field, check: string, ok: boolean, detail?: () => string) => {
    const x = t[field][check] ?? { ok: 0, of: 0 };
    t[field][check] = x;
    x.of++;
    if (ok) x.ok++;
    if (!ok && show === field && detail) shown.push(`${field}/${check} ${r.id}: ${detail()}`);
  };
  const canon = c.canonicalId ?? '';
  count(
    'id',
    'agrees',
    canon === r.id || ids.has(canon) || (canon !== r.id && isRealStation(stationOf(canon) ?? '')),
    () => canon,
  );
  const siteTags = linkedTags(r.body_html);
  if (siteTags.length)
    count('tags', 'agrees', isDocumentedTagAgreement(classifyTagAgreement(siteTags, c.tags)));
  const h3 = normalizeSubject(r.subject_h3);
  if (h3) {
    const cls = classifySubjectAgreement(normalizeSubject(c.subject), h3);
    count(
      'subject',
      'agrees',
      isDocumentedSubjectAgreement(cls),
      () => `${cls} ${JSON.stringify(c.subject)}`,
    );
  }
  if (c.subject) {
    // No page marker and no Classified-By line inside the subject.
    const clean = !/\d{6,8}\s+\d{3}(?:\.\d)?\s+OF\s+\d{3}|classified\s+by/i.test(c.subject);
    count('subject', 'clean', clean, () => JSON.stringify(c.subject));
  }
  const st = stationOf(canon || r.id);
  const yy = Number((canon || r.id).slice(0, 2));
  const partial = c.isPartial;
  if (!partial) {
    count('signers', 'found', c.signers.length > 0, () => JSON.stringify(r.body.slice(-120)));
    if (c.signers.length) {
      count('signers', 'corroborated', corroborated(r.id, st, yy, c.signers[0]!), () => c.signers.join('; '));
    }
  }
  if (LABEL.test(r.body.slice(0, 6000))) {
    count('classifiedBy', 'found', c.classifiedBy.length > 0, () => {
      const m = LABEL.exec(r.body)!;
      return JSON.stringify(r.body.slice(m.index, m.index + 100));
    });
    for (const name of c.classifiedBy) {
      const words = name.split(/\s+/);
      const clean =
        words.length <= 5 &&
        words.every((w) => {
          const k = w.toLowerCase().replace(/[.,:]+$/, '');
          return !titleLike(k) && (!/^\p{Ll}/u.test(w) || PARTICLE.test(k));
        });
      count('classifiedBy', 'clean', clean, () => name);
      count('classifiedBy', 'corroborated', corroborated(r.id, st, yy, name), () => name);
    }
  }
  if (/\bEND[ \t]*\r?\n?[ \t]*SUMMARY/i.test(r.body)) {
    const s = c.summary;
    count('summary', 'found', s !== null);
    if (s) {
      count('summary', 'clean', !/-{3,}|={3,}|^(?:summary\b|\()/i.test(s), () =>
        JSON.stringify(s.slice(0, 100)),
      );
      // The source lines the summary spans: as many lines as the summary has, when breaks are kept.
      const first = s.split('\n')[0]!.slice(0, 30);
      const from = r.body.indexOf(first);
      const last = s.split('\n').pop()!.slice(-30);
      const to = r.body.indexOf(last, from) + last.length;
      if (from >= 0 && to > from) {
        const source = r.body
          .slice(from, to)
          .split(/\r?\n/)
          .filter((l) => l.replace(/[-=\s\\]/g, '') !== '').length;
        count('summary', 'breaks-kept', source === s.split('\n').length, () => `${source} source lines`);
      }
    }
  }
}

// --- report
const pct = (ok: number, of: number) => (of ? `${((100 * ok) / of).toFixed(1)}%` : '-');
if (json) {
  console.log(JSON.stringify({ vectors: Object.fromEntries(vectors), real: tallies }, null, 2));
} else {
  let pass = 0;
  let total = 0;
  console.log('dev vectors                  pass');
  for (const [kind, s] of [...vectors].sort(([a], [b]) => a.localeCompare(b))) {
    pass += s.pass;
    total += s.total;
    console.log(
      `  ${kind.padEnd(24)} ${`${s.pass}/${s.total}`.padStart(8)} ${pct(s.pass, s.total).padStart(7)}`,
    );
  }
  console.log(`  ${'all'.padEnd(24)} ${`${pass}/${total}`.padStart(8)} ${pct(pass, total).padStart(7)}`);
  console.log('\nreal cables                        half A            half B');
  for (const field of Object.keys(tallies.A) as Field[]) {
    for (const check of Object.keys(tallies.A[field])) {
      const a = tallies.A[field][check]!;
      const b = tallies.B[field][check] ?? { ok: 0, of: 0 };
      const cell = (x: { ok: number; of: number }) =>
        `${`${x.ok}/${x.of}`.padStart(10)} ${pct(x.ok, x.of).padStart(6)}`;
      console.log(`  ${`${field} ${check}`.padEnd(28)} ${cell(a)}  ${cell(b)}`);
    }
  }
  for (const s of shown) console.log(s);
}
