import { raw } from 'hono/html';
import type { CableSummary, ChartData, ClassificationEntry, Counts } from '../../store/types.js';
import { classificationUrl, fmt } from '../urls.js';
import { cableTable, ReleaseTimeline, YearChart } from './components.js';

export function HomeView(p: {
  siteName: string;
  counts: Counts;
  origins: number;
  classifications: ClassificationEntry[];
  years: { first: number; last: number } | null;
  charts: ChartData;
  latest: CableSummary[];
}) {
  return (
    <>
      <h1>{p.siteName}</h1>
      <p>
        This archive publishes diplomatic cables — messages between embassies, consulates and their ministry —
        the way the Cablegate site published the US embassy cables: in stages, each cable on its own page with
        its header and body as sent, browsable by release date, creation date, origin, tag and classification.
      </p>
      <ul class="figs" aria-label="Key figures">
        <li>
          <strong>{fmt(p.counts.released)}</strong> cables released
        </li>
        <li>
          <strong>{fmt(p.counts.total)}</strong> cables in the archive
        </li>
        <li>
          <strong>{fmt(p.origins)}</strong> origins
        </li>
        {p.years ? (
          <li>
            <strong>
              {p.years.first}–{p.years.last}
            </strong>{' '}
            years of creation
          </li>
        ) : null}
      </ul>
      <h2>Cables per year, by classification</h2>
      <YearChart data={p.charts} />
      <p>
        {p.classifications.map((x, i) => (
          <>
            {i ? ' · ' : ''}
            <a href={classificationUrl(x.name)}>{x.name}</a> {fmt(x.count)}
          </>
        ))}
      </p>
      <h2>Release timeline</h2>
      <ReleaseTimeline data={p.charts} total={p.counts.total} />
      <h2>Latest releases</h2>
      {p.latest.length ? (
        raw(cableTable(p.latest, 'The ten most recently released cables').html)
      ) : (
        <p>Nothing yet.</p>
      )}
      <p>
        <a href="/reldate">All release dates</a> · <a href="/feed/latest.atom">Atom feed</a>
      </p>
    </>
  );
}
