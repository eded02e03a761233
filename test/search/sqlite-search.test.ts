/**
 * Search on a real archive of the 2,541 dev cables, checked against a brute-force scan of the
 * same archive's parsed data. A tenth of the cables is embargoed (no release time) and another
 * tenth released in the future: none of them may ever be returned, counted or faceted.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { normalizeMarking } from '../../src/cable/markings.js';
import { recipientNames } from '../../src/cable/people.js';
import { ftsTokens, parseQuery } from '../../src/search/query.js';
import { INDEX_BUILDING, SqliteSearch } from '../../src/search/sqlite/engine.js';
import type { FacetValue, SearchResult } from '../../src/search/types.js';
import { parsedFields } from '../../src/store/parsed.js';
import { openSqliteDatabase } from '../../src/store/sqlite/archive.js';
import { fixture, projectRoot } from '../fixtures.js';

interface Doc {
  id: number;
  cid: string;
  public: boolean;
  created: string | null;
  year: number | null;
  classification: string | null;
  originSlug: string | null;
  tags: string[];
  markings: string[];
  signers: string[][];
  recipients: string[][];
  tokens: Set<string>;
  subjectTokens: string[];
  tagTokens: string[];
  bodyTokens: string[];
}

const fold = (s: string) =>
  ftsTokens(
    s
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase(),
  );

let dir: string;
let file: string;
let engine: SqliteSearch;
let sampled: SqliteSearch;
let estimated: SqliteSearch;
let docs: Doc[];
let pub: Doc[];

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'search-test-'));
  file = join(dir, 'dev.sqlite');
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      join(projectRoot, 'src/cli/main.ts'),
      'ingest',
      fixture('corpus', 'cables.dev.jsonl.gz'),
      '--db',
      file,
    ],
    { cwd: projectRoot, encoding: 'utf8' },
  );
  assert.equal(r.status, 0, r.stderr);
  const db = openSqliteDatabase(file);
  db.exec(`UPDATE cables SET released_at = NULL WHERE id % 10 = 3;
           UPDATE cables SET released_at = '2999-01-01T00:00:00Z' WHERE id % 10 = 7;`);
  const tags = new Map<number, string[]>();
  for (const t of db
    .prepare(
      'SELECT t.cable_id AS id, g.name FROM cable_tags t JOIN tags g ON g.id = t.tag_id ORDER BY t.position',
    )
    .all() as { id: number; name: string }[]) {
    tags.set(t.id, [...(tags.get(t.id) ?? []), t.name]);
  }
  const marks = new Map<number, Set<string>>();
  for (const p of db
    .prepare('SELECT cable_id AS id, marking FROM paragraphs WHERE marking IS NOT NULL')
    .all() as {
    id: number;
    marking: string;
  }[]) {
    const s = marks.get(p.id) ?? new Set();
    const n = normalizeMarking(p.marking);
    if (n) s.add(n);
    marks.set(p.id, s);
  }
  const now = new Date().toISOString();
  docs = (
    db
      .prepare(
        `SELECT c.id, c.canonical_id, c.created, c.year, c.classification, c.released_at, o.slug, c.subject,
           c.tags_text, v.header, v.body, v.reference_id, c.parsed
         FROM cables c JOIN versions v ON v.id = c.version_id LEFT JOIN origins o ON o.id = c.origin_id`,
      )
      .all() as {
      id: number;
      canonical_id: string;
      created: string | null;
      year: number | null;
      classification: string | null;
      released_at: string | null;
      slug: string | null;
      subject: string;
      tags_text: string;
      header: string;
      body: string;
      reference_id: string;
      parsed: string;
    }[]
  ).map((r) => {
    const p = parsedFields({ ...r, referenceId: r.reference_id });
    const subjectTokens = fold(r.subject);
    const bodyTokens = fold(r.body);
    return {
      id: r.id,
      cid: r.canonical_id,
      public: r.released_at !== null && r.released_at <= now,
      created: r.created,
      year: r.year,
      classification: r.classification,
      originSlug: r.slug,
      tags: tags.get(r.id) ?? [],
      markings: [...(marks.get(r.id) ?? [])],
      signers: p.signers.map(fold),
      recipients: recipientNames(p).map(fold),
      tokens: new Set([...subjectTokens, ...fold(r.tags_text), ...bodyTokens]),
      subjectTokens,
      tagTokens: fold(r.tags_text),
      bodyTokens,
    };
  });
  db.close();
  pub = docs.filter((d) => d.public);
  // Exact facets and in-memory sorting for everything here; `sampled` exercises the large-set paths.
  engine = SqliteSearch.open(file, { tuning: { facetExactLimit: 10_000 } });
  // Large-set paths: facets sampled above 100 hits, a large text query counted, not listed.
  sampled = SqliteSearch.open(file, { tuning: { facetExactLimit: 100, facetSample: 50 } });
  // The same with its result cache off: the sample drawn while counting, every time.
  estimated = SqliteSearch.open(file, { tuning: { facetExactLimit: 100, facetSample: 50, cacheSize: 0 } });
});

after(async () => {
  await engine?.close();
  await sampled?.close();
  await estimated?.close();
  rmSync(dir, { recursive: true, force: true });
});

function containsSeq(hay: string[], needle: string[]): boolean {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return needle.length === 0;
}

async function all(q: string, sort?: 'created' | '-created'): Promise<string[]> {
  const out: string[] = [];
  for await (const r of engine.exportAll(q, { sort })) out.push(r.id);
  return out;
}

function facetMap(v: FacetValue[]): Map<string, number> {
  return new Map(v.map((x) => [x.value, x.count]));
}

function bruteFacets(set: Doc[]) {
  const inc = (m: Map<string, number>, k: string | null | undefined) => {
    if (k !== null && k !== undefined) m.set(k, (m.get(k) ?? 0) + 1);
  };
  const tag = new Map<string, number>();
  const origin = new Map<string, number>();
  const cls = new Map<string, number>();
  const year = new Map<string, number>();
  const marking = new Map<string, number>();
  for (const d of set) {
    for (const t of new Set(d.tags)) inc(tag, t);
    inc(origin, d.originSlug);
    inc(cls, d.classification);
    inc(year, d.year === null ? null : String(d.year));
    for (const m of d.markings) inc(marking, m);
  }
  return { tag, origin, classification: cls, year, marking };
}

/** Every returned facet count is exact, and nothing left out counts more than the smallest shown. */
function assertFacets(r: SearchResult, set: Doc[]): void {
  assert.ok(r.facets);
  assert.equal(r.facetsApproximate, false);
  const brute = bruteFacets(set);
  for (const name of ['tag', 'origin', 'classification', 'year', 'marking'] as const) {
    const got = facetMap(r.facets[name]);
    const want = brute[name];
    const top = { tag: 40, origin: 40, marking: 30 } as Record<string, number>;
    assert.equal(got.size, Math.min(want.size, top[name] ?? want.size), `${name}: number of values`);
    for (const [k, n] of got) assert.equal(n, want.get(k), `${name} ${k}`);
    const min = Math.min(...got.values());
    for (const [k, n] of want) if (!got.has(k)) assert.ok(n <= min, `${name} ${k} (${n}) missing`);
  }
  const months = new Map<string, number>();
  for (const d of set)
    if (d.created) months.set(d.created.slice(0, 7), (months.get(d.created.slice(0, 7)) ?? 0) + 1);
  assert.deepEqual(new Map(r.histogram.map((h) => [h.month, h.count])), months);
}

