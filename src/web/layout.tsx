import type { ArchiveReader } from '../store/types.js';
import { html, trusted } from './html.js';
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

/** The header and navigation shared by every page; small on purpose (letters and chips, not lists). */
export async function buildChrome(reader: ArchiveReader, siteName: string): Promise<Chrome> {
  const [counts, rel, created, origins, classes] = await Promise.all([
    reader.counts(),
    reader.releaseCalendar(),
    reader.creationCalendar(),
    reader.origins(),
    reader.classifications(),
  ]);
  // The years holding at least 1% of the cables; the long thin tail (a few cables a year since the
  // 1960s) is one link away, not repeated on every page.
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
      <h2>
        <a href="/reldate">Latest releases</a>
      </h2>
      <ul class="chips">
        {rel.map((m) => (
          <li>
            <a href={`/reldate/${m.month}`}>{monthName(m.month)}</a>
          </li>
        ))}
      </ul>
      <h2>
        <a href="/date">Creation date</a>
      </h2>
      <ul class="chips">
        {busyYears.map((y) => (
          <li>
            <a href={`/date/${y.year}`}>
              <span class="vh">{String(y.year).slice(0, 2)}</span>
              {String(y.year).slice(2)}
            </a>
          </li>
        ))}
        {busyYears.length < created.length ? (
          <li>
            <a href="/date">all years</a>
          </li>
        ) : null}
      </ul>
      <h2>
        <a href="/origins">Origin</a>
      </h2>
      <ul class="chips">
        {LETTERS.filter((l) => originLetters.has(l)).map((l) => (
          <li>
            <a href={`/origins#o-${l}`}>{l}</a>
          </li>
        ))}
      </ul>
      <h2>
        <a href="/tags">Tag</a>
      </h2>
      <ul class="chips">
        {LETTERS.map((l) => (
          <li>
            <a href={`/tags/${l}`}>{l}</a>
          </li>
        ))}
      </ul>
      <h2>
        <a href="/classifications">Classification</a>
      </h2>
      <ul class="chips">
        {classes.map((c) => (
          <li>
            <a href={classificationUrl(c.name)}>
              <ClassificationName name={c.name} />
            </a>
          </li>
        ))}
      </ul>
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

/**
 * The page around `main` (markup), as a string: it is the same on every page but for a few
 * attributes, and the header and navigation are pre-rendered per archive state.
 */
export function documentHtml(p: DocumentProps, main: string): string {
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
