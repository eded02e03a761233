import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Hono } from 'hono';
import { openSqliteArchive, type SqliteArchive } from '../../src/store/sqlite/archive.js';
import { createApp, pageRoutes, renderPath } from '../../src/web/app.js';
import { buildDevArchive, get, HOSTILE, links, tempDir } from './archive.js';

const tmp = tempDir('web-routes-');
let archive: SqliteArchive;
let app: Hono;

before(async () => {
  const db = await buildDevArchive(tmp.dir);
  archive = openSqliteArchive(db, { readonly: true });
  app = createApp(archive.reader);
});
after(async () => {
  await archive.close();
  tmp.cleanup();
});

const counter = (html: string) =>
  /Currently released so far… <strong>([\d,]+)<\/strong> \/ <strong>([\d,]+)<\/strong>/.exec(html);

describe('pages and their JSON twins', () => {
  const pages = [
    '/',
    '/reldate',
    '/reldate/2010-11',
    '/reldate/2010-11-28',
    '/date',
    '/date/2009',
    '/date/2009-12',
    '/origins',
    '/origin/embassy-ankara',
    '/tags',
    '/tags/P',
    '/tag/PGOV',
    '/classifications',
    '/classification/secret-noforn',
    '/cable/1996/11/96ANKARA12278.html',
    '/history/96ANKARA12278.html',
    '/help',
  ];

  test('every page kind renders with a title, landmarks, the counter and a consistent count', async () => {
    const { total, released } = await archive.reader.counts();
    assert.equal(total, 2541);
    assert.equal(released, total);
    for (const p of pages) {
      const r = await get(app, p);
      assert.equal(r.status, 200, p);
      assert.match(r.type, /text\/html/, p);
      assert.ok(r.text.startsWith('<!DOCTYPE html>'), p);
      assert.match(r.text, /<title>[^<]{5,}<\/title>/, p);
      for (const tag of ['<header', '<nav', '<main', '<footer', '<h1'])
        assert.ok(r.text.includes(tag), `${p} ${tag}`);
      assert.match(r.text, /<label for="q">/, p);
      const m = counter(r.text);
      assert.ok(m, `${p}: counter`);
      assert.equal(m[1], released.toLocaleString('en-US'), p);
      assert.equal(m[2], total.toLocaleString('en-US'), p);
    }
  });

  test('each page has a .json twin with the same data', async () => {
    const twins: [string, string][] = [
      ['/', '/index.json'],
      ['/reldate', '/reldate.json'],
      ['/reldate/2010-11-28', '/reldate/2010-11-28.json'],
      ['/date/2009-12', '/date/2009-12.json'],
      ['/origins', '/origins.json'],
      ['/tags/P', '/tags/P.json'],
      ['/tag/PGOV?sort=created&dir=asc&page=2', '/tag/PGOV.json?sort=created&dir=asc&page=2'],
      ['/classifications', '/classifications.json'],
      ['/cable/1996/11/96ANKARA12278.html', '/cable/1996/11/96ANKARA12278.json'],
      ['/history/96ANKARA12278.html', '/history/96ANKARA12278.json'],
    ];
    for (const [html, json] of twins) {
      const h = await get(app, html);
      assert.ok(h.text.includes(`href="${json.replace(/&/g, '&amp;')}"`), `${html} links its twin ${json}`);
      const j = await get(app, json);
      assert.equal(j.status, 200, json);
      assert.match(j.type, /application\/json/, json);
      JSON.parse(j.text);
    }
    const list = JSON.parse((await get(app, '/tag/PGOV.json?sort=created&dir=asc&page=2')).text);
    assert.equal(list.page, 2);
    assert.equal(list.rows.length, 50);
    const sorted = [...list.rows].sort((a: { created: string }, b: { created: string }) =>
      a.created < b.created ? -1 : 1,
    );
    assert.deepEqual(list.rows, sorted);
    const html = (await get(app, '/tag/PGOV?sort=created&dir=asc&page=2')).text;
    for (const r of list.rows) assert.ok(html.includes(`>${r.id}</a>`), r.id);
  });

  test('listings page by 50 and the counts add up', async () => {
    const tags = JSON.parse((await get(app, '/tags.json')).text);
    const pgov = tags.top.find((t: { name: string }) => t.name === 'PGOV');
    const first = JSON.parse((await get(app, '/tag/PGOV.json')).text);
    assert.equal(first.total, pgov.count);
    assert.equal(first.pages, Math.ceil(pgov.count / 50));
    const last = JSON.parse((await get(app, `/tag/PGOV.json?page=${first.pages}`)).text);
    assert.equal(last.rows.length, pgov.count - 50 * (first.pages - 1));
    const cal = JSON.parse((await get(app, '/reldate.json')).text);
    const days = cal.months.flatMap((m: { days: { count: number }[] }) => m.days);
    assert.equal(
      days.reduce((a: number, d: { count: number }) => a + d.count, 0),
      2541,
    );
    const origins = JSON.parse((await get(app, '/origins.json')).text).origins;
    assert.equal(
      origins.reduce((a: number, o: { count: number }) => a + o.count, 0),
      2541,
    );
  });

  test('the cable page: boxes, paragraph anchors, tag links, references, neighbours', async () => {
    const r = await get(app, '/cable/1996/11/96ANKARA12278.html');
    assert.match(r.text, /<title>96ANKARA12278: GLIMPSES OF THE SHARIA IN TURKEY<\/title>/);
    assert.match(r.text, /1996-11-18 11:42 UTC/);
    assert.match(r.text, /181142Z NOV 96/);
    assert.match(r.text, /<a id="par2" href="#par2"[^>]*>¶<\/a><span class="pm">C<\/span>2\. \(C\)/);
    assert.match(r.text, /TAGS: <a href="\/tag\/PGOV">PGOV<\/a>/);
    assert.match(r.text, /#cablegate/);
    assert.match(r.text, /#96ANKARA12278/);
    assert.match(r.text, /Understanding cables/);
    assert.match(r.text, /ANKARA 11676 <span class="muted">\(not in archive\)<\/span>/);
    assert.ok(Buffer.byteLength(r.text) < 20_000, `${Buffer.byteLength(r.text)} bytes`);
    const j = JSON.parse((await get(app, '/cable/1996/11/96ANKARA12278.json')).text);
    assert.equal(j.cable.id, '96ANKARA12278');
    assert.ok(j.cable.paragraphs.length >= 8);
  });

  test('no ¶ anchor other than on the parsed paragraphs', async () => {
    const ids = JSON.parse((await get(app, '/date/2009-12.json')).text).rows.slice(0, 20) as {
      id: string;
      created: string;
    }[];
    for (const row of ids) {
      const d = JSON.parse(
        (await get(app, `/cable/${row.created.slice(0, 4)}/${row.created.slice(5, 7)}/${row.id}.json`)).text,
      );
      const html = (
        await get(app, `/cable/${row.created.slice(0, 4)}/${row.created.slice(5, 7)}/${row.id}.html`)
      ).text;
      const anchors = [...html.matchAll(/<a id="(par[\d-]+)"/g)].length;
      assert.equal(anchors, d.cable.paragraphs.length, row.id);
    }
  });

  test('a cited released cable is linked and its citing cable listed under "Cited by"', async () => {
    const row = archive.db
      .prepare(
        `SELECT c.canonical_id AS citing, t.canonical_id AS cited, t.created AS created FROM refs r
         JOIN cables c ON c.id = r.cable_id JOIN aliases a ON a.alias = r.target JOIN cables t ON t.id = a.cable_id
         WHERE t.id <> c.id LIMIT 1`,
      )
      .get() as { citing: string; cited: string; created: string };
    const cited = await get(
      app,
      `/cable/${row.created.slice(0, 4)}/${row.created.slice(5, 7)}/${row.cited}.html`,
    );
    assert.match(cited.text, /Cited by \(/);
    assert.ok(cited.text.includes(`>${row.citing}</a>`));
    const citing = await get(app, `/cable/${row.citing}.json`);
    assert.equal(citing.status, 301);
    const refs = JSON.parse((await get(app, citing.location!)).text).references as {
      status: string;
      target: { id: string } | null;
    }[];
    assert.ok(refs.some((x) => x.status === 'released' && x.target?.id === row.cited));
  });
});

describe('?hl= highlights the query terms on a cable page', () => {
  const page = '/cable/1996/11/96ANKARA12278.html';
  const marks = (html: string) => [...html.matchAll(/<mark>([^<]*)<\/mark>/g)].map((m) => m[1]!);
  const pre = (html: string) => [...html.matchAll(/<pre>([\s\S]*?)<\/pre>/g)].map((m) => m[1]!);

  test('every occurrence of a word is marked, in the subject and the body, and nothing else', async () => {
    const d = JSON.parse((await get(app, page.replace('.html', '.json'))).text);
    const occurrences = (d.cable.body.match(/\bsharia\b/gi) ?? []).length;
    assert.ok(occurrences > 0);
    const r = await get(app, `${page}?hl=sharia`);
    assert.equal(r.status, 200);
    assert.match(r.text, /<h1>[^<]*GLIMPSES OF THE <mark>SHARIA<\/mark> IN TURKEY<\/h1>/);
    const body = pre(r.text)[1]!;
    assert.deepEqual(
      marks(body).map((m) => m.toLowerCase()),
      Array(occurrences).fill('sharia'),
    );
    // Taking the marks out gives back the plain page's body.
    const plain = pre((await get(app, page)).text)[1]!;
    assert.equal(body.replace(/<\/?mark>/g, ''), plain);
    assert.match(r.text, /Highlighting: <q>sharia<\/q>/);
    assert.ok(r.text.includes(`<a href="${page}">clear</a>`));
    assert.ok(r.text.includes(`<link rel="canonical" href="${page}"/>`));
  });

  test('prefixes and phrases match as the index does; field filters and negations mark nothing', async () => {
    const prefix = marks((await get(app, `${page}?hl=${encodeURIComponent('turk*')}`)).text);
    assert.ok(prefix.length > 1);
    for (const m of prefix) assert.match(m, /^turk/i);
    const phrase = marks((await get(app, `${page}?hl=${encodeURIComponent('"religious affairs"')}`)).text);
    assert.ok(phrase.length > 0);
    for (const m of phrase) assert.match(m, /^religious\s+affairs$/i);
    for (const q of ['tag:PGOV', 'turkey -sharia']) {
      const got = marks((await get(app, `${page}?hl=${encodeURIComponent(q)}`)).text);
      assert.ok(!got.some((m) => /sharia|pgov/i.test(m)), q);
    }
  });

  test('the hl value and the marked cable text are escaped', async () => {
    const evil = '<script>alert(1)</script> "x" & <img src=x>';
    const r = await get(app, `${page}?hl=${encodeURIComponent(evil)}`);
    assert.equal(r.status, 200);
    assert.ok(!r.text.includes('<script'), 'no script element');
    assert.ok(!r.text.includes('<img'), 'no img element');
    assert.ok(r.text.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    const h = await get(app, `/cable/2009/12/${HOSTILE.id}.html?hl=script`);
    assert.ok(!h.text.includes('<script'));
    assert.ok(h.text.includes('&lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt;'));
  });

  test('the canonical page, its cache and its JSON twin are unaffected', async () => {
    const cached = createApp(archive.reader, { cacheBytes: 1 << 20 });
    const first = (await get(cached, page)).text;
    const withHl = (await get(cached, `${page}?hl=sharia`)).text;
    assert.ok(marks(withHl).length > 0, 'a cached canonical page does not answer ?hl=');
    assert.equal((await get(cached, page)).text, first);
    assert.equal(marks(first).length, 0);
    const json = (await get(app, page.replace('.html', '.json'))).text;
    assert.equal((await get(app, `${page.replace('.html', '.json')}?hl=sharia`)).text, json);
    const moved = await get(app, '/cable/96ANKARA12278?hl=sharia');
    assert.equal(moved.status, 301);
    assert.equal(moved.location, `${page}?hl=sharia`);
  });
});

describe('hostile text is escaped', () => {
  test('no markup from a cable reaches the page unescaped', async () => {
    const r = await get(app, `/cable/2009/12/${HOSTILE.id}.html`);
    assert.equal(r.status, 200);
    assert.ok(!r.text.includes('<script'), 'no script element');
    assert.ok(!r.text.includes('<img'), 'no img element');
    assert.ok(!r.text.includes('<b>'));
    assert.ok(r.text.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    for (const p of ['/reldate/2010-12-01', '/origins', '/feed/latest.atom', '/date/2009-12']) {
      const x = await get(app, p);
      assert.ok(!x.text.includes('<script'), p);
    }
    const j = JSON.parse((await get(app, `/cable/2009/12/${HOSTILE.id}.json`)).text);
    assert.ok(j.cable.body.includes('<script>alert(1)</script>'), 'JSON keeps the text as it is');
  });
});

describe('legacy URLs, redirects and errors', () => {
  test('the original site addresses keep working', async () => {
    const cases: [string, number, string | null][] = [
      ['/cable/1996/11/96ANKARA12278.html', 200, null],
      ['/tag/PGOV_0.html', 301, '/tag/PGOV'],
      ['/tag/PGOV_2.html', 301, '/tag/PGOV?page=3'],
      ['/reldate/2010-11-28_0.html', 301, '/reldate/2010-11-28'],
      ['/date/2009-12_0.html', 301, '/date/2009-12'],
      ['/classification/1_0.html', 301, '/classification/confidential'],
      ['/classification/6_0.html', 301, '/classification/unclassified-for-official-use-only'],
      ['/origin/7_0.html', 301, '/origins'],
      ['/cable/96ANKARA12278', 301, '/cable/1996/11/96ANKARA12278.html'],
      ['/cable/2001/01/96ANKARA12278.html', 301, '/cable/1996/11/96ANKARA12278.html'],
      ['/cable/1996/11/96ankara12278.html', 301, '/cable/1996/11/96ANKARA12278.html'],
      ['/cable/1996/11/96ANKARA012278.html', 301, '/cable/1996/11/96ANKARA12278.html'],
      ['/index.html', 301, '/'],
    ];
    for (const [p, status, loc] of cases) {
      const r = await get(app, p);
      assert.equal(r.status, status, p);
      if (loc) assert.equal(r.location, loc, p);
    }
    const alias = archive.db
      .prepare(
        `SELECT a.alias, c.canonical_id, c.created FROM aliases a JOIN cables c ON c.id = a.cable_id
         WHERE a.alias <> c.canonical_id LIMIT 1`,
      )
      .get() as { alias: string; canonical_id: string; created: string };
    const r = await get(app, `/cable/2000/01/${alias.alias}.html`);
    assert.equal(r.status, 301);
    assert.ok(r.location?.endsWith(`/${alias.canonical_id}.html`));
  });

  test('bad input gives 400 or 404, never 500', async () => {
    const bad: [string, number][] = [
      ['/nope', 404],
      ['/cable/2009/12/../../etc/passwd', 404],
      ['/cable/2009/12/%2e%2e%2f%2e%2e%2fetc.html', 404],
      ['/cable/2009/12/09NOSUCHPOST1.html', 404],
      ['/tag/PGOV?page=0', 400],
      ['/tag/PGOV?page=-1', 400],
      ['/tag/PGOV?page=abc', 400],
      ['/tag/PGOV?page=99999', 404],
      ['/tag/PGOV?sort=subject', 400],
      ['/tag/PGOV?dir=sideways', 400],
      ['/tag/NOSUCHTAG', 404],
      ['/origin/nowhere', 404],
      ['/classification/9_0.html', 404],
      ['/reldate/2010-02-30', 404],
      ['/reldate/1999-01-01', 404],
      ['/date/2009-13', 404],
      ['/date/1900', 404],
      ['/tags/AB', 404],
      ['/feed/tag/NOSUCH.atom', 404],
      ['/sitemap/cables-99.xml', 404],
      ['/tag/%E0%A4%A', 404],
      [`/tag/PGOV?q=${'x'.repeat(5000)}`, 414],
    ];
    for (const [p, status] of bad) {
      const r = await get(app, p);
      assert.equal(r.status, status, p);
    }
    const j = await get(app, '/tag/NOSUCHTAG.json');
    assert.equal(j.status, 404);
    assert.match(j.type, /json/);
  });

  test('a 404 suggests the public cable with the same station and serial', async () => {
    const r = await get(app, '/cable/1997/11/97ANKARA12278.html');
    assert.equal(r.status, 404);
    assert.match(r.text, /Did you mean <a href="\/cable\/1996\/11\/96ANKARA12278.html">96ANKARA12278<\/a>/);
  });
});

describe('feeds, sitemap, robots, static export', () => {
  test('Atom feeds for latest, tag and origin', async () => {
    for (const p of ['/feed/latest.atom', '/feed/tag/PGOV.atom', '/feed/origin/embassy-ankara.atom']) {
      const r = await get(app, p);
      assert.equal(r.status, 200, p);
      assert.match(r.type, /atom\+xml/);
      assert.match(r.text, /<feed xmlns="http:\/\/www.w3.org\/2005\/Atom">/);
      assert.ok((r.text.match(/<entry>/g) ?? []).length > 0, p);
    }
  });

  test('the sitemap lists every released cable and robots.txt points at it', async () => {
    const r = await get(app, '/sitemap.xml');
    assert.equal(r.status, 200);
    const urls = [...r.text.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]!);
    assert.equal(urls.filter((u) => u.includes('/cable/')).length, 2541);
    assert.ok(urls.includes('http://localhost/tag/PGOV'));
    const robots = await get(app, '/robots.txt');
    assert.match(robots.text, /Sitemap: http:\/\/localhost\/sitemap.xml/);
  });

  test('the app lists its page patterns, and each fixed page answers at its twin', async () => {
    const routes = pageRoutes(app);
    const paths = routes.map((r) => r.path);
    for (const p of ['/', '/reldate', '/tags', '/tag/:file', '/cable/:y/:m/:file', '/history/:file', '/help'])
      assert.ok(paths.includes(p), p);
    for (const r of routes) {
      if (r.json === null) continue;
      const j = await get(app, r.json);
      assert.match(j.type, /application\/json/, r.json);
      assert.ok(j.status === 200 || (r.path === '/search' && j.status === 404), `${r.json} → ${j.status}`);
    }
  });

  test('renderPath renders a route to bytes without a socket', async () => {
    const r = await renderPath(app, '/cable/1996/11/96ANKARA12278.html');
    assert.equal(r.status, 200);
    assert.match(r.contentType, /text\/html/);
    assert.ok(Buffer.from(r.body).toString('utf8').includes('96ANKARA12278'));
  });

  test('every link from the home page and the main indexes resolves', async () => {
    const seen = new Set<string>();
    for (const start of [
      '/',
      '/tags',
      '/origins',
      '/reldate',
      '/date',
      '/cable/1996/11/96ANKARA12278.html',
    ]) {
      for (const l of links((await get(app, start)).text)) {
        if (seen.has(l)) continue;
        seen.add(l);
        const r = await get(app, l);
        assert.ok(r.status === 200 || (r.status === 404 && l.startsWith('/search')), `${l} → ${r.status}`);
      }
    }
    assert.ok(seen.size > 50);
  });
});
