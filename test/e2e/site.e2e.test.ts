/**
 * The public site in a real browser: Debian's Chromium driven by playwright-core against a real
 * `cables serve` child process over an archive of the real dev cables. Walks the seed's journey
 * (home → tag index → tag listing → cable → ¶ link → cited cable → back), runs axe-core on the main
 * pages, checks a 375 px viewport and a context without JavaScript, and saves screenshots to
 * test-artifacts/screenshots/.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { fixture, projectRoot } from '../fixtures.js';
import { startServer } from '../serve-child.js';

const CHROMIUM = '/usr/bin/chromium';
const inCI = process.env['CI'] === 'true';
// Outside CI a machine without Chromium skips with a hint; in CI the browser tests must run.
const skip = !existsSync(CHROMIUM) && !inCI ? `${CHROMIUM} missing: apt-get install chromium` : false;

const shots = join(projectRoot, 'test-artifacts', 'screenshots');
const debug = process.env['E2E_DEBUG'] ? (m: string) => process.stderr.write(`e2e: ${m}\n`) : () => {};

/** What the journey needs, picked from the archive itself so the test follows the data. */
interface Journey {
  released: number;
  total: number;
  cable: string;
  tag: string;
  paragraph: number;
  cited: string;
  headerLine: string;
  bodyLine: string;
}

function pickJourney(db: string): Journey {
  const d = new Database(db, { readonly: true });
  try {
    const now = new Date().toISOString();
    const pub = (a: string) => `(${a}.released_at IS NOT NULL AND ${a}.released_at <= @now)`;
    const counts = d
      .prepare(`SELECT count(*) AS total, sum(${pub('c')}) AS released FROM cables c`)
      .get({ now }) as { total: number; released: number };
    // A cable with a numbered paragraph, a REF to another public cable of the archive, and a tag
    // small enough that the tag's first listing page shows it.
    const row = d
      .prepare(
        `SELECT c.canonical_id AS cable, t.name AS tag, c2.canonical_id AS cited,
           (SELECT min(p.number) FROM paragraphs p WHERE p.cable_id = c.id) AS paragraph,
           v.header AS header, v.body AS body
         FROM cables c
         JOIN versions v ON v.id = c.version_id
         JOIN refs r ON r.cable_id = c.id
         JOIN cables c2 ON c2.canonical_id = r.target AND c2.id <> c.id AND ${pub('c2')}
         JOIN cable_tags ct ON ct.cable_id = c.id
         JOIN tags t ON t.id = ct.tag_id
         WHERE ${pub('c')}
           AND EXISTS (SELECT 1 FROM paragraphs p WHERE p.cable_id = c.id)
           AND t.name GLOB '[A-Z]*'
           AND (SELECT count(*) FROM cable_tags x JOIN cables cx ON cx.id = x.cable_id
                WHERE x.tag_id = t.id AND ${pub('cx')}) BETWEEN 2 AND 40
         ORDER BY c.canonical_id LIMIT 1`,
      )
      .get({ now }) as
      | { cable: string; tag: string; cited: string; paragraph: number; header: string; body: string }
      | undefined;
    assert.ok(row, 'the dev archive has a cable fit for the journey');
    // Plain lines, away from paragraph numbers (which gain a ¶ link and a marking badge).
    const lines = (s: string) =>
      s
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l.length >= 8 && !/^\(?\d/.test(l));
    const headerLine = lines(row.header)[0];
    const bodyLine = lines(row.body).sort((a, b) => b.length - a.length)[0];
    assert.ok(headerLine && bodyLine, `cable ${row.cable} has plain header and body lines to look for`);
    const { header: _h, body: _b, ...picked } = row;
    return { ...counts, ...picked, headerLine, bodyLine };
  } finally {
    d.close();
  }
}

function run(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: projectRoot,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    p.stderr.on('data', (b: Buffer) => {
      err += b.toString();
    });
    p.on('error', reject);
    p.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`cables ${args[0]} exit ${code}: ${err}`)),
    );
  });
}

const num = (s: string) => Number(s.replace(/[^\d]/g, ''));

