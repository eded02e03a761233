import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { deflateRawSync } from 'node:zlib';
import { Compressor } from 'zstd-napi';
import { textHash } from '../../src/ingest/hash.js';
import { prepareItem } from '../../src/ingest/prepare.js';
import { parseCable, parseStoredFields } from '../../src/parse/cable.js';
import { parseSummary, type SummarySpan, summarySpan } from '../../src/parse/summary.js';
import { sideIndexStale, updateSideIndex } from '../../src/search/side-index.js';
import { decodeParsed, encodePageFields, holdsWholeParse, parsedFields } from '../../src/store/codec.js';
import { PARSED_DICTIONARY_V1 } from '../../src/store/parsed-dictionary.js';
import { slugify } from '../../src/store/slug.js';
import { SCHEMA_VERSION } from '../../src/store/sqlite/schema.js';
import { openDatabase, SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { BatchOptions, PreparedCable, PreparedItem } from '../../src/store/types.js';
import { projectRoot } from '../fixtures.js';
import { sideProgress, waitUntil } from '../ingest/helpers.js';
import { loadRealCables, type RealCable } from '../parse/real-cables.js';

const dir = mkdtempSync(join(tmpdir(), 'store-test-'));

/** `cables.parsed` as archives before v4 wrote it: the whole parse, zstd with the dictionary (v3). */
function wholeParseV3(value: object, span: SummarySpan | null = null): Buffer {
  const c = new Compressor();
  c.loadDictionary(PARSED_DICTIONARY_V1);
  const z = c.compress(Buffer.from(JSON.stringify(span ? { ...value, summary: span } : value)));
  return Buffer.concat([Buffer.from([span ? 0x0f : 0x0e]), z]);
}

/** A real dev cable as the ingest prepares it, taken from row `row` of a JSON-lines source. */
function prepareRealCable(rc: RealCable, row: number): PreparedItem {
  return prepareItem({
    kind: 'record',
    at: { source: 'dev.jsonl', row, line: row, offset: 0 },
    referenceId: rc.id,
    created: rc.created,
    createdAsShown: null,
    released: null,
    origin: rc.origin,
    classification: rc.classification,
    references: null,
    header: rc.header,
    body: rc.body,
    extra: {},
  });
}

after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const dbFile = () => join(dir, `a${n++}.sqlite`);

const HEADER = 'R 241520Z NOV 09\nFM AMEMBASSY PARIS\nTO SECSTATE WASHDC 7596';
const BODY =
  'C O N F I D E N T I A L PARIS 001234 \n \nSIPDIS \n \nTAGS: PREL, FR \nSUBJECT: FRENCH VIEWS ON IRAN \n';

function cable(over: Partial<PreparedCable> = {}): PreparedItem {
  const header = over.header ?? HEADER;
  const body = over.body ?? BODY;
  return {
    kind: 'record',
    at: { source: 'a.csv', row: 1, line: 1, offset: 0 },
    referenceId: '09PARIS1234',
    canonicalId: '09PARIS1234',
    aliases: [],
    created: '2009-11-24T15:20:00Z',
    createdAsShown: '11/24/2009 15:20',
    released: null,
    origin: 'Embassy Paris',
    classification: 'CONFIDENTIAL',
    parsedClassification: 'CONFIDENTIAL',
    subject: 'FRENCH VIEWS ON IRAN',
    year: 2009,
    tags: [
      { name: 'PREL', kind: 'subject' },
      { name: 'FR', kind: 'geo' },
    ],
    references: [{ kind: 'cable', target: '09STATE100', bullet: 'A', value: 'STATE 100' }],
    paragraphs: [{ number: 1, marking: 'C', start: 80, end: 90 }],
    parsed: encodePageFields({ dtg: null, flags: [], redactions: [] }),
    extra: '{}',
    variant: false,
    signers: ['RIVKIN'],
    recipients: ['SECSTATE WASHDC'],
    ...over,
    header,
    body,
    hash: textHash(header, body),
  };
}

const opts = (o: Partial<BatchOptions> = {}): BatchOptions => ({
  releasedAt: null,
  now: '2024-01-01T00:00:00.000Z',
  indexNow: true,
  checkpoint: null,
  ...o,
});

describe('SqliteStore', () => {
  test('inserts a cable with aliases, origin slug, tags, references and paragraphs', async () => {
    const s = new SqliteStore(dbFile());
    const r = await s.writeBatch([cable({ referenceId: '09PARIS01234' })], opts());
    assert.equal(r.inserted, 1);
    const st = await s.stats();
    assert.equal(st.cables, 1);
    assert.equal(st.embargoed, 1);
    assert.equal(st.aliases, 2);
    assert.equal(st.tags, 2);
    assert.deepEqual(st.references, { total: 1, resolved: 0, dangling: 1 });
    assert.equal(s.db.prepare('SELECT slug FROM origins').pluck().get(), 'embassy-paris');
    assert.equal(s.db.prepare('SELECT marking FROM paragraphs').pluck().get(), 'C');
    await s.writeBatch(
      [
        cable({
          referenceId: '09STATE100',
          canonicalId: '09STATE100',
          body: 'UNCLAS STATE 100',
          references: [],
        }),
      ],
      opts({}),
    );
    assert.deepEqual((await s.stats()).references, { total: 1, resolved: 1, dangling: 0 });
    await s.close();
  });

  test('same text again changes nothing; a different text from another source adds a version', async () => {
    const s = new SqliteStore(dbFile());
    await s.writeBatch([cable()], opts());
    const before = await s.contentDigest();
    const again = await s.writeBatch([cable()], opts({ now: '2025-01-01T00:00:00Z' }));
    assert.deepEqual([again.inserted, again.unchanged, again.versionsAdded], [0, 1, 0]);
    assert.equal(await s.contentDigest(), before);
    const edited = cable({
      body: `${BODY}1. (C) NEW TEXT.\n`,
      at: { source: 'b.jsonl', row: 3, line: 3, offset: 9 },
    });
    const v = await s.writeBatch([edited], opts());
    assert.equal(v.versionsAdded, 1);
    const st = await s.stats();
    assert.equal(st.cables, 1);
    assert.equal(st.versions, 2);
    const [exported] = await collect(s.exportCables({ releasedOnly: false }));
    assert.equal(exported?.body, `${BODY}1. (C) NEW TEXT.\n`);
    assert.equal(exported?.versions.length, 2);
    await s.close();
  });

  test('an earlier variant is kept as a version but does not replace the final text', async () => {
    const s = new SqliteStore(dbFile());
    await s.writeBatch([cable()], opts());
    const variant = cable({
      body: 'Friday, 27 August 2004\nSECRET',
      variant: true,
      at: { source: 'v.jsonl', row: 1, line: 1, offset: 0 },
    });
    const variant2 = cable({
      body: 'Friday, 27 August 2004\nSECRET.',
      variant: true,
      at: { source: 'v.jsonl', row: 2, line: 2, offset: 9 },
    });
    const r = await s.writeBatch([variant, variant2], opts());
    assert.equal(r.versionsAdded, 2);
    const [e] = await collect(s.exportCables({ releasedOnly: false }));
    assert.equal(e?.body, BODY);
    await s.close();
  });

  test('a duplicate ID with conflicting text within one source is rejected with its place', async () => {
    const s = new SqliteStore(dbFile());
    const dup = cable({ body: 'OTHER TEXT', at: { source: 'a.csv', row: 7, line: 40, offset: 999 } });
    const r = await s.writeBatch([cable(), dup], opts());
    assert.equal(r.rejected, 1);
    assert.match(
      r.rejects[0]!.reason,
      /duplicate reference ID 09PARIS1234 with conflicting text \(first at row 1\)/,
    );
    const rows = await collect(s.rejects());
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.row, 7);
    assert.equal(rows[0]!.raw, `${HEADER}\nOTHER TEXT`);
    // A re-run meets the same reject again and records it once.
    await s.writeBatch([cable(), dup], opts());
    assert.equal((await s.stats()).rejected, 1);
    await s.close();
  });

  test('release state: source release time, --released-at, and embargo otherwise', async () => {
    const s = new SqliteStore(dbFile());
    await s.writeBatch([cable({ released: '2010-12-09T21:00:00Z' })], opts());
    await s.writeBatch(
      [cable({ canonicalId: '09PARIS1', referenceId: '09PARIS1' })],
      opts({ releasedAt: '2024-05-01T00:00:00.000Z' }),
    );
    await s.writeBatch([cable({ canonicalId: '09PARIS2', referenceId: '09PARIS2' })], opts());
    const st = await s.stats();
    assert.deepEqual([st.cables, st.released, st.embargoed], [3, 2, 1]);
    const released = await collect(s.exportCables({ releasedOnly: true }));
    assert.deepEqual(released.map((c) => c.canonicalId).sort(), ['09PARIS1', '09PARIS1234']);
    await s.close();
  });

  test('full-text index: incremental, and deferred then rebuilt, answer the same', async () => {
    for (const defer of [false, true]) {
      const s = new SqliteStore(dbFile());
      if (defer) await s.markIndexStale();
      await s.writeBatch([cable()], opts({ indexNow: !defer }));
      await s.writeBatch(
        [cable({ body: `${BODY} URANIUM`, at: { source: 'z', row: 1, line: 1, offset: 0 } })],
        opts({ indexNow: !defer }),
      );
      if (defer) {
        assert.equal(await s.isIndexStale(), true);
        await s.rebuildIndex();
        assert.equal(await s.isIndexStale(), false);
      }
      const q = (m: string) =>
        s.db.prepare('SELECT rowid FROM cable_fts WHERE cable_fts MATCH ?').all(m).length;
      assert.equal(q('uranium'), 1);
      assert.equal(q('tags:FR'), 1);
      assert.equal(q('subject:iran'), 1);
      s.db.exec(`INSERT INTO cable_fts(cable_fts) VALUES('integrity-check')`);
      await s.close();
    }
  });

  test('background index: a text replaced after the builder indexed it is re-indexed by the merge', async () => {
    const file = dbFile();
    // Commit every cable, so the builder's progress is visible while the writer goes on.
    process.env['CABLES_FTS_BUILD_COMMIT_ROWS'] = '1';
    const s = new SqliteStore(file);
    try {
      const bg = await s.startBackgroundIndex();
      assert.ok(bg, 'an empty archive builds its index in the background');
      assert.equal(await s.isIndexStale(), true);
      await s.writeBatch(
        [cable(), cable({ canonicalId: '09PARIS2', referenceId: '09PARIS2', body: `${BODY} PLUTONIUM` })],
        opts({ indexNow: false }),
      );
      bg.committed();
      await waitUntil(() => sideProgress(file) >= 2, 'the builder indexed 2 cables');
      const edited = cable({
        body: `${BODY} URANIUM`,
        subject: 'FRENCH VIEWS ON URANIUM',
        tags: [{ name: 'ENRG', kind: 'subject' }],
        at: { source: 'b.jsonl', row: 1, line: 1, offset: 0 },
      });
      assert.equal((await s.writeBatch([edited], opts({ indexNow: false }))).versionsAdded, 1);
      await bg.finish();
      assert.equal(await s.isIndexStale(), false);
      assert.equal(existsSync(`${file}-fts-build`), false);
      const q = (m: string) =>
        s.db.prepare('SELECT rowid FROM cable_fts WHERE cable_fts MATCH ?').pluck().all(m).length;
      assert.deepEqual(
        ['uranium', 'subject:uranium', 'tags:ENRG', 'tags:PREL', 'plutonium', 'subject:iran'].map(q),
        [1, 1, 1, 1, 1, 1],
      );
      s.db.exec(`INSERT INTO cable_fts(cable_fts) VALUES('integrity-check')`);
      // A second load into the now non-empty archive indexes inline.
      assert.equal(await s.startBackgroundIndex(), null);
    } finally {
      delete process.env['CABLES_FTS_BUILD_COMMIT_ROWS'];
      await s.close();
    }
  });

  test('a side file left after its merge is deleted on open; a pending build is resumed', async () => {
    const file = dbFile();
    const s = new SqliteStore(file);
    await s.close();
    writeFileSync(`${file}-fts-build`, 'stale');
    const t = new SqliteStore(file);
    assert.equal(existsSync(`${file}-fts-build`), false);
    const bg = await t.startBackgroundIndex();
    await t.writeBatch([cable()], opts({ indexNow: false }));
    await bg?.stop();
    await t.close();
    const u = new SqliteStore(file);
    assert.equal(await u.isIndexStale(), true);
    const again = await u.startBackgroundIndex({ resumeOnly: true });
    assert.ok(again, 'the interrupted build is resumed');
    await again.finish();
    assert.equal(
      u.db.prepare(`SELECT count(*) FROM cable_fts WHERE cable_fts MATCH 'iran'`).pluck().get(),
      1,
    );
    assert.equal(await u.isIndexStale(), false);
    await u.close();
  });

  test("the search side index written with each batch equals search's own catch-up", async () => {
    const file = dbFile();
    const s = new SqliteStore(file);
    const para = (marking: string | null) => ({ number: 1, marking, start: 0, end: 5 });
    await s.writeBatch(
      [
        cable({ signers: ['CLINTON'], recipients: ['AMEMBASSY PARIS', 'USUN NEW YORK'] }),
        cable({
          canonicalId: '09PARIS2',
          referenceId: '09PARIS2',
          paragraphs: [para('S//NF'), para('s/noforn'), para(null), para('C')],
        }),
      ],
      opts(),
    );
    await s.writeBatch(
      [cable({ signers: ['RICE'], body: 'OTHER', at: { source: 'b', row: 1, line: 1, offset: 0 } })],
      opts(),
    );
    const dump = () => ({
      people: ['clinton', 'rice', 'rivkin', '"usun new york"', 'recipients:paris'].map((m) =>
        s.db
          .prepare('SELECT rowid FROM search_people WHERE search_people MATCH ? ORDER BY rowid')
          .pluck()
          .all(m),
      ),
      markings: s.db.prepare('SELECT cable_id, marking FROM search_markings ORDER BY 1, 2').raw().all(),
      indexed: s.db.prepare('SELECT cable_id, version_id FROM search_indexed ORDER BY 1').raw().all(),
    });
    const written = dump();
    assert.equal(sideIndexStale(s.db), false);
    assert.deepEqual(written.markings, [
      [1, 'C'],
      [2, 'C'],
      [2, 'S/NF'],
    ]);
    assert.deepEqual(written.people[1], [1]);
    // What search's catch-up (for archives of older versions) derives from cables.parsed instead.
    s.db.exec(`DELETE FROM search_people; DELETE FROM search_markings; DELETE FROM search_indexed;
      DELETE FROM meta WHERE key = 'search_side_version'`);
    const signers: Record<string, string[]> = { 1: ['RICE'], 2: ['RIVKIN'] };
    const recipients: Record<string, string[]> = { 1: ['SECSTATE WASHDC'], 2: ['SECSTATE WASHDC'] };
    for (const id of [1, 2]) {
      const parsed = wholeParseV3({
        signers: signers[id],
        recipients: recipients[id]!.map((name) => ({ name })),
      });
      s.db.prepare('UPDATE cables SET parsed = ? WHERE id = ?').run(parsed, id);
    }
    updateSideIndex(s.db);
    assert.deepEqual(dump(), written);
    await s.close();
  });

  test("search's catch-up parses real cables again from their text, to the side index the ingest wrote", async () => {
    const s = new SqliteStore(dbFile());
    const items = loadRealCables()
      .slice(0, 300)
      .map((rc, i) => prepareRealCable(rc, i + 1));
    await s.writeBatch(items, opts());
    s.db.exec('CREATE VIRTUAL TABLE temp.people_terms USING fts5vocab(main, search_people, instance)');
    const dump = () => ({
      people: s.db.prepare('SELECT * FROM temp.people_terms ORDER BY 1, 2, 3, 4').raw().all(),
      markings: s.db.prepare('SELECT cable_id, marking FROM search_markings ORDER BY 1, 2').raw().all(),
    });
    const written = dump();
    assert.ok(written.people.length > 1000 && written.markings.length > 100);
    s.db.exec(`DELETE FROM search_people; DELETE FROM search_markings; DELETE FROM search_indexed;
      DELETE FROM meta WHERE key = 'search_side_version'`);
    assert.equal(dump().people.length, 0);
    assert.equal(updateSideIndex(s.db), items.length);
    assert.deepEqual(dump(), written);
    await s.close();
  });

  test('parsed fields: the page-fields format round-trips, and rows written in the earlier formats still read', () => {
    const page = { dtg: { text: '241520Z NOV 09', utc: '2009-11-24T15:20:00Z' }, flags: [], redactions: [] };
    const v4 = encodePageFields({ ...page, subject: 'NOT KEPT' } as Parameters<typeof encodePageFields>[0]);
    assert.equal(v4[0], 0x16);
    assert.equal(holdsWholeParse(v4), false);
    assert.deepEqual(decodeParsed(v4), page);
    const value = { subject: 'FRENCH VIEWS ON IRAN', tags: ['PREL', 'FR'], signers: ['RIVKIN'] };
    const json = JSON.stringify(value);
    // v3: zstd with the dictionary; with the summary kept as its span of the body, restored from
    // the body in its own place.
    const v3 = wholeParseV3(value);
    assert.equal(holdsWholeParse(v3), true);
    assert.deepEqual(decodeParsed(v3), value);
    const body = '1. (C) SUMMARY: THE MINISTER\nAGREED. END SUMMARY.\n2. (C) MORE.';
    const withSummary = { subject: 'X', summary: parseSummary(body), signers: ['RIVKIN'] };
    const v3s = wholeParseV3(withSummary, summarySpan(body));
    assert.equal(JSON.stringify(decodeParsed(v3s, body)), JSON.stringify(withSummary));
    assert.deepEqual(decodeParsed(v3s), { subject: 'X', signers: ['RIVKIN'] });
    // Rows of earlier archives: plain raw deflate; v1, raw deflate with the dictionary after 0x06;
    // v2, the same after 0x07 with the summary as a span.
    const deflated = (marker: number, text: string) =>
      Buffer.concat([Buffer.from([marker]), deflateRawSync(text, { dictionary: PARSED_DICTIONARY_V1 })]);
    assert.deepEqual(decodeParsed(deflateRawSync(json)), value);
    assert.deepEqual(decodeParsed(deflated(0x06, json)), value);
    const v2 = deflated(0x07, JSON.stringify({ ...withSummary, summary: summarySpan(body) }));
    assert.equal(JSON.stringify(decodeParsed(v2, body)), JSON.stringify(withSummary));
    assert.deepEqual(decodeParsed(v2), { subject: 'X', signers: ['RIVKIN'] });
    // The whole parse of an old row is what it kept, not a parse of the text again.
    const text = { header: HEADER, body: BODY, referenceId: '09PARIS1234', created: '2009-11-24T15:20:00Z' };
    assert.deepEqual(parsedFields({ ...text, parsed: v3 }), value);
  });

  test('every real dev cable, as the ingest stores it: the page fields, and the whole parse again from its text', () => {
    let derived = 0;
    for (const rc of loadRealCables()) {
      const item = prepareRealCable(rc, 1);
      assert.equal(item.kind, 'record');
      if (item.kind !== 'record') continue;
      const input = {
        header: rc.header,
        body: rc.body,
        referenceId: rc.id,
        year: Number(rc.created.slice(0, 4)),
      };
      const want = parseCable(input);
      assert.deepEqual(decodeParsed(item.parsed), {
        dtg: want.dtg,
        flags: want.flags,
        redactions: want.redactions,
      });
      // What the export gives, from what the archive keeps.
      const whole = parsedFields({
        parsed: item.parsed,
        header: item.header,
        body: item.body,
        referenceId: item.referenceId,
        created: item.created,
      });
      assert.equal(JSON.stringify(whole), JSON.stringify(want), rc.id);
      // The ingest's parse is the whole parse without the derived fields, field for field.
      const { classifiedBy, classificationReasons, declassifyOn, summary, ...rest } = want;
      assert.deepEqual(parseStoredFields(input), rest, rc.id);
      if (
        summary !== null ||
        classifiedBy.length > 0 ||
        declassifyOn !== null ||
        classificationReasons !== null
      )
        derived++;
    }
    assert.ok(derived > 1000, `${derived} cables with a derived field`);
  });

  test('checkpoint is committed with the batch', async () => {
    const s = new SqliteStore(dbFile());
    const checkpoint = { sourceKey: 'k', offset: 123, row: 2, line: 5, done: false };
    await s.writeBatch([cable()], opts({ checkpoint }));
    assert.deepEqual(await s.getCheckpoint('k'), checkpoint);
    await s.close();
  });

  test('opening an archive of schema version 1 upgrades it and keeps its data', async () => {
    const file = dbFile();
    const old = openDatabase(file, { schemaVersion: 1 });
    assert.equal(old.pragma('user_version', { simple: true }), 1);
    old
      .prepare(
        `INSERT INTO cables (canonical_id, reference_id, parsed, subject) VALUES ('09X1', '09X1', '{}', 'OLD')`,
      )
      .run();
    old.close();
    const s = new SqliteStore(file);
    assert.equal(s.db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    assert.equal((await s.stats()).cables, 1);
    assert.ok(s.db.prepare(`SELECT 1 FROM cable_fts_config WHERE k = 'pgsz'`).get());
    await s.close();
  });

  test('an archive of schema version 7 (search_titles filled by a trigger) keeps it whole once upgraded', async () => {
    const file = dbFile();
    const old = openDatabase(file, { schemaVersion: 7 });
    assert.ok(old.prepare(`SELECT 1 FROM sqlite_schema WHERE name = 'search_titles_ai'`).get());
    old.close();
    const s = new SqliteStore(file);
    assert.equal(s.db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    assert.equal(
      s.db.prepare(`SELECT 1 FROM sqlite_schema WHERE name = 'search_titles_ai'`).get(),
      undefined,
    );
    await s.writeBatch(
      [cable(), cable({ canonicalId: '09PARIS99', referenceId: '09PARIS99', subject: 'ZZQX' })],
      opts(),
    );
    // Throws unless the index holds exactly the cables' subjects and tags.
    s.db.exec(`INSERT INTO search_titles (search_titles) VALUES ('integrity-check')`);
    const hits = (q: string) =>
      s.db.prepare('SELECT rowid FROM search_titles WHERE search_titles MATCH ?').pluck().all(q);
    assert.deepEqual(hits('iran'), [1]);
    assert.deepEqual(hits('zzqx'), [2]);
    assert.deepEqual(hits('prel'), [1, 2]);
    // A new text with a new subject: the update trigger moves the cable in the index.
    await s.writeBatch(
      [
        cable({
          subject: 'NEW WORDS',
          body: `${BODY}\nMORE.`,
          at: { source: 'b.csv', row: 1, line: 1, offset: 0 },
        }),
      ],
      opts(),
    );
    assert.deepEqual(hits('iran'), []);
    assert.deepEqual(hits('words'), [1]);
    s.db.exec(`INSERT INTO search_titles (search_titles) VALUES ('integrity-check')`);
    await s.close();
  });

  test('origin slugs are stable and unique', () => {
    assert.equal(slugify('Embassy Paris'), 'embassy-paris');
    assert.equal(slugify('American Institute Taiwan, Taipei'), 'american-institute-taiwan-taipei');
    assert.equal(slugify('Consulate São Paulo'), 'consulate-sao-paulo');
    assert.equal(slugify('USUN New York'), 'usun-new-york');
  });
});

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

test('a read-only open first rolls back a write killed while the archive had a rollback journal', async () => {
  const file = dbFile();
  openDatabase(file).close();
  // A writer in rollback-journal mode (as SqliteStore.alone leaves the WAL for a bulk step) whose
  // transaction outgrows its page cache, so pages reach the file, and which is killed before it
  // commits: the journal left beside the archive is hot.
  const writer = `
    import Database from 'better-sqlite3';
    const db = new Database(${JSON.stringify(file)});
    db.pragma('journal_mode = DELETE');
    db.pragma('cache_size = 10');
    db.exec('BEGIN');
    const ins = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    for (let i = 0; i < 2000; i++) ins.run('k' + i, 'x'.repeat(2000));
    process.kill(process.pid, 'SIGKILL');
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', writer], {
    cwd: projectRoot,
    encoding: 'utf8',
  });
  assert.equal(r.signal, 'SIGKILL', r.stderr);
  assert.ok(existsSync(`${file}-journal`), 'the killed write left its journal');
  const store = new SqliteStore(file, { readonly: true });
  try {
    assert.equal((await store.stats()).cables, 0);
    assert.equal(store.db.prepare(`SELECT count(*) FROM meta WHERE key LIKE 'k%'`).pluck().get(), 0);
  } finally {
    await store.close();
  }
  assert.equal(existsSync(`${file}-journal`), false, 'the journal was rolled back');
});
