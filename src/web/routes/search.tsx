/**
 * The search pages: `/search?q=…` (results, facets that narrow the query, a histogram over time,
 * cursor pagination, sort orders), its `.json` twin, an Atom feed of a query, full exports as CSV
 * and JSON lines (streamed, every hit, the same filters), and `/search/help` for the language.
 * Mounted as a `WebModule`: `createApp(reader, { modules: [searchRoutes(engine)] })`.
 */
import { Feed } from 'feed';
import type { Context, Hono } from 'hono';
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { narrowQuery, type QueryNode } from '../../search/query.js';
import {
  type FacetValue,
  type SearchEngine,
  type SearchResult,
  type Snippet,
  SORT_ORDERS,
  type SortOrder,
} from '../../search/types.js';
import type { Format, WebContext, WebModule } from '../app.js';
import { cableUrl, fmt, monthName, shortTime } from '../urls.js';

/** An excerpt with its matches in `<mark>` (JSX escapes the text). */
function marked(s: Snippet): Child[] {
  const out: Child[] = [];
  let at = 0;
  for (const [a, b] of s.marks) {
    out.push(s.text.slice(at, a), <mark>{s.text.slice(a, b)}</mark>);
    at = b;
  }
  out.push(s.text.slice(at));
  return out;
}

const SORT_LABELS: Record<SortOrder, string> = {
  relevance: 'Relevance',
  '-created': 'Created, newest first',
  created: 'Created, oldest first',
  '-released': 'Released, newest first',
  released: 'Released, oldest first',
};
const MAX_Q = 500;
const FEED_ITEMS = 50;

interface Params {
  q: string;
  sort: SortOrder | undefined;
  cursor: string | null;
  limit: number;
}

function params(c: Context, defLimit: number): Params | string {
  const q = c.req.query('q') ?? '';
  if (q.length > MAX_Q) return `q: at most ${MAX_Q} characters`;
  const sort = c.req.query('sort');
  if (sort !== undefined && sort !== '' && !SORT_ORDERS.includes(sort as SortOrder)) {
    return `sort must be one of ${SORT_ORDERS.join(', ')}`;
  }
  const limit = c.req.query('limit');
  if (limit !== undefined && !/^(?:[1-9]\d?|100)$/.test(limit))
    return 'limit must be a whole number from 1 to 100';
  return {
    q,
    sort: sort ? (sort as SortOrder) : undefined,
    cursor: c.req.query('cursor') || null,
    limit: limit ? Number(limit) : defLimit,
  };
}

export function searchUrl(
  q: string,
  extra: { sort?: SortOrder | undefined; cursor?: string | null } = {},
  path = '/search',
): string {
  const u = new URLSearchParams();
  if (q) u.set('q', q);
  if (extra.sort) u.set('sort', extra.sort);
  if (extra.cursor) u.set('cursor', extra.cursor);
  const s = u.toString();
  return s ? `${path}?${s}` : path;
}

/** The link of a hit: the cable page, asking it to highlight the query's terms. */
export function hitUrl(id: string, created: string | null, q: string): string {
  return q.trim() ? `${cableUrl(id, created)}?hl=${encodeURIComponent(q)}` : cableUrl(id, created);
}

const FACET_FIELD: Record<string, (v: string) => QueryNode> = {
  tag: (v) => ({ kind: 'filter', field: 'tag', value: v }),
  origin: (v) => ({ kind: 'filter', field: 'origin', value: v }),
  classification: (v) => ({ kind: 'filter', field: 'classification', value: v }),
  marking: (v) => ({ kind: 'filter', field: 'marking', value: v }),
  year: (v) => ({ kind: 'range', field: 'year', from: v, to: v }),
};

const FACET_TITLES: [keyof NonNullable<SearchResult['facets']>, string][] = [
  ['year', 'Year'],
  ['tag', 'Tag'],
  ['origin', 'Origin'],
  ['classification', 'Classification'],
  ['marking', 'Paragraph marking'],
];

