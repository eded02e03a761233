import type { Child } from 'hono/jsx';
import type { ArchiveReader } from '../store/types.js';
import { Html, html, trusted } from './html.js';
import { classificationUrl, fmt, monthName } from './urls.js';
import { ClassificationName } from './views/components.js';

export interface Chrome {
  /** The header and navigation, pre-rendered once per archive state. */
  header: string;
  nav: string;
  released: number;
  total: number;
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('');

type ChipLink = [href: string, label: Child];

/** A section of the navigation: its index page, then its links as chips. */
function Chips(p: { href: string; title: string; links: ChipLink[] }) {
  return (
    <>
      <h2>
        <a href={p.href}>{p.title}</a>
      </h2>
      <ul class="chips">
        {p.links.map(([href, label]) => (
          <li>
            <a href={href}>{label}</a>
          </li>
        ))}
      </ul>
    </>
  );
}

/** The header and navigation shared by every page; small on purpose (letters and chips, not lists). */
export async function buildChrome(reader: ArchiveReader, siteName: string): Promise<Chrome> {
  const [counts, rel, created, origins, classes] = await Promise.all([
    reader.counts(),
    reader.releaseCalendar(),
    reader.creationCalendar(),
    reader.origins(),
    reader.classifications(),
  ]);
  // The years with 1% of the cables; the long thin tail of early years is one link away.
  const createdTotal = created.reduce((a, y) => a + y.count, 0);
  const busyYears = created.filter((y) => y.count * 100 >= createdTotal);
  const originLetters = new Set(origins.map((o) => o.name.charAt(0).toUpperCase()));
  const header = (
    <header class="top">
      <a class="brand" href="/">
        {siteName}
      </a>
      <p class="counter">
        Currently released so far… <strong>{fmt(counts.released)}</strong> /{' '}
        <strong>{fmt(counts.total)}</strong>
      </p>
      {/* The search module (src/search) serves GET /search?q=… */}
      <search>
        <form action="/search" method="get">
          <label for="q">Search cables</label>
          <input id="q" name="q" type="search" maxlength={500} />
          <button type="submit">Search</button>
        </form>
      </search>
    </header>
  );
  const nav = (
    <nav class="side" aria-label="Browse the archive">
      <Chips
        href="/reldate"
        title="Latest releases"
        links={rel.map((m) => [`/reldate/${m.month}`, monthName(m.month)])}
      />
      <Chips
        href="/date"
        title="Creation date"
        links={[
          ...busyYears.map(
            (y): ChipLink => [
              `/date/${y.year}`,
              <>
                <span class="vh">{String(y.year).slice(0, 2)}</span>
                {String(y.year).slice(2)}
              </>,
            ],
          ),
          ...(busyYears.length < created.length ? [['/date', 'all years'] as ChipLink] : []),
        ]}
      />
      <Chips
        href="/origins"
        title="Origin"
        links={LETTERS.filter((l) => originLetters.has(l)).map((l) => [`/origins#o-${l}`, l])}
      />
      <Chips href="/tags" title="Tag" links={LETTERS.map((l) => [`/tags/${l}`, l])} />
      <Chips
        href="/classifications"
        title="Classification"
        links={classes.map((c) => [classificationUrl(c.name), <ClassificationName name={c.name} />])}
      />
    </nav>
  );
  return {
    header: await header.toString(),
    nav: await nav.toString(),
    released: counts.released,
    total: counts.total,
  };
}

export interface DocumentProps {
  title: string;
  description?: string | undefined;
  chrome: Chrome;
  /** The `.json` twin of this page, when it has one. */
  json?: string | undefined;
  feed?: { href: string; title: string } | undefined;
  canonical?: string | undefined;
}

/** A whole page around its main content. */
export function renderDocument(p: DocumentProps, main: Child | Html): string | Promise<string> {
  if (main instanceof Html) return documentHtml(p, main.html);
  // biome-ignore lint/complexity/noUselessFragments: the fragment renders any Child (text, a list) as markup
  return Promise.resolve((<>{main}</>).toString()).then((m) => documentHtml(p, m));
}

/** The page around `main` (markup): the same on every page but for a few attributes. */
function documentHtml(p: DocumentProps, main: string): string {
  return html`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"/><meta name="viewport" content="width=device-width, initial-scale=1"/><title>${p.title}</title>${
    p.description ? html`<meta name="description" content="${p.description}"/>` : null
  }<link rel="stylesheet" href="/static/style.css"/>${
    p.canonical ? html`<link rel="canonical" href="${p.canonical}"/>` : null
  }${p.json ? html`<link rel="alternate" type="application/json" href="${p.json}"/>` : null}<link rel="alternate" type="application/atom+xml" title="Latest releases" href="/feed/latest.atom"/>${
    p.feed
      ? html`<link rel="alternate" type="application/atom+xml" title="${p.feed.title}" href="${p.feed.href}"/>`
      : null
  }</head><body><a class="skip" href="#main">Skip to content</a>${trusted(p.chrome.header)}<div class="wrap"><main id="main">${trusted(
    main,
  )}</main>${trusted(p.chrome.nav)}</div><footer><p>Cable archive · <a href="/feed/latest.atom">Atom feed of the latest releases</a> · ${
    p.json ? html`<a href="${p.json}">This page as JSON</a>` : null
  }</p></footer></body></html>`.html;
}
