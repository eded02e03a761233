/**
 * The embargo crawl: an archive where half the cables are released and half embargoed; every page,
 * JSON twin, feed and sitemap reachable from the site must show none of the embargoed cables.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Hono } from 'hono';
import { ingestFiles } from '../../src/ingest/pipeline.js';
import { openSqliteArchive, type SqliteArchive } from '../../src/store/sqlite/archive.js';
import { createApp } from '../../src/web/app.js';
import { projectRoot } from '../fixtures.js';
import { get, links, makeCorpus, now, tempDir } from './archive.js';

const tmp = tempDir('web-embargo-');
const db = join(tmp.dir, 'half.sqlite');
let site: SqliteArchive;
let app: Hono;
/** Identifiers and texts of embargoed cables that no released text mentions. */
const secrets = new Set<string>();
let released = 0;
let total = 0;

before(async () => {
  const csv = join(tmp.dir, 'cables.csv');
  makeCorpus(csv, 2000);
  const store = openSqliteArchive(db, { create: true });
  await ingestFiles(store.store!, [csv], { now, releasedAt: null });
  // Release every other cable, some in the past and one in the future (still embargoed).
  store.db.exec(`UPDATE cables SET released_at = '2011-08-26T00:00:00Z' WHERE id % 2 = 0`);
  store.db.exec(`UPDATE cables SET released_at = '2999-01-01T00:00:00Z' WHERE id = 1`);
  const pub = store.db
    .prepare(
      'SELECT c.canonical_id, c.subject, v.header, v.body FROM cables c JOIN versions v ON v.id = c.version_id WHERE c.id % 2 = 0',
    )
    .all() as { canonical_id: string; subject: string; header: string; body: string }[];
  const publicText = pub.map((r) => `${r.canonical_id}\n${r.subject}\n${r.header}\n${r.body}`).join('\n');
  const hidden = store.db
    .prepare(
      `SELECT c.canonical_id, c.subject, v.body, (SELECT group_concat(alias, ' ') FROM aliases a WHERE a.cable_id = c.id) AS aliases
       FROM cables c JOIN versions v ON v.id = c.version_id WHERE c.id % 2 = 1`,
    )
    .all() as { canonical_id: string; subject: string; body: string; aliases: string }[];
  for (const h of hidden) {
    const candidates = [h.canonical_id, ...h.aliases.split(' '), h.subject];
    // A distinctive line of the body: long enough to be unique to it.
    const line = h.body.split('\n').find((l) => l.trim().length > 60);
    if (line) candidates.push(line.trim());
    for (const x of candidates) {
      if (x && x.length >= 8 && /^[A-Za-z0-9]/.test(x) && !publicText.includes(x)) secrets.add(x);
    }
  }
  total = (store.db.prepare('SELECT count(*) FROM cables').pluck().get() as number) ?? 0;
  released = pub.length;
  await store.close();
  site = openSqliteArchive(db, { readonly: true, clock: () => new Date('2024-01-01T00:00:00Z') });
  app = createApp(site.reader);
});
after(async () => {
  await site.close();
  tmp.cleanup();
});

const K = 10;
let byPrefix: Map<string, string[]> | null = null;

/** Every secret found in `text` (entities decoded), looked up by prefix at each word start. */
function leaks(raw: string): string[] {
  if (!byPrefix) {
    byPrefix = new Map();
    for (const s of secrets) {
      const k = s.slice(0, K);
      byPrefix.set(k, [...(byPrefix.get(k) ?? []), s]);
    }
  }
  const text = raw
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&amp;/g, '&');
  const found: string[] = [];
  const word = /[A-Za-z0-9]/;
  for (let i = 0; i < text.length; i++) {
    if (!word.test(text[i]!) || (i > 0 && word.test(text[i - 1]!))) continue;
    const hits = byPrefix.get(text.slice(i, i + K));
    if (hits) for (const h of hits) if (text.startsWith(h, i)) found.push(h);
  }
  return found;
}