// The site stylesheet belongs to the layout; the few rules only these pages need travel with them.
const CSS = `
.sr-form{display:flex;flex-wrap:wrap;gap:6px;align-items:center;margin:8px 0}
.sr-form input[type=search]{flex:1;min-width:14rem;padding:6px 8px;border:1px solid #767676;border-radius:4px;font:inherit}
.sr-form select,.sr-form button{padding:5px 8px;font:inherit}
.sr-grid{display:grid;grid-template-columns:1fr 15rem;gap:0 20px}
.sr-hits{list-style:none;padding:0;margin:0}.sr-hits li{padding:8px 0;border-bottom:1px solid var(--line)}
.sr-hits .id{font-family:ui-monospace,monospace;margin-right:6px}
.sr-meta{font-size:.85rem;color:var(--muted)}
.sr-snip{margin:4px 0 0;font-size:.92rem}.sr-snip mark{background:#fff0a8;color:inherit}
.sr-facets h2{font-size:.95rem;margin:12px 0 4px}.sr-facets ul{list-style:none;padding:0;margin:0;font-size:.88rem}
.sr-facets li{display:flex;justify-content:space-between;gap:6px}
.histo{display:flex;align-items:flex-end;gap:2px;height:90px;list-style:none;padding:0;margin:8px 0 2px;border-bottom:1px solid var(--line)}
.histo li{flex:1;height:100%;display:flex;align-items:flex-end;min-width:3px}
.histo a{display:block;width:100%;background:var(--accent);min-height:1px;position:relative}
.histo-axis{display:flex;justify-content:space-between;font-size:.8rem;color:var(--muted)}
@media (max-width:60rem){.sr-grid{grid-template-columns:1fr}}
`;

function Facets(p: { r: SearchResult; q: string; sort: SortOrder | undefined }) {
  const f = p.r.facets;
  if (!f) return null;
  const approx = (name: string) => p.r.facetsApproximate && name !== '';
  return (
    <aside class="sr-facets" aria-label="Narrow the results">
      {FACET_TITLES.map(([name, title]) => {
        const values: FacetValue[] = f[name];
        if (values.length === 0) return null;
        return (
          <>
            <h2>{title}</h2>
            <ul>
              {values.map((v) => (
                <li>
                  <a href={searchUrl(narrowQuery(p.q, FACET_FIELD[name]!(v.value)), { sort: p.sort })}>
                    {v.label ?? v.value}
                  </a>
                  <span class="muted">
                    {approx(name) ? '≈' : ''}
                    {fmt(v.count)}
                  </span>
                </li>
              ))}
            </ul>
          </>
        );
      })}
      {p.r.facetsApproximate ? (
        <p class="muted">≈ estimated from an even sample of this large result set.</p>
      ) : null}
    </aside>
  );
}

/** Bars per month, or per year when the results span more than four years. */
function Histogram(p: { r: SearchResult; q: string; sort: SortOrder | undefined }) {
  const h = p.r.histogram;
  if (h.length < 2) return null;
  const first = h[0]!.month;
  const last = h[h.length - 1]!.month;
  const years = Number(last.slice(0, 4)) - Number(first.slice(0, 4)) > 4;
  const buckets = new Map<string, number>();
  if (years) {
    for (let y = Number(first.slice(0, 4)); y <= Number(last.slice(0, 4)); y++) buckets.set(String(y), 0);
    for (const x of h) buckets.set(x.month.slice(0, 4), (buckets.get(x.month.slice(0, 4)) ?? 0) + x.count);
  } else {
    for (const x of h) buckets.set(x.month, x.count);
  }
  const max = Math.max(...buckets.values(), 1);
  const entries = [...buckets];
  return (
    <figure>
      <figcaption class="muted">
        Results by {years ? 'year' : 'month'} of creation{p.r.facetsApproximate ? ' (estimated)' : ''} — click
        a bar to narrow to it
      </figcaption>
      <ol class="histo">
        {entries.map(([k, n]) => {
          const label = `${years ? k : monthName(k)}: ${fmt(n)}`;
          return (
            <li>
              {n > 0 ? (
                <a
                  href={searchUrl(narrowQuery(p.q, { kind: 'range', field: 'created', from: k, to: k }), {
                    sort: p.sort,
                  })}
                  style={`height:${Math.max(1, Math.round((n / max) * 100))}%`}
                  title={label}
                >
                  <span class="vh">{label}</span>
                </a>
              ) : null}
            </li>
          );
        })}
      </ol>
      <div class="histo-axis" aria-hidden="true">
        <span>{years ? entries[0]![0] : monthName(entries[0]![0])}</span>
        <span>{years ? entries[entries.length - 1]![0] : monthName(entries[entries.length - 1]![0])}</span>
      </div>
    </figure>
  );
}

