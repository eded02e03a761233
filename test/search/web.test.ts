/**
 * The search pages on the site, over the real dev cables with a part of them embargoed: results,
 * facets and histogram links, cursor pages, the JSON twin, the feed, the streamed exports (over a
 * real socket), the help page, and nothing embargoed anywhere.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { SqliteSearch } from '../../src/search/sqlite/engine.js';
import { openSqliteArchive, openSqliteDatabase, type SqliteArchive } from '../../src/store/sqlite/archive.js';
import { createApp } from '../../src/web/app.js';
import { searchRoutes } from '../../src/web/routes/search.js';
import { fixture } from '../fixtures.js';
import { get, ingestInto, tempDir } from '../web/archive.js';

let app: Hono;
let cleanup: () => void;
let engine: SqliteSearch;
let site: SqliteArchive;
let hidden: Set<string>;
let shown: { id: string; created: string };
let hiddenOne: string;

before(async () => {
  const t = tempDir('search-web-');
  cleanup = t.cleanup;
  const file = `${t.dir}/dev.sqlite`;
  await ingestInto(file, [fixture('corpus', 'cables.dev.jsonl.gz')], {
    now: () => '2024-01-01T00:00:00.000Z',
  });
  const db = openSqliteDatabase(file);
  db.exec(`UPDATE cables SET released_at = NULL WHERE id % 7 = 2`);
  hidden = new Set(
    db.prepare('SELECT canonical_id FROM cables WHERE released_at IS NULL').pluck().all() as string[],
  );
  shown = db
    .prepare('SELECT canonical_id AS id, created FROM cables WHERE released_at IS NOT NULL AND id = 12')
    .get() as { id: string; created: string };
  hiddenOne = [...hidden][0]!;
  db.close();
  engine = SqliteSearch.open(file);
  site = openSqliteArchive(file, { readonly: true });
  app = createApp(site.reader, { modules: [searchRoutes(engine)], cacheBytes: 0 });
});

after(async () => {
  await engine?.close();
  await site?.close();
  cleanup?.();
});

const leaks = (text: string) =>
  [...hidden].filter((id) => text.includes(`/${id}.html`) || text.includes(`"${id}"`));

describe('search pages', () => {
  it('shows results with snippets, facets and histogram links that narrow the query, and pages by cursor', async () => {
    const r = await get(app, '/search?q=nuclear');
    assert.equal(r.status, 200);
    assert.match(r.text, /<strong>\d[\d,]*<\/strong> released cables/);
    assert.match(r.text, /<mark>nuclear<\/mark>/i);
    assert.match(r.text, /href="\/search\?q=nuclear\+tag%3A[A-Z]+"/);
    assert.match(r.text, /href="\/search\?q=nuclear\+created%3A\d{4}(-\d\d)?"/);
    assert.match(r.text, /\?hl=nuclear"/);
    const next = /href="(\/search\?q=nuclear&amp;cursor=[^"]+)"/.exec(r.text)?.[1]?.replace(/&amp;/g, '&');
    assert.ok(next);
    const p2 = await get(app, next);
    assert.equal(p2.status, 200);
    const ids = (t: string) => [...t.matchAll(/class="id" href="[^"]*\/([^/]+)\.html/g)].map((m) => m[1]);
    assert.equal(ids(r.text).filter((x) => ids(p2.text).includes(x)).length, 0);
    assert.deepEqual(leaks(r.text + p2.text), []);
  });

  it('has a JSON twin with the same total, facets and no embargoed cable', async () => {
    const r = await get(app, '/search.json?q=tag%3APGOV&sort=-created&limit=100');
    assert.equal(r.status, 200);
    const j = JSON.parse(r.text) as {
      total: number;
      results: { id: string }[];
      facets: unknown;
      next: string;
    };
    assert.equal(j.total, (await engine.search('tag:PGOV')).total);
    assert.equal(j.results.length, 100);
    assert.ok(j.facets);
    assert.ok(j.next.startsWith('/search.json?'));
    assert.deepEqual(
      j.results.filter((x) => hidden.has(x.id)),
      [],
    );
  });

  it('jumps to a cable by ID, and an embargoed ID looks like an unknown one', async () => {
    const r = await get(app, `/search?q=id%3A${shown.id.toLowerCase()}`);
    assert.equal(r.status, 302);
    assert.match(r.location ?? '', new RegExp(`/${shown.id}\\.html$`));
    const h = await get(app, `/search?q=id%3A${hiddenOne}`);
    const u = await get(app, '/search?q=id%3A09NOWHERE99999');
    assert.equal(h.status, 200);
    assert.equal(
      h.text.replaceAll(hiddenOne, 'X').replace(/<title>.*?<\/title>/, ''),
      u.text.replaceAll('09NOWHERE99999', 'X').replace(/<title>.*?<\/title>/, ''),
    );
  });

  it('refuses bad parameters with 400, repairs bad syntax with a message, escapes the query', async () => {
    assert.equal((await get(app, '/search?q=iran&sort=bogus')).status, 400);
    const r = await get(app, '/search?q=%22iran+AND');
    assert.equal(r.status, 200);
    assert.match(r.text, /unterminated quote/);
    const x = await get(app, '/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E');
    assert.equal(x.status, 200);
    assert.ok(!x.text.includes('<script>alert(1)'));
  });

  it('serves an Atom feed of a query', async () => {
    const r = await get(app, '/search.atom?q=iran');
    assert.equal(r.status, 200);
    assert.match(r.type, /atom/);
    assert.ok((r.text.match(/<entry>/g) ?? []).length > 0);
    assert.deepEqual(leaks(r.text), []);
  });

  it('streams the whole result set as CSV and JSON lines over HTTP, filters respected', async () => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((ok) => server.once('listening', ok));
    try {
      const port = (server.address() as AddressInfo).port;
      const total = (await engine.search('tag:PGOV -classification:unclassified')).total;
      const q = encodeURIComponent('tag:PGOV -classification:unclassified');
      const csv = await (await fetch(`http://127.0.0.1:${port}/search.csv?q=${q}&sort=created`)).text();
      const lines = csv.trimEnd().split('\r\n');
      assert.equal(lines[0], 'id,subject,created,released,origin,classification,tags,url');
      // Subjects may hold newlines inside quotes; count the records by their URL column.
      assert.equal((csv.match(/,\/cable\/\d{4}\/\d\d\/[^,\r\n]+\.html\r\n/g) ?? []).length, total);
      const jl = await (await fetch(`http://127.0.0.1:${port}/search.jsonl?q=${q}`)).text();
      const rows = jl
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as { id: string; tags: string[]; classification: string });
      assert.equal(rows.length, total);
      assert.ok(rows.every((x) => x.tags.includes('PGOV') && !x.classification.startsWith('UNCLASSIFIED')));
      assert.deepEqual(
        rows.filter((x) => hidden.has(x.id)),
        [],
      );
    } finally {
      await new Promise((ok) => server.close(ok));
    }
  });

  it('documents the query language', async () => {
    const r = await get(app, '/search/help');
    assert.equal(r.status, 200);
    for (const f of [
      'tag:',
      'origin:',
      'classification:',
      'marking:',
      'signer:',
      'to:',
      'id:',
      'created:',
      'year:',
    ]) {
      assert.ok(r.text.includes(f), f);
    }
  });
});
