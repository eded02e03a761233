import { narrowQuery, type QueryNode } from '../../search/query.js';
import type { FacetValue, SearchResult, SortOrder } from '../../search/types.js';
import { fmt, monthName, searchUrl } from '../urls.js';

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

interface Props {
  r: SearchResult;
  q: string;
  sort: SortOrder | undefined;
}

/** Each facet's values as links that narrow the query to them. */
export function Facets(p: Props) {
  const f = p.r.facets;
  if (!f) return null;
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
                    {p.r.facetsApproximate ? '≈' : ''}
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
export function Histogram(p: Props) {
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
  const label = (k: string) => (years ? k : monthName(k));
  return (
    <figure>
      <figcaption class="muted">
        Results by {years ? 'year' : 'month'} of creation{p.r.facetsApproximate ? ' (estimated)' : ''} — click
        a bar to narrow to it
      </figcaption>
      <ol class="histo">
        {entries.map(([k, n]) => (
          <li>
            {n > 0 ? (
              <a
                href={searchUrl(narrowQuery(p.q, { kind: 'range', field: 'created', from: k, to: k }), {
                  sort: p.sort,
                })}
                style={`height:${Math.max(1, Math.round((n / max) * 100))}%`}
                title={`${label(k)}: ${fmt(n)}`}
              >
                <span class="vh">{`${label(k)}: ${fmt(n)}`}</span>
              </a>
            ) : null}
          </li>
        ))}
      </ol>
      <div class="histo-axis" aria-hidden="true">
        <span>{label(entries[0]![0])}</span>
        <span>{label(entries[entries.length - 1]![0])}</span>
      </div>
    </figure>
  );
}