async function checkAgainst(q: string, pred: (d: Doc) => boolean, facets = false): Promise<number> {
  const want = pub.filter(pred);
  const r = await engine.search(q, { limit: 5 });
  assert.deepEqual(r.messages, [], `${q}: ${r.messages.join('; ')}`);
  assert.equal(r.total, want.length, `total of ${q}`);
  const ids = await all(q);
  assert.deepEqual([...ids].sort(), want.map((d) => d.cid).sort(), `hits of ${q}`);
  if (facets) assertFacets(r, want);
  return want.length;
}

/** Tier 1 (score lifted by 1000) is the hits with a positive phrase in the subject or tags; pages = export. */
async function checkFirstTier(eng: SqliteSearch): Promise<void> {
  for (const [q, words] of [
    ['nuclear', ['nuclear']],
    ['iran tag:PREL', ['iran']],
    ['"human rights"', ['human', 'rights']],
    ['nuclear -subject:iran', ['nuclear']],
  ] as const) {
    const order = await allOf(eng, q);
    const hits = new Set(order);
    const want = pub
      .filter((d) => hits.has(d.cid))
      .filter((d) => containsSeq(d.subjectTokens, [...words]) || containsSeq(d.tagTokens, [...words]))
      .map((d) => d.cid);
    const got = new Set<string>();
    let cursor: string | null = null;
    const seen: string[] = [];
    do {
      const r: SearchResult = await eng.search(q, { limit: 200, cursor });
      for (const h of r.hits) if (h.score! >= 1000) got.add(h.id);
      seen.push(...r.hits.map((h) => h.id));
      cursor = r.nextCursor;
    } while (cursor);
    assert.deepEqual(seen, order, `${q}: pages in the export's order`);
    assert.ok(want.length > 0 && want.length < seen.length, `${q}: both tiers`);
    assert.deepEqual([...got].sort(), want.sort(), q);
  }
}