function SearchForm(p: { q: string; sort: SortOrder | undefined }) {
  return (
    <search>
      <form class="sr-form" action="/search" method="get">
        <label for="sq" class="muted">
          Query
        </label>
        <input id="sq" name="q" type="search" value={p.q} maxlength={MAX_Q} />
        <label for="ss" class="muted">
          Sort
        </label>
        <select id="ss" name="sort">
          <option value="">Default</option>
          {SORT_ORDERS.map((s) => (
            <option value={s} selected={p.sort === s}>
              {SORT_LABELS[s]}
            </option>
          ))}
        </select>
        <button type="submit">Search</button>
        <a href="/search/help">Query language</a>
      </form>
    </search>
  );
}

function Results(p: { r: SearchResult; prm: Params }) {
  const { r, prm } = p;
  const q = prm.q;
  const sortLinks = SORT_ORDERS.filter(
    (s) => s !== 'relevance' || r.hits.some((h) => h.score !== null) || r.sort === 'relevance',
  );
  return (
    <>
      <style>{raw(CSS)}</style>
      <h1>{q.trim() ? <>Search: {q}</> : 'Search all released cables'}</h1>
      <SearchForm q={q} sort={prm.sort} />
      {r.messages.map((m) => (
        <p class="note" role="status">
          {m}
        </p>
      ))}
      <p>
        <strong>{fmt(r.total)}</strong> released {r.total === 1 ? 'cable' : 'cables'}
        {r.normalized && r.normalized !== q.trim() ? (
          <>
            {' '}
            for <code>{r.normalized}</code>
          </>
        ) : null}
        . Download all: <a href={searchUrl(q, { sort: prm.sort }, '/search.csv')}>CSV</a> ·{' '}
        <a href={searchUrl(q, { sort: prm.sort }, '/search.jsonl')}>JSON lines</a> ·{' '}
        <a href={searchUrl(q, { sort: prm.sort }, '/search.json')}>this page as JSON</a> ·{' '}
        <a href={searchUrl(q, {}, '/search.atom')}>Atom feed of this query</a>
      </p>
      <nav class="sortbar" aria-label="Sort order">
        Sort:{' '}
        {sortLinks.map((s, i) => (
          <>
            {i > 0 ? ' · ' : ''}
            {s === r.sort ? (
              <strong aria-current="true">{SORT_LABELS[s]}</strong>
            ) : (
              <a href={searchUrl(q, { sort: s })}>{SORT_LABELS[s]}</a>
            )}
          </>
        ))}
      </nav>
      <Histogram r={r} q={q} sort={prm.sort} />
      <div class="sr-grid">
        <section aria-label="Results">
          {r.hits.length === 0 ? (
            <p>
              No released cable matches. See the <a href="/search/help">query language</a>.
            </p>
          ) : (
            <ol class="sr-hits">
              {r.hits.map((h) => (
                <li>
                  <a class="id" href={hitUrl(h.id, h.created, q)}>
                    {h.id}
                  </a>
                  <strong>{h.subject || '(no subject)'}</strong>
                  <div class="sr-meta">
                    Created {shortTime(h.created)} · released {shortTime(h.released)} ·{' '}
                    {h.origin ?? 'unknown origin'} · {h.classification ?? 'unclassified?'}
                    {h.tags.length ? <> · {h.tags.join(' ')}</> : null}
                  </div>
                  {h.snippet?.text ? <p class="sr-snip">{marked(h.snippet)}</p> : null}
                </li>
              ))}
            </ol>
          )}
          <nav class="nav-pn" aria-label="Pages">
            {prm.cursor ? <a href={searchUrl(q, { sort: prm.sort })}>← First page</a> : <span />}
            {r.nextCursor ? (
              <a rel="next" href={searchUrl(q, { sort: prm.sort, cursor: r.nextCursor })}>
                Next page →
              </a>
            ) : null}
          </nav>
        </section>
        <Facets r={r} q={q} sort={prm.sort} />
      </div>
    </>
  );
}

