import type { Child } from 'hono/jsx';
import { type SearchResult, type Snippet, SORT_ORDERS, type SortOrder } from '../../search/types.js';
import { fmt, hitUrl, searchUrl, shortTime } from '../urls.js';
import { Facets, Histogram } from './search-facets.js';

const SORT_LABELS: Record<SortOrder, string> = {
  relevance: 'Relevance',
  '-created': 'Created, newest first',
  created: 'Created, oldest first',
  '-released': 'Released, newest first',
  released: 'Released, oldest first',
};

/** An excerpt with its matches in `<mark>` (JSX escapes the text). */
export function marked(s: Snippet): Child[] {
  const out: Child[] = [];
  let at = 0;
  for (const [a, b] of s.marks) {
    out.push(s.text.slice(at, a), <mark>{s.text.slice(a, b)}</mark>);
    at = b;
  }
  out.push(s.text.slice(at));
  return out;
}

function SearchForm(p: { q: string; sort: SortOrder | undefined; maxLength: number }) {
  return (
    <search>
      <form class="sr-form" action="/search" method="get">
        <label for="sq" class="muted">
          Query
        </label>
        <input id="sq" name="q" type="search" value={p.q} maxlength={p.maxLength} />
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

function Hits(p: { r: SearchResult; q: string }) {
  if (p.r.hits.length === 0) {
    return (
      <p>
        No released cable matches. See the <a href="/search/help">query language</a>.
      </p>
    );
  }
  return (
    <ol class="sr-hits">
      {p.r.hits.map((h) => (
        <li>
          <a class="id" href={hitUrl(h.id, h.created, p.q)}>
            {h.id}
          </a>
          <strong>{h.subject || '(no subject)'}</strong>
          <div class="sr-meta">
            Created {shortTime(h.created)} · released {shortTime(h.released)} · {h.origin ?? 'unknown origin'}{' '}
            · {h.classification ?? 'unclassified?'}
            {h.tags.length ? <> · {h.tags.join(' ')}</> : null}
          </div>
          {h.snippet?.text ? <p class="sr-snip">{marked(h.snippet)}</p> : null}
        </li>
      ))}
    </ol>
  );
}

export interface SearchViewProps {
  r: SearchResult;
  q: string;
  sort: SortOrder | undefined;
  cursor: string | null;
  /** Longest query the form takes. */
  maxLength: number;
}

export function SearchView(p: SearchViewProps) {
  const { r, q } = p;
  const prm = p;
  const sortLinks = SORT_ORDERS.filter(
    (s) => s !== 'relevance' || r.hits.some((h) => h.score !== null) || r.sort === 'relevance',
  );
  return (
    <>
      <h1>{q.trim() ? <>Search: {q}</> : 'Search all released cables'}</h1>
      <SearchForm q={q} sort={prm.sort} maxLength={p.maxLength} />
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
          <Hits r={r} q={q} />
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