async function allOf(eng: SqliteSearch, q: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const r of eng.exportAll(q)) ids.push(r.id);
  return ids;
}

describe('search on the real dev cables', () => {
  it('field filters are exact (against a brute-force scan)', async () => {
    const top = (f: (d: Doc) => string[]) => {
      const m = new Map<string, number>();
      for (const d of pub) for (const v of new Set(f(d))) m.set(v, (m.get(v) ?? 0) + 1);
      return [...m].sort((a, b) => b[1] - a[1]);
    };
    const tag = top((d) => d.tags)[3]![0];
    assert.ok((await checkAgainst(`tag:${tag.toLowerCase()}`, (d) => d.tags.includes(tag), true)) > 50);
    await checkAgainst('tag:PGOV tag:PREL tag:IR', (d) =>
      ['PGOV', 'PREL', 'IR'].every((t) => d.tags.includes(t)),
    );
    await checkAgainst('origin:embassy-paris', (d) => d.originSlug === 'embassy-paris', true);
    await checkAgainst('origin:"Embassy Paris"', (d) => d.originSlug === 'embassy-paris');
    await checkAgainst('classification:secret', (d) => d.classification?.startsWith('SECRET') === true, true);
    await checkAgainst('classification:noforn', (d) => d.classification?.endsWith('//NOFORN') === true);
    await checkAgainst('classification:"SECRET//NOFORN"', (d) => d.classification === 'SECRET//NOFORN');
    await checkAgainst('marking:S//NOFORN', (d) => d.markings.includes('S/NF'), true);
    await checkAgainst('year:2008', (d) => d.year === 2008);
    await checkAgainst(
      'created:2009-01..2009-06',
      (d) => d.created !== null && d.created >= '2009-01' && d.created < '2009-07',
      true,
    );
    const signer = top((d) => d.signers.filter((s) => s.length === 1).map((s) => s[0]!))[0]![0];
    await checkAgainst(`signer:${signer}`, (d) => d.signers.some((s) => s.includes(signer)));
    await checkAgainst('to:"secstate washdc"', (d) =>
      d.recipients.some((r) => containsSeq(r, ['secstate', 'washdc'])),
    );
    await checkAgainst(
      'tag:PGOV -classification:unclassified year:2005..2007',
      (d) =>
        d.tags.includes('PGOV') &&
        !d.classification?.startsWith('UNCLASSIFIED') &&
        d.year !== null &&
        d.year >= 2005 &&
        d.year <= 2007,
    );
  });

  it('filters answer alike on the exact and the large-set paths', async () => {
    for (const q of [
      'origin:embassy-paris',
      'classification:secret year:2008',
      'year:2005..2007 classification:noforn',
      'created:2009-01..2009-06',
      'created:2009-02-03..2009-11-30 origin:embassy-paris',
      'released:2010-11..2011-03',
      'nuclear year:2009',
      'iran classification:confidential created:2008..2009-06',
      '"human rights" origin:"Embassy Paris"',
      'tag:PREL year:2009',
      'tag:PGOV tag:PREL classification:secret',
      'tag:PGOV tag:PREL',
      'tag:prel',
      'tag:NOSUCHTAG',
      'tag:PREL -tag:PGOV tag:IR',
      'marking:S//NOFORN tag:PREL',
      'signer:clinton year:2009',
      'nuclear -israel year:2008..2009',
      'origin:nowhere-at-all',
      'classification:secret -year:2008',
    ]) {
      for (const sort of ['relevance', '-created', 'released'] as const) {
        const a = await engine.search(q, { sort, limit: 30 });
        const b = await sampled.search(q, { sort, limit: 30 });
        assert.equal(a.total, b.total, `${q} ${sort}: total`);
        assert.deepEqual(
          a.hits.map((h) => h.id),
          b.hits.map((h) => h.id),
          `${q} ${sort}: hits`,
        );
        if (!b.facetsApproximate) {
          assert.deepEqual(a.facets, b.facets, `${q} ${sort}: facets`);
          assert.deepEqual(a.histogram, b.histogram, `${q} ${sort}: histogram`);
        }
      }
    }
  });

  it('text queries count what a scan of the texts finds', async () => {
    await checkAgainst('nuclear', (d) => d.tokens.has('nuclear'), true);
    await checkAgainst(
      'nuclear iran -israel',
      (d) => d.tokens.has('nuclear') && d.tokens.has('iran') && !d.tokens.has('israel'),
    );
    await checkAgainst(
      '(hezbollah OR hizballah) tag:LE',
      (d) => (d.tokens.has('hezbollah') || d.tokens.has('hizballah')) && d.tags.includes('LE'),
    );
    await checkAgainst(
      '"human rights"',
      (d) =>
        containsSeq(d.subjectTokens, ['human', 'rights']) || containsSeq(d.bodyTokens, ['human', 'rights']),
    );
    await checkAgainst('subject:iran', (d) => d.subjectTokens.includes('iran'));
    await checkAgainst('nuclear OR tag:KNNP', (d) => d.tokens.has('nuclear') || d.tags.includes('KNNP'));
    await checkAgainst('-nuclear year:2009', (d) => !d.tokens.has('nuclear') && d.year === 2009);
    await checkAgainst('nucl*', (d) => [...d.tokens].some((t) => t.startsWith('nucl')));
    await checkAgainst('São Paulo', (d) => d.tokens.has('sao') && d.tokens.has('paulo'));
  });

  it('numbers match with or without leading zeros', async () => {
    const a = await engine.search('0619');
    const b = await engine.search('619');
    assert.equal(a.total, b.total);
    await checkAgainst('619', (d) => ['619', '0619', '00619', '000619'].some((t) => d.tokens.has(t)));
  });

  it('finds a cable first by a distinctive phrase of it (50 known items)', async () => {
    const sample = pub.filter((_, i) => i % Math.floor(pub.length / 50) === 0).slice(0, 50);
    const misses: string[] = [];
    for (const d of sample) {
      const words = d.bodyTokens.filter((t) => /^[a-z]{4,}$/.test(t));
      const mid = Math.floor(words.length / 2);
      const phrase = d.bodyTokens.slice(
        d.bodyTokens.indexOf(words[mid]!),
        d.bodyTokens.indexOf(words[mid]!) + 8,
      );
      const r = await engine.search(`"${phrase.join(' ')}"`, { limit: 3 });
      const twins = pub.filter((o) => containsSeq(o.bodyTokens, phrase)).map((o) => o.cid);
      assert.ok(twins.includes(d.cid));
      // Several cables may share a paragraph verbatim; then any of them may come first.
      if (!twins.includes(r.hits[0]?.id ?? '') || !r.hits.some((h) => h.id === d.cid || twins.length > 3)) {
        misses.push(`${d.cid}: ${phrase.join(' ')}`);
      }
      assert.equal(r.total, twins.length, phrase.join(' '));
    }
    assert.deepEqual(misses, []);
  });

  it('never returns, counts or facets an embargoed cable', async () => {
    const hidden = docs.filter((d) => !d.public);
    assert.ok(hidden.length > 400);
    const hiddenIds = new Set(hidden.map((d) => d.cid));
    for (const q of [
      '',
      'nuclear',
      'tag:PGOV',
      'classification:secret',
      'year:2009',
      'signer:clinton OR iran',
    ]) {
      const ids = await all(q);
      assert.equal(ids.filter((i) => hiddenIds.has(i)).length, 0, q);
      const r = await engine.search(q);
      assert.equal(r.total, ids.length);
      const yearSum = r.facets!.year.reduce((n, f) => n + f.count, 0);
      assert.ok(yearSum <= r.total);
    }
    const everything = await engine.search('');
    assert.equal(everything.total, pub.length);
    assertFacets(everything, pub);
    for (const d of hidden.slice(0, 20)) {
      const r = await engine.search(`id:${d.cid}`);
      assert.equal(r.total, 0);
      assert.equal(r.redirect, null);
      const words = d.subjectTokens.join(' ');
      if (words) {
        const s = await engine.search(`subject:"${words}"`);
        assert.ok(!s.hits.some((h) => h.id === d.cid));
      }
    }
    const shown = pub[5]!;
    const j = await engine.search(`id:${shown.cid.toLowerCase()}`);
    assert.equal(j.redirect, shown.cid);
  });

  it('pages by cursor through the whole result set in order, without a cap', async () => {
    // A tag drives; the cables table drives (keys read in the listing pass), with and without text.
    for (const q of [
      'tag:PREL',
      'origin:embassy-paris',
      'classification:secret year:2008',
      'iran year:2009',
    ]) {
      for (const sort of ['-created', 'created', '-released'] as const) {
        const everything = await all(q, sort === '-released' ? undefined : sort);
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const r: SearchResult = await engine.search(q, { sort, limit: 97, cursor });
          seen.push(...r.hits.map((h) => h.id));
          cursor = r.nextCursor;
        } while (cursor);
        if (sort === '-released') {
          const want: string[] = [];
          for await (const r of engine.exportAll(q, { sort })) want.push(r.id);
          assert.deepEqual(seen, want, `${q} ${sort}`);
        } else assert.deepEqual(seen, everything, `${q} ${sort}`);
        assert.equal(new Set(seen).size, seen.length);
      }
    }
    // Relevance pages of small sets (one scoring pass), across the boundary between the two
    // tiers, in the export's order: a word, terms in the subject or the tags, a filtered query.
    for (const q of ['iran', '(kdem OR democracy) -pgov', 'prel nuclear', 'nuclear tag:IR']) {
      const ranked: string[] = [];
      let cursor: string | null = null;
      let last = Number.POSITIVE_INFINITY;
      do {
        const r: SearchResult = await engine.search(q, { limit: 50, cursor });
        for (const h of r.hits) {
          assert.ok(h.score! <= last + 1e-3);
          last = h.score!;
        }
        ranked.push(...r.hits.map((h) => h.id));
        cursor = r.nextCursor;
      } while (cursor);
      assert.equal(ranked.length, (await engine.search(q)).total);
      assert.equal(new Set(ranked).size, ranked.length);
      assert.deepEqual(ranked, await all(q), q);
    }
  });

  it('large-set paths: date-order walks by cursor and sampled facets agree with the exact ones', async () => {
    const hiddenIds = new Set(docs.filter((d) => !d.public).map((d) => d.cid));
    for (const q of [
      'tag:PREL',
      'nuclear',
      'classification:secret',
      '',
      'iran year:2009',
      'tag:PGOV -tag:PREL',
      'to:"secstate washdc"',
      // Relevance on the large-set path (a text query counted, not listed) against the export's
      // (both tiers listed whole): the same order, across the boundary.
      '(nuclear OR iran) -israel',
      '(kdem OR democracy) -pgov',
      '"human rights" subject:report',
      'nucl* tag:IR',
    ]) {
      const sorts = ['-created', 'created', '-released', 'released'] as const;
      for (const sort of engine.explain(q).match ? [...sorts, 'relevance' as const] : sorts) {
        const want: string[] = [];
        for await (const r of engine.exportAll(q, { sort })) want.push(r.id);
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const r: SearchResult = await sampled.search(q, { sort, limit: 41, cursor, facets: false });
          seen.push(...r.hits.map((h) => h.id));
          cursor = r.nextCursor;
        } while (cursor);
        assert.deepEqual(seen, want, `${q} ${sort}`);
        assert.ok(!seen.some((id) => hiddenIds.has(id)));
      }
      const exact = await engine.search(q);
      const approx = await sampled.search(q);
      assert.equal(approx.total, exact.total);
      assert.equal(approx.facetsApproximate, exact.total > 100);
      if (approx.facetsApproximate) {
        const sum = approx.facets!.year.reduce((n, f) => n + f.count, 0);
        assert.ok(
          Math.abs(sum - exact.total) <= approx.facets!.year.length,
          `${q}: ${sum} vs ${exact.total}`,
        );
        // Every estimated value exists in the exact facets (the sample holds only real hits).
        const known = new Set(exact.facets!.origin.map((f) => f.value));
        const all = bruteFacets(pub.filter((d) => exact.total > 0 && d.public)).origin;
        for (const f of approx.facets!.origin) assert.ok(known.has(f.value) || all.has(f.value), f.value);
      }
      // The sample drawn in the counting scan is the hits whose id is a multiple of some step,
      // counted and scaled as the brute-force scan of that sample says.
      const est = await estimated.search(q);
      assert.equal(est.total, exact.total);
      assert.equal(est.facetsApproximate, exact.total > 100);
      assert.deepEqual(
        est.hits.map((h) => h.id),
        exact.hits.map((h) => h.id),
        q,
      );
      const byCid = new Map(pub.map((d) => [d.cid, d]));
      const hits: Doc[] = [];
      for await (const r of engine.exportAll(q)) hits.push(byCid.get(r.id)!);
      const steps: number[] = [];
      for (let m = 1; m <= 200; m++) {
        const part = hits.filter((d) => d.id % m === 0);
        if (part.length === 0) continue;
        const scale = hits.length / part.length;
        const years = [...bruteFacets(part).year]
          .map(([y, n]): [string, number] => [y, m === 1 ? n : Math.max(1, Math.round(n * scale))])
          .sort();
        if (JSON.stringify(years) === JSON.stringify(est.facets!.year.map((f) => [f.value, f.count]))) {
          steps.push(m);
        }
      }
      assert.ok(
        steps.length > 0,
        `${q}: no id step explains the sampled facets ${JSON.stringify(est.facets!.year)} ${est.total}`,
      );
      if (!est.facetsApproximate) assert.ok(steps.includes(1));
    }
  });

  it('the first load keeps the subject + tags index whole (the writer on insert, triggers on update)', () => {
    const db = openSqliteDatabase(file);
    try {
      // Throws unless the index holds exactly what the cables table's subjects and tags say.
      db.exec(`INSERT INTO search_titles (search_titles) VALUES ('integrity-check')`);
      const terms = ['iran', 'nuclear', 'prel', '"human rights"', 'econom*', 'kdem', 'visit'];
      const matches = () =>
        terms.map((t) =>
          db
            .prepare(
              `SELECT rowid, round(bm25(search_titles, 10.0, 5.0), 9) FROM search_titles
               WHERE search_titles MATCH ? ORDER BY rowid`,
            )
            .raw()
            .all(t),
        );
      const written = matches();
      assert.ok(written.every((m) => m.length > 0));
      db.exec('BEGIN');
      try {
        db.exec(`INSERT INTO search_titles (search_titles) VALUES ('rebuild')`);
        assert.deepEqual(written, matches());
        // An edited subject leaves the index by its old words and enters it by its new ones.
        const id = docs.find((d) => d.subjectTokens.includes('iran'))!.id;
        db.prepare(
          `UPDATE cables SET subject = 'zzqx ' || replace(lower(subject), 'iran', 'xx') WHERE id = ?`,
        ).run(id);
        const hit = (t: string) =>
          db
            .prepare('SELECT rowid FROM search_titles WHERE search_titles MATCH ?')
            .pluck()
            .all(t) as number[];
        assert.deepEqual(hit('zzqx'), [id]);
        assert.ok(!hit('iran').includes(id) || docs.find((d) => d.id === id)!.tagTokens.includes('iran'));
        db.exec(`INSERT INTO search_titles (search_titles) VALUES ('integrity-check')`);
      } finally {
        db.exec('ROLLBACK');
      }
    } finally {
      db.close();
    }
  });

  it('the first tier is exactly the hits with a phrase of the query in the subject or the tags', async () => {
    await checkFirstTier(engine);
  });

  it('ranks subject matches above body matches and highlights snippets', async () => {
    const r = await engine.search('scenesetter', { limit: 5 });
    assert.ok(r.hits.length > 0);
    assert.match(r.hits[0]!.subject.toLowerCase(), /scenesetter/);
    assert.ok(r.hits.every((h) => (h.snippet?.marks.length ?? 0) > 0));
    for (const h of r.hits)
      for (const [a, b] of h.snippet!.marks) assert.match(h.snippet!.text.slice(a, b), /scenesetter/i);
  });

  it('says so while an ingest is still building the full-text index', async () => {
    const db = openSqliteDatabase(file);
    try {
      db.prepare(`INSERT INTO meta (key, value) VALUES ('fts_stale', '1')`).run();
      const text = await engine.search('scenesetter', { limit: 1 });
      assert.ok(text.messages.includes(INDEX_BUILDING), JSON.stringify(text.messages));
      const filter = await engine.search('tag:PGOV', { limit: 1 });
      assert.ok(!filter.messages.includes(INDEX_BUILDING), 'filters do not depend on the text index');
    } finally {
      db.prepare(`DELETE FROM meta WHERE key = 'fts_stale'`).run();
      db.close();
    }
    const done = await engine.search('scenesetter', { limit: 1 });
    assert.ok(!done.messages.includes(INDEX_BUILDING));
  });

  it('cables search prints text or the --json shape', () => {
    const run = (...args: string[]) =>
      spawnSync(
        process.execPath,
        ['--import', 'tsx', join(projectRoot, 'src/cli/main.ts'), 'search', ...args],
        {
          cwd: projectRoot,
          encoding: 'utf8',
        },
      );
    const j = run('"nuclear program" tag:IR', '--db', file, '--json', '--limit', '3');
    assert.equal(j.status, 0, j.stderr);
    const out = JSON.parse(j.stdout) as {
      total: number;
      results: {
        id: string;
        subject: string;
        created: string;
        score: number;
        snippet: { text: string; marks: [number, number][] };
      }[];
      facets: Record<string, unknown>;
    };
    assert.equal(
      out.total,
      pub.filter(
        (d) =>
          d.tags.includes('IR') &&
          containsSeq(d.subjectTokens.concat(['|'], d.bodyTokens), ['nuclear', 'program']),
      ).length,
    );
    assert.equal(out.results.length, 3);
    assert.deepEqual(Object.keys(out.results[0]!), ['id', 'subject', 'created', 'score', 'snippet']);
    for (const k of ['tag', 'origin', 'classification', 'year', 'marking'])
      assert.ok(Array.isArray(out.facets[k]));
    const t = run('iran AND', '--db', file, '--limit', '2');
    assert.equal(t.status, 0, t.stderr);
    assert.match(t.stdout, /^note: AND without two sides ignored\n\d+ results for iran/);
  });

  it('answers bad syntax with a message and a best-effort result, never an exception', async () => {
    for (const q of [
      '"unterminated nuclear',
      'iran AND',
      '(nuclear OR',
      'NOT',
      ')))',
      'created:2009-13',
      'tag:',
      'origin:nowhere-at-all',
      '"" * - : ( )',
      'NEAR(a b)',
      "'; DROP TABLE cables; --",
      'x'.repeat(5000),
      '\u0000\uffff',
    ]) {
      const r = await engine.search(q);
      assert.ok(r.total >= 0);
      assert.ok(Array.isArray(r.hits));
      if (parseQuery(q).messages.length) assert.ok(r.messages.length > 0, q);
    }
    assert.ok((await engine.search('"nuclear program')).total > 0);
    assert.ok((await engine.search('origin:nowhere-at-all')).messages.some((m) => /origin/.test(m)));
  });

  it('with every cable public, large text queries are counted and rank as when listed', async () => {
    const copy = join(dir, 'all-public.sqlite');
    const src = new Database(file, { readonly: true });
    await src.backup(copy);
    src.close();
    const db = new Database(copy);
    db.exec(`UPDATE cables SET released_at = '2000-01-01T00:00:00Z'`);
    db.close();
    const open = SqliteSearch.open(copy, { tuning: { facetExactLimit: 10_000, cacheSize: 0 } });
    // Every large text query here is counted, its sample drawn in that scan, and listed only
    // when a page reaches its second tier.
    const counted = SqliteSearch.open(copy, {
      tuning: { facetExactLimit: 100, facetSample: 50, cacheSize: 0 },
    });
    try {
      for (const q of ['iran', 'nuclear', '"human rights"', 'subject:iran', 'taliban OR karzai']) {
        const exported: string[] = [];
        for await (const r of open.exportAll(q)) exported.push(r.id);
        for (const eng of [open, counted]) {
          const paged: string[] = [];
          let cursor: string | null = null;
          do {
            const r: SearchResult = await eng.search(q, { limit: 37, cursor });
            paged.push(...r.hits.map((h) => h.id));
            cursor = r.nextCursor;
          } while (cursor);
          assert.ok(paged.length > 37, q);
          assert.deepEqual(paged, exported, q);
        }
        const exact = await open.search(q);
        const est = await counted.search(q);
        assert.equal(est.total, exact.total, q);
        assert.equal(est.facetsApproximate, exact.total > 100, q);
        assert.deepEqual(
          est.hits.map((h) => [h.id, h.score]),
          exact.hits.map((h) => [h.id, h.score]),
          q,
        );
        // The sample is the hits whose id is a multiple of a step, scaled up.
        if (est.facetsApproximate) {
          const sum = est.facets!.year.reduce((n, f) => n + f.count, 0);
          assert.ok(
            Math.abs(sum - exact.total) <= est.facets!.year.length * 2,
            `${q}: ${sum} vs ${exact.total}`,
          );
          const tags = new Set<string>();
          for await (const r of open.exportAll(q)) for (const t of r.tags) tags.add(t);
          for (const f of est.facets!.tag) assert.ok(tags.has(f.value), `${q}: ${f.value}`);
        }
      }
    } finally {
      await open.close();
      await counted.close();
    }
  });

  it('a repeated query answers from the result cache what a fresh computation answers', async () => {
    const fresh = SqliteSearch.open(file, { tuning: { facetExactLimit: 10_000, cacheSize: 0 } });
    try {
      for (const q of ['nuclear', 'tag:PGOV', '', 'iran -nuclear']) {
        const first = await engine.search(q, { limit: 5 });
        first.hits.length = 0; // the caller's copy: changing it must not reach the cache
        const again = await engine.search(q, { limit: 5 });
        assert.deepEqual(again, await fresh.search(q, { limit: 5 }), q);
        const next = await engine.search(q, { limit: 5, cursor: again.nextCursor });
        assert.deepEqual(next, await fresh.search(q, { limit: 5, cursor: again.nextCursor }), q);
      }
    } finally {
      await fresh.close();
    }
  });
});
