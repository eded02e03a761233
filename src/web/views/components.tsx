import type { CableSummary, ChartData, SortDir, SortKey } from '../../store/types.js';
import { type Html, html, trusted } from '../html.js';
import { cableUrl, classificationUrl, fmt, originUrl, shortTime } from '../urls.js';

/** A table of cables (listings, home). */
export function cableTable(rows: CableSummary[], caption: string): Html {
  return html`<div class="scroll"><table><caption class="muted">${caption}</caption><thead><tr><th scope="col">Reference ID</th><th scope="col">Subject</th><th scope="col">Created</th><th scope="col">Released</th><th scope="col">Classification</th><th scope="col">Origin</th></tr></thead><tbody>${rows.map(
    (r) =>
      html`<tr><td class="id"><a href="${cableUrl(r.id, r.created)}">${r.id}</a></td><td>${
        r.subject || trusted('<span class="muted">(no subject)</span>')
      }</td><td class="date">${shortTime(r.created)}</td><td class="date">${shortTime(r.released)}</td><td>${
        r.classification
          ? html`<a href="${classificationUrl(r.classification)}">${r.classification}</a>`
          : '—'
      }</td><td>${r.origin && r.originSlug ? html`<a href="${originUrl(r.originSlug)}">${r.origin}</a>` : '—'}</td></tr>`,
  )}</tbody></table></div>`;
}

/** A table's column headings. */
export function ColumnHeads(p: { names: string[] }) {
  return (
    <thead>
      <tr>
        {p.names.map((n) => (
          <th scope="col">{n}</th>
        ))}
      </tr>
    </thead>
  );
}

export interface PageState {
  base: string;
  page: number;
  pages: number;
  sort: SortKey;
  dir: SortDir;
  defaultSort: SortKey;
  defaultDir: SortDir;
}

export function pageHref(s: PageState, page: number, sort = s.sort, dir = s.dir): string {
  const q: string[] = [];
  if (sort !== s.defaultSort || dir !== s.defaultDir) q.push(`sort=${sort}`, `dir=${dir}`);
  if (page > 1) q.push(`page=${page}`);
  return q.length ? `${s.base}?${q.join('&')}` : s.base;
}

const SORTS: [SortKey, SortDir, string][] = [
  ['released', 'desc', 'Released, newest first'],
  ['released', 'asc', 'Released, oldest first'],
  ['created', 'desc', 'Created, newest first'],
  ['created', 'asc', 'Created, oldest first'],
];

export function sortBar(s: PageState): Html {
  return html`<nav class="sortbar" aria-label="Sort order">Sort: ${SORTS.map(
    ([k, d, label], i) =>
      html`${i > 0 ? ' · ' : ''}${
        k === s.sort && d === s.dir
          ? html`<strong aria-current="true">${label}</strong>`
          : html`<a href="${pageHref(s, 1, k, d)}">${label}</a>`
      }`,
  )}</nav>`;
}

export function pager(s: PageState): Html | null {
  const { page, pages } = s;
  if (pages <= 1) return null;
  const nums = new Set<number>([1, pages]);
  for (let i = Math.max(1, page - 3); i <= Math.min(pages, page + 3); i++) nums.add(i);
  const sorted = [...nums].sort((a, b) => a - b);
  const items: Html[] = [];
  if (page > 1) items.push(html`<li><a href="${pageHref(s, page - 1)}" rel="prev">Previous</a></li>`);
  let last = 0;
  for (const n of sorted) {
    if (n > last + 1) items.push(trusted('<li><span aria-hidden="true">…</span></li>'));
    items.push(
      n === page
        ? html`<li><span aria-current="page">${n}</span></li>`
        : html`<li><a href="${pageHref(s, n)}" aria-label="${`Page ${n}`}">${n}</a></li>`,
    );
    last = n;
  }
  if (page < pages) items.push(html`<li><a href="${pageHref(s, page + 1)}" rel="next">Next</a></li>`);
  return html`<nav aria-label="Pages"><ul class="pager">${items}</ul></nav>`;
}

const COLORS: Record<string, string> = {
  SECRET: '#8c1c13',
  'SECRET//NOFORN': '#d1495b',
  CONFIDENTIAL: '#0b4f8a',
  'CONFIDENTIAL//NOFORN': '#5fa8d3',
  UNCLASSIFIED: '#2d6a4f',
  'UNCLASSIFIED//FOR OFFICIAL USE ONLY': '#95d5b2',
};
const colorOf = (name: string, i: number) => COLORS[name] ?? ['#6c757d', '#adb5bd', '#343a40'][i % 3]!;

/**
 * Cables per year of creation, stacked by classification, as a plain SVG. The axis starts at the
 * first year with 1% of the cables: the long thin tail of early years is summed up in words.
 */