function csvCell(v: string | null): string {
  if (v === null) return '';
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function stream(rows: AsyncIterable<string>): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  const it = rows[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(ctrl) {
      // A few hundred lines per chunk: fewer, larger writes.
      let buf = '';
      for (let i = 0; i < 200; i++) {
        const n = await it.next();
        if (n.done) {
          if (buf) ctrl.enqueue(enc.encode(buf));
          ctrl.close();
          return;
        }
        buf += n.value;
      }
      ctrl.enqueue(enc.encode(buf));
    },
    async cancel() {
      await it.return?.();
    },
  });
}

export function searchRoutes(
  engine: SearchEngine,
  opts: { pageSize?: number; clock?: () => Date } = {},
): WebModule {
  return (app: Hono, ctx: WebContext) => {
    const pageSize = opts.pageSize ?? 20;
    // The embargo is judged by the same clock as the rest of the site.
    const now = () => (opts.clock ? opts.clock() : new Date());

    const page = async (c: Context, format: Format) => {
      const prm = params(c, pageSize);
      if (typeof prm === 'string') return ctx.badRequest(c, prm, format);
      const r = await engine.search(prm.q, {
        ...(prm.sort ? { sort: prm.sort } : {}),
        limit: prm.limit,
        cursor: prm.cursor,
        now: now(),
      });
      if (r.redirect && format === 'html' && !prm.cursor) {
        const hit = r.hits[0];
        if (hit) return c.redirect(cableUrl(hit.id, hit.created), 302);
      }
      const data = {
        query: r.query,
        normalized: r.normalized,
        messages: r.messages,
        total: r.total,
        sort: r.sort,
        results: r.hits.map((h) => ({ ...h, url: cableUrl(h.id, h.created) })),
        nextCursor: r.nextCursor,
        next: r.nextCursor
          ? searchUrl(prm.q, { sort: prm.sort, cursor: r.nextCursor }, '/search.json')
          : null,
        facets: r.facets,
        facetsApproximate: r.facetsApproximate,
        histogram: r.histogram,
        redirect: r.redirect,
      };
      return ctx.send(c, format, {
        title: prm.q.trim() ? `Search: ${prm.q} (${fmt(r.total)})` : 'Search',
        description: `${fmt(r.total)} released cables match ${prm.q || 'everything'}`,
        data,
        json: searchUrl(prm.q, { sort: prm.sort, cursor: prm.cursor }, '/search.json'),
        feed: { href: searchUrl(prm.q, {}, '/search.atom'), title: `Cables matching ${prm.q || 'anything'}` },
        body: () => <Results r={r} prm={prm} />,
      });
    };
    app.get('/search', (c) => page(c, 'html'));
    app.get('/search.json', (c) => page(c, 'json'));

    app.get('/search.atom', async (c) => {
      const prm = params(c, FEED_ITEMS);
      if (typeof prm === 'string') return ctx.badRequest(c, prm);
      const r = await engine.search(prm.q, {
        sort: '-released',
        limit: FEED_ITEMS,
        facets: false,
        now: now(),
      });
      const base = ctx.baseUrl(c);
      const self = `${base}${searchUrl(prm.q, {}, '/search.atom')}`;
      const feed = new Feed({
        id: self,
        title: `${ctx.siteName}: cables matching ${prm.q || 'anything'}`,
        link: `${base}${searchUrl(prm.q, { sort: '-released' })}`,
        updated: r.hits[0]?.released ? new Date(r.hits[0].released) : new Date(0),
        feedLinks: { atom: self },
        generator: 'cable-archive',
        copyright: 'Public domain texts of the US government; see the archive for details',
      });
      for (const h of r.hits) {
        const link = `${base}${cableUrl(h.id, h.created)}`;
        feed.addItem({
          title: `${h.id}: ${h.subject || '(no subject)'}`,
          id: link,
          link,
          date: h.released ? new Date(h.released) : new Date(0),
          description: [h.classification, h.origin, h.created ? `created ${h.created}` : null]
            .filter(Boolean)
            .join(' · '),
        });
      }
      return c.body(feed.atom1(), 200, { 'Content-Type': 'application/atom+xml; charset=utf-8' });
    });

    const exportRoute = (ext: 'csv' | 'jsonl') => async (c: Context) => {
      const prm = params(c, pageSize);
      if (typeof prm === 'string') return ctx.badRequest(c, prm);
      const rows = engine.exportAll(prm.q, { ...(prm.sort ? { sort: prm.sort } : {}), now: now() });
      async function* lines(): AsyncIterable<string> {
        if (ext === 'csv') yield 'id,subject,created,released,origin,classification,tags,url\r\n';
        for await (const r of rows) {
          const url = cableUrl(r.id, r.created);
          yield ext === 'csv'
            ? `${[r.id, r.subject, r.created, r.released, r.origin, r.classification, r.tags.join(' '), url].map(csvCell).join(',')}\r\n`
            : `${JSON.stringify({ ...r, url })}\n`;
        }
      }
      return c.body(stream(lines()), 200, {
        'Content-Type': ext === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
        'Content-Disposition': `attachment; filename="search.${ext}"`,
        // Whole result sets: not for the page cache.
        'Cache-Control': 'no-store',
      });
    };
    app.get('/search.csv', exportRoute('csv'));
    app.get('/search.jsonl', exportRoute('jsonl'));

    app.get('/search/help', (c) =>
      ctx.send(c, 'html', {
        title: 'Search: the query language',
        data: {},
        body: () => <Help />,
      }),
    );
  };
}