describe('embargo', () => {
  test('a crawl of the whole site finds no embargoed cable', async () => {
    assert.ok(secrets.size > 1000, `${secrets.size} secrets`);
    const queue = ['/', '/robots.txt', '/sitemap.xml', '/feed/latest.atom'];
    const seen = new Set(queue);
    let pages = 0;
    while (queue.length) {
      const path = queue.shift()!;
      const r = await get(app, path);
      assert.ok(
        r.status === 200 || r.status === 301 || (r.status === 404 && path.startsWith('/search')),
        `${path} → ${r.status}`,
      );
      pages++;
      const bad = leaks(r.text);
      assert.deepEqual(bad, [], `${path} leaks ${bad.slice(0, 3).join(' | ')}`);
      const next = [...links(r.text)];
      if (r.location) next.push(r.location);
      if (r.type.includes('xml')) {
        for (const m of r.text.matchAll(/<loc>http:\/\/localhost([^<]+)<\/loc>/g))
          next.push(m[1]!.replace(/&amp;/g, '&'));
        for (const m of r.text.matchAll(/<link href="http:\/\/localhost([^"]+)"/g)) next.push(m[1]!);
      }
      if (r.type.includes('text/html')) {
        // The JSON twin of every page, and the feeds it offers.
        const twin = /<link rel="alternate" type="application\/json" href="([^"]+)"/.exec(r.text);
        if (twin) next.push(twin[1]!.replace(/&amp;/g, '&'));
      }
      for (const n of next) {
        if (seen.has(n) || n.startsWith('/search')) continue;
        // Later pages of long listings repeat the first page's shape; the sitemap reaches every cable.
        if (/[?&]page=([3-9]|\d\d)/.test(n)) continue;
        seen.add(n);
        queue.push(n);
      }
    }
    assert.ok(pages > released, `${pages} pages crawled`);
  });

  test('counts add up to the released cables only', async () => {
    const home = JSON.parse((await get(app, '/index.json')).text);
    assert.equal(home.counts.released, released);
    assert.equal(home.counts.total, total);
    const sumOf = (xs: { count: number }[]) => xs.reduce((a, x) => a + x.count, 0);
    assert.equal(sumOf(JSON.parse((await get(app, '/origins.json')).text).origins), released);
    assert.equal(sumOf(JSON.parse((await get(app, '/classifications.json')).text).classifications), released);
    const rel = JSON.parse((await get(app, '/reldate.json')).text).months;
    assert.equal(sumOf(rel), released);
    const years = JSON.parse((await get(app, '/date.json')).text).years;
    assert.ok(sumOf(years) <= released);
    const chart = home.charts.years
      .flatMap((y: { counts: number[] }) => y.counts)
      .reduce((a: number, b: number) => a + b, 0);
    assert.ok(chart <= released);
    const sitemap = (await get(app, '/sitemap.xml')).text;
    assert.equal([...sitemap.matchAll(/\/cable\//g)].length, released);
  });

  test('an embargoed ID answers exactly like an unknown one', async () => {
    const hidden = site.db.prepare('SELECT canonical_id, created FROM cables WHERE id = 3').get() as {
      canonical_id: string;
      created: string;
    };
    const a = await get(
      app,
      `/cable/${hidden.created.slice(0, 4)}/${hidden.created.slice(5, 7)}/${hidden.canonical_id}.html`,
    );
    const b = await get(
      app,
      `/cable/${hidden.created.slice(0, 4)}/${hidden.created.slice(5, 7)}/99NOSUCHPOST1.html`,
    );
    assert.equal(a.status, 404);
    assert.equal(a.text, b.text);
    const aj = await get(app, `/cable/${hidden.canonical_id}.json`);
    assert.equal(aj.status, 404);
    assert.deepEqual(Object.keys(JSON.parse(aj.text)), ['error', 'path']);
  });

  test('a cable appears the moment its release time passes, not before', async () => {
    let t = new Date('2998-12-31T23:59:59Z');
    const r = openSqliteArchive(db, { readonly: true, clock: () => t });
    const a = createApp(r.reader);
    const before = JSON.parse((await get(a, '/index.json')).text).counts.released;
    assert.equal(before, released);
    t = new Date('2999-01-01T00:00:01Z');
    const afterRelease = JSON.parse((await get(a, '/index.json')).text).counts.released;
    assert.equal(afterRelease, released + 1);
    // The detector works: the newly released cable's page shows what was secret a second ago.
    const one = r.db.prepare('SELECT canonical_id FROM cables WHERE id = 1').pluck().get() as string;
    const page = await get(a, `/cable/${one}.html`);
    const shown = await get(a, page.location!);
    assert.equal(shown.status, 200);
    assert.ok(leaks(shown.text).length > 0);
    await r.close();
  });

  test('the site keeps serving while an ingest writes the same file', async () => {
    const csv = join(tmp.dir, 'more.csv');
    makeCorpus(csv, 600, 7);
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'ingest', csv, '--db', db], {
      cwd: projectRoot,
      stdio: 'ignore',
    });
    const done = new Promise<number>((res) => child.on('exit', (code) => res(code ?? -1)));
    let finished = false;
    void done.then(() => {
      finished = true;
    });
    let lastTotal = 0;
    let requests = 0;
    while (!finished) {
      const r = await get(app, '/index.json');
      assert.equal(r.status, 200);
      const c = JSON.parse(r.text).counts;
      assert.equal(c.released, released, 'the new cables arrive embargoed');
      assert.ok(c.total >= lastTotal);
      lastTotal = c.total;
      assert.equal((await get(app, '/tag/PGOV')).status, 200);
      requests++;
      await new Promise((res) => setTimeout(res, 20));
    }
    assert.ok([0, 3].includes(await done));
    assert.ok(requests > 3);
    const final = JSON.parse((await get(app, '/index.json')).text).counts;
    assert.ok(final.total > total, 'the reader sees the committed cables');
  });
});