export function YearChart(p: { data: ChartData }) {
  const { classifications } = p.data;
  const all = p.data.years;
  if (all.length === 0) return <p>No released cables yet.</p>;
  const sumOf = (y: { counts: number[] }) => y.counts.reduce((a, b) => a + b, 0);
  const total = all.reduce((a, y) => a + sumOf(y), 0);
  const start = Math.max(
    all.findIndex((y) => sumOf(y) >= total / 100),
    0,
  );
  const years = all.slice(start);
  const tail = all.slice(0, start);
  const tailCount = tail.reduce((a, y) => a + sumOf(y), 0);
  // Narrow on purpose: the SVG scales down to a phone's width, and its text with it.
  const W = 480;
  const H = 220;
  const left = 60;
  const bottom = 26;
  const font = 16;
  const first = years[0]!.year;
  const span = years[years.length - 1]!.year - first + 1;
  const bw = (W - left - 8) / span;
  const max = Math.max(...years.map(sumOf), 1);
  const sy = (H - bottom - 20) / max;
  const rects: unknown[] = [];
  for (const y of years) {
    let top = H - bottom;
    const x = left + (y.year - first) * bw;
    y.counts.forEach((n, i) => {
      if (!n) return;
      const h = n * sy;
      top -= h;
      rects.push(
        <rect
          x={x.toFixed(1)}
          y={top.toFixed(1)}
          width={Math.max(bw - 1, 1).toFixed(1)}
          height={h.toFixed(1)}
          fill={colorOf(classifications[i]!, i)}
        >
          <title>{`${y.year} ${classifications[i]}: ${fmt(n)}`}</title>
        </rect>,
      );
    });
  }
  // A label needs about 40 units; label every year if they fit, else every 2nd, 5th or 10th.
  const step = [1, 2, 5, 10, 20, 50].find((s) => s * bw >= 40) ?? 100;
  const ticks: unknown[] = [];
  for (let yr = Math.ceil(first / step) * step; yr < first + span; yr += step) {
    ticks.push(
      <text
        x={(left + (yr - first) * bw + bw / 2).toFixed(1)}
        y={H - 7}
        font-size={font}
        text-anchor="middle"
        fill="#1b1b1b"
      >
        {yr}
      </text>,
    );
  }
  const tailNote =
    tailCount > 0
      ? `Not drawn: ${fmt(tailCount)} ${tailCount === 1 ? 'cable' : 'cables'} from ${tail[0]!.year}–${tail[tail.length - 1]!.year}.`
      : null;
  return (
    <figure>
      <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-labelledby="yc-t">
        <title id="yc-t">
          Released cables per year of creation, {first}–{first + span - 1}, by classification (largest year:{' '}
          {fmt(max)}). {tailNote}
        </title>
        <line x1={left} y1={H - bottom} x2={W - 4} y2={H - bottom} stroke="#4a4a4a" />
        <text x={left - 6} y={font + 4} font-size={font} text-anchor="end" fill="#1b1b1b">
          {fmt(max)}
        </text>
        <text x={left - 6} y={H - bottom} font-size={font} text-anchor="end" fill="#1b1b1b">
          0
        </text>
        {rects}
        {ticks}
      </svg>
      <figcaption>
        {tailNote ? <p class="muted">{tailNote}</p> : null}
        <ul class="chips">
          {classifications.map((cl, i) => (
            <li>
              <svg width="10" height="10" aria-hidden="true">
                <rect width="10" height="10" fill={colorOf(cl, i)} />
              </svg>{' '}
              <ClassificationName name={cl} />
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}

/** A classification with its long handling caveat abbreviated (it would wrap in the sidebar). */
export function ClassificationName(p: { name: string }) {
  const long = 'FOR OFFICIAL USE ONLY';
  const at = p.name.indexOf(long);
  if (at < 0) return <>{p.name}</>;
  return (
    <>
      {p.name.slice(0, at)}
      <abbr title={long}>FOUO</abbr>
      {p.name.slice(at + long.length)}
    </>
  );
}

/** Cumulative releases over time, one step per release day. */
export function ReleaseTimeline(p: { data: ChartData; total: number }) {
  const days = p.data.releasesPerDay;
  if (days.length === 0) return null;
  const W = 760;
  const H = 200;
  const left = 56;
  const bottom = 24;
  const t0 = Date.parse(days[0]!.day);
  const t1 = Math.max(Date.parse(days[days.length - 1]!.day), t0 + 86400000);
  const max = Math.max(p.total, 1);
  const sx = (W - left - 8) / (t1 - t0);
  const sy = (H - bottom - 8) / max;
  let acc = 0;
  const pts: string[] = [];
  for (const d of days) {
    acc += d.count;
    pts.push(`${(left + (Date.parse(d.day) - t0) * sx).toFixed(1)},${(H - bottom - acc * sy).toFixed(1)}`);
  }
  return (
    <figure>
      <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-labelledby="rt-t">
        <title id="rt-t">
          Cables released over time: {fmt(acc)} of {fmt(p.total)} between {days[0]!.day} and{' '}
          {days[days.length - 1]!.day}
        </title>
        <line x1={left} y1={H - bottom} x2={W - 4} y2={H - bottom} stroke="#4a4a4a" />
        <line x1={left} y1={8} x2={W - 4} y2={8} stroke="#c8c8c8" stroke-dasharray="4 3" />
        <text x={left - 6} y={12} font-size="11" text-anchor="end" fill="#1b1b1b">
          {fmt(max)}
        </text>
        <polyline points={pts.join(' ')} fill="none" stroke="#0b4f8a" stroke-width="2" />
        <text x={left} y={H - 6} font-size="11" fill="#1b1b1b">
          {days[0]!.day}
        </text>
        <text x={W - 4} y={H - 6} font-size="11" text-anchor="end" fill="#1b1b1b">
          {days[days.length - 1]!.day}
        </text>
      </svg>
    </figure>
  );
}