function Ex(p: { q: string; children?: unknown }) {
  return (
    <li>
      <a href={searchUrl(p.q)}>
        <code>{p.q}</code>
      </a>{' '}
      — {p.children as string}
    </li>
  );
}

function Help() {
  return (
    <>
      <h1>Searching the cables</h1>
      <p>
        Only released cables are searched. Every result page is a link you can bookmark or share; each has a
        JSON twin, an Atom feed (new releases that match) and downloads of the whole result set as CSV or JSON
        lines.
      </p>
      <h2>Words and phrases</h2>
      <ul>
        <Ex q="nuclear iran">cables containing both words (case and accents do not matter: São = sao)</Ex>
        <Ex q={'"human rights"'}>an exact phrase</Ex>
        <Ex q="negotiat*">words starting with negotiat</Ex>
        <Ex q="hezbollah OR hizballah">either word</Ex>
        <Ex q="iran -israel">iran but not israel (also: iran NOT israel)</Ex>
        <Ex q="(oil OR gas) pipeline">parentheses group</Ex>
        <Ex q="0619">numbers match with or without leading zeros: 0619 = 619 = 000619</Ex>
      </ul>
      <p>
        Words next to each other must all match (AND). AND, OR and NOT are operators only in capitals; AND
        binds tighter than OR.
      </p>
      <h2>Fields</h2>
      <ul>
        <Ex q="subject:scenesetter">in the subject line (body: for the text only)</Ex>
        <Ex q="tag:PGOV tag:IR">tags — as many as you like, all must match</Ex>
        <Ex q="origin:embassy-paris">
          the sending post, by name or address (origin:"Embassy Paris", origin:paris)
        </Ex>
        <Ex q="classification:secret">
          {'SECRET and SECRET//NOFORN; classification:noforn, classification:fouo work too'}
        </Ex>
        <Ex q="marking:S/NF">{'a paragraph marked (S/NF) (S//NF, S/NOFORN are the same)'}</Ex>
        <Ex q="signer:clinton">signed by</Ex>
        <Ex q={'to:"secstate washdc"'}>addressed to (action or info)</Ex>
        <Ex q="id:08MANAMA492">one cable by its reference ID: goes straight to it</Ex>
        <Ex q="created:2009-01..2009-06">
          created in the first half of 2009 (also created:2009, created:2009-03-15, created:..2005)
        </Ex>
        <Ex q="released:2011-08">released in August 2011</Ex>
        <Ex q="year:2008">created in 2008 (year:2005..2007 for a range)</Ex>
      </ul>
      <p>
        A field takes one word or a "quoted value" with no space after the colon. A mistake in a query never
        gives an error: the part that could not be understood is named above the results and the rest is
        searched.
      </p>
      <h2>Results</h2>
      <p>
        Results come best match first (a word in the subject or tags counts more than in the text) or sorted
        by creation or release date; the counts beside each tag, origin, classification, year and marking
        narrow the search when clicked, as do the bars of the histogram. For very large result sets those
        counts are estimated from an even sample and marked ≈; the total is always exact.
      </p>
    </>
  );
}