/** The counter "released so far N / TOTAL", as numbers. */
async function counter(page: Page): Promise<{ n: number; total: number }> {
  const text = ((await page.locator('body').textContent()) ?? '').replace(/\s+/g, ' ');
  const m = /released so far\W*([\d,. ]*\d)\s*\/\s*([\d,.]*\d)/i.exec(text);
  assert.ok(m, `no "released so far N / TOTAL" counter on ${page.url()}`);
  return { n: num(m[1]!), total: num(m[2]!) };
}

async function checkCounter(page: Page, j: Journey): Promise<void> {
  assert.deepEqual(await counter(page), { n: j.released, total: j.total }, `counter on ${page.url()}`);
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

async function axe(page: Page, axeSource: string): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: axeSource });
  const r = (await page.evaluate('axe.run(document, { resultTypes: ["violations"] })')) as {
    violations: AxeViolation[];
  };
  return r.violations;
}

/** axe-core's serious and critical violations on the page, one line each. */
async function seriousViolations(page: Page, axeSource: string): Promise<string[]> {
  debug(`axe on ${page.url()}`);
  return (await axe(page, axeSource))
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help} (${v.nodes.length}×, e.g. ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join(', ')})`,
    );
}

async function shot(page: Page, name: string, fullPage = true): Promise<void> {
  debug(`screenshot ${name} of ${page.url()}`);
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage });
}

/** Normalised text of every `<pre>` on the page. */
async function preTexts(page: Page): Promise<string[]> {
  return (await page.locator('pre').allInnerTexts()).map((t) => t.replace(/[ \t]+/g, ' '));
}

async function horizontalOverflow(page: Page): Promise<number> {
  return (await page.evaluate(
    'document.documentElement.scrollWidth - document.documentElement.clientWidth',
  )) as number;
}

describe('the site in a real browser', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'e2e-site-'));
  const db = join(dir, 'dev.sqlite');
  let server: ChildProcess | undefined;
  let base = '';
  let browser: Browser | undefined;
  let ctx: BrowserContext;
  let j: Journey;
  const axeSource = readFileSync(join(projectRoot, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  // Pages the journey reached, for the no-JavaScript and narrow-viewport checks.
  const urls = { home: '', tagIndex: '', listing: '', cable: '', cited: '', highlighted: '' };

  before(async () => {
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} missing: apt-get install chromium`);
    mkdirSync(shots, { recursive: true });
    // Resolve the fixture first: a throw after the browser launch would leave Chromium running.
    const corpus = fixture('corpus', 'cables.dev.jsonl.gz');
    const launched = chromium
      .launch({
        executablePath: CHROMIUM,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-dev-shm-usage',
          '--disable-background-networking',
          '--disable-component-update',
          '--no-first-run',
          '--disable-sync',
        ],
      })
      .then((b) => {
        browser = b;
      });
    // The browser starts while the archive is built; both settle before a failure is raised, so
    // `after` can close a browser that did start.
    const settled = await Promise.allSettled([run(['ingest', corpus, '--db', db]), launched]);
    for (const s of settled) if (s.status === 'rejected') throw s.reason;
    j = pickJourney(db);
    debug(`journey ${JSON.stringify(j)}`);
    ({ child: server, base } = await startServer(db));
    debug(`server at ${base}`);
    // axe is injected as a script tag, which a strict Content-Security-Policy would refuse.
    ctx = await browser!.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
    ctx.setDefaultTimeout(15_000);
  });

  after(async () => {
    await browser?.close();
    server?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  test("the seed's journey: home → tag index → tag → cable → ¶ → cited cable → back", async () => {
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));

    // Home
    const home = await page.goto(`${base}/`);
    assert.equal(home?.status(), 200);
    urls.home = page.url();
    assert.ok((await page.title()).trim().length > 0, 'home has a <title>');
    await checkCounter(page, j);
    await shot(page, 'home');

    // Tag index, through a link of the page (navigation), not a typed URL.
    const hrefs = await page
      .locator('a[href]')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    const tagIndexHref = hrefs.find((h) => /^\/tags?\/?(index\.html)?$|^\/tags?\.html$/.test(h));
    assert.ok(tagIndexHref, `home links to a tag index (links: ${hrefs.slice(0, 40).join(' ')})`);
    await Promise.all([
      page.waitForURL((u) => u.pathname === tagIndexHref),
      page.click(`a[href="${tagIndexHref}"]`),
    ]);
    urls.tagIndex = page.url();
    assert.match(await page.title(), /tag/i);
    await checkCounter(page, j);
    await shot(page, 'tag-index');

    // A tag's listing, through the tag's initial letter when the index is split by letter.
    const tagHref = `/tag/${encodeURIComponent(j.tag)}`;
    if ((await page.locator(`main a[href="${tagHref}"]`).count()) === 0) {
      const letter = page.locator(`main a[href="${tagIndexHref.replace(/\/$/, '')}/${j.tag[0]}"]`).first();
      await Promise.all([page.waitForURL(`**/${j.tag[0]}`), letter.click()]);
      await checkCounter(page, j);
    }
    const tagLink = page.locator(`main a[href="${tagHref}"]`).first();
    await Promise.all([page.waitForURL(`**/tag/${encodeURIComponent(j.tag)}`), tagLink.click()]);
    urls.listing = page.url();
    assert.match(await page.title(), new RegExp(j.tag));
    await checkCounter(page, j);
    assert.ok((await page.locator('table').count()) >= 1, 'the listing is a table');
    await shot(page, 'listing-tag');

    // The cable page
    const cableLink = page.locator(`a[href$="/${j.cable}.html"]`).first();
    await Promise.all([page.waitForURL(`**/${j.cable}.html`), cableLink.click()]);
    urls.cable = page.url();
    assert.match(page.url(), /\/cable\/\d{4}\/\d\d\/[^/]+\.html$/);
    assert.match(await page.title(), new RegExp(`^${j.cable}: `));
    await checkCounter(page, j);
    // The three boxes: metadata table with the reference ID, the header and the body as <pre>.
    const meta = (await page.locator('table').first().textContent()) ?? '';
    assert.match(meta, new RegExp(j.cable), 'metadata table names the reference ID');
    for (const field of ['Created', 'Released', 'Classification', 'Origin']) {
      assert.match(meta, new RegExp(field, 'i'), `metadata table has ${field}`);
    }
    const pres = await preTexts(page);
    assert.ok(pres.length >= 2, 'header and body boxes are <pre>');
    const norm = (s: string) => s.replace(/[ \t]+/g, ' ');
    assert.ok(
      pres.some((p) => p.includes(norm(j.headerLine))),
      `a <pre> holds the header line "${j.headerLine}"`,
    );
    assert.ok(
      pres.some((p) => p.includes(norm(j.bodyLine))),
      `a <pre> holds the body line "${j.bodyLine}"`,
    );
    // Paragraph anchors: every ¶ link points at an element that exists.
    const parHrefs = await page
      .locator('a[href*="#par"]')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    assert.ok(parHrefs.length > 0, 'the cable page has ¶ links');
    for (const h of parHrefs) {
      const id = h.slice(h.indexOf('#') + 1);
      assert.match(id, /^par\d+$/);
      assert.equal(await page.locator(`[id="${id}"]`).count(), 1, `anchor ${id} exists once`);
    }
    await shot(page, 'cable');

    // ¶ link
    const par = `par${j.paragraph}`;
    await page.locator(`a[href$="#${par}"]`).first().click();
    await page.waitForURL(`**#${par}`);
    assert.equal(new URL(page.url()).hash, `#${par}`);
    assert.equal(await page.locator(`[id="${par}"]`).count(), 1);
    const top = (await page.evaluate(
      `document.getElementById(${JSON.stringify(par)}).getBoundingClientRect().top`,
    )) as number;
    assert.ok(top >= -2 && top < 900, `the ¶ target is scrolled into view (top ${top})`);
    const cableWithPar = page.url();

    // A REF to a cable in the archive
    const refLink = page.locator(`a[href$="/${j.cited}.html"]`).first();
    await Promise.all([page.waitForURL(`**/${j.cited}.html`), refLink.click()]);
    urls.cited = page.url();
    assert.match(await page.title(), new RegExp(`^${j.cited}: `));
    await checkCounter(page, j);
    await shot(page, 'cable-cited');

    // Back
    await page.goBack();
    assert.equal(page.url(), cableWithPar);
    assert.match(await page.title(), new RegExp(`^${j.cable}: `));
    await checkCounter(page, j);

    assert.deepEqual(errors, [], 'no script errors');
    await page.close();
  });

  test('a search result opens the cable with the query terms marked', async () => {
    const word = (j.bodyLine.match(/[A-Za-z]{5,}/g) ?? []).sort((a, b) => b.length - a.length)[0];
    assert.ok(word, 'the body line has a word to search for');
    const page = await ctx.newPage();
    await page.goto(`${base}/search?q=${encodeURIComponent(word)}`);
    const hit = page.locator('a[href*="?hl="]').first();
    assert.equal(await hit.count(), 1, `a result for ${word} links with ?hl=`);
    await Promise.all([page.waitForURL('**/cable/**'), hit.click()]);
    urls.highlighted = page.url();
    const marks = await page.locator('pre mark, h1 mark').allTextContents();
    assert.ok(marks.length > 0, 'terms are marked');
    const fold = (x: string) => x.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
    for (const m of marks) assert.equal(fold(m), fold(word));
    await page.locator('.hl-note a', { hasText: 'clear' }).click();
    await page.waitForURL((u) => !u.search.includes('hl='));
    assert.equal(await page.locator('mark').count(), 0, 'clear shows the plain page');
    await page.close();
  });

  test('axe-core finds no serious or critical violation on the main pages', async () => {
    assert.ok(urls.cable, 'the journey reached a cable page');
    const page = await ctx.newPage();
    const found: string[] = [];
    for (const [label, url] of Object.entries(urls)) {
      if (label === 'cited') continue;
      await page.goto(url);
      found.push(...(await seriousViolations(page, axeSource)).map((v) => `${label}: ${v}`));
    }
    await page.close();
    assert.deepEqual(found, [], 'axe violations of impact serious or critical');
  });

  test('a 375 px viewport does not scroll sideways', async () => {
    assert.ok(urls.cable, 'the journey reached a cable page');
    const mobile = await browser!.newContext({
      viewport: { width: 375, height: 740 },
      isMobile: true,
      hasTouch: true,
    });
    try {
      const page = await mobile.newPage();
      await page.goto(urls.cable);
      await shot(page, 'cable-375px');
      await shot(page, 'cable-375px-top', false);
      assert.equal(await horizontalOverflow(page), 0, 'cable page fits 375 px');
      for (const [name, url] of [
        ['home', urls.home],
        ['listing', urls.listing],
      ] as const) {
        await page.goto(url);
        await shot(page, `${name}-375px`);
        await shot(page, `${name}-375px-top`, false);
        assert.equal(await horizontalOverflow(page), 0, `${name} fits 375 px`);
      }
    } finally {
      await mobile.close();
    }
  });

  test('the pages work without JavaScript', async () => {
    assert.ok(urls.cable, 'the journey reached a cable page');
    const noJs = await browser!.newContext({ javaScriptEnabled: false });
    try {
      const page = await noJs.newPage();
      // Each page also has its own <title> (the original titled every page "Cable Viewer").
      const titles: string[] = [];
      for (const url of [urls.home, urls.tagIndex, urls.listing, urls.cable]) {
        const r = await page.goto(url);
        assert.equal(r?.status(), 200, url);
        await checkCounter(page, j);
        titles.push((await page.title()).trim());
      }
      assert.equal(
        new Set(titles.filter(Boolean)).size,
        titles.length,
        `distinct titles: ${titles.join(' | ')}`,
      );
      // On the cable page: the boxes are there, and ¶ links and REF links are plain links.
      assert.ok((await preTexts(page)).length >= 2);
      await page.locator(`a[href$="#par${j.paragraph}"]`).first().click();
      assert.equal(new URL(page.url()).hash, `#par${j.paragraph}`);
      await Promise.all([
        page.waitForURL(`**/${j.cited}.html`),
        page.locator(`a[href$="/${j.cited}.html"]`).first().click(),
      ]);
      await checkCounter(page, j);
      // The home page's charts are server-rendered SVG.
      await page.goto(urls.home);
      assert.ok((await page.locator('svg').count()) >= 1, 'home has an SVG chart without JavaScript');
      await shot(page, 'home-nojs');
    } finally {
      await noJs.close();
    }
  });
});
