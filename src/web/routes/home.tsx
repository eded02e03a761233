import type { Context, Hono } from 'hono';
import { raw } from 'hono/html';
import type { Format, WebContext } from '../app.js';
import { classificationUrl, fmt } from '../urls.js';
import { cableTable, ReleaseTimeline, YearChart } from '../views/components.js';

export function registerHome(app: Hono, ctx: WebContext): void {
  const { reader } = ctx;
  const home = async (c: Context, format: Format) => {
    const [counts, charts, latest, origins, classes, created] = await Promise.all([
      reader.counts(),
      reader.charts(),
      reader.latest(10),
      reader.origins(),
      reader.classifications(),
      reader.creationCalendar(),
    ]);
    const firstYear = created[0]?.year ?? null;
    const lastYear = created[created.length - 1]?.year ?? null;
    const data = {
      counts,
      origins: origins.length,
      classifications: classes,
      years: firstYear === null ? null : { first: firstYear, last: lastYear },
      charts,
      latest,
    };
    return ctx.send(c, format, {
      title: `${ctx.siteName}: diplomatic cables, released so far ${fmt(counts.released)} of ${fmt(counts.total)}`,
      description:
        'An archive of diplomatic cables, published in stages: browse by release date, creation date, origin, tag and classification.',
      data,
      json: '/index.json',
      body: () => (
        <>
          <h1>{ctx.siteName}</h1>
          <p>
            This archive publishes diplomatic cables — messages between embassies, consulates and their
            ministry — the way the Cablegate site published the US embassy cables: in stages, each cable on
            its own page with its header and body as sent, browsable by release date, creation date, origin,
            tag and classification.
          </p>
          <ul class="figs" aria-label="Key figures">
            <li>
              <strong>{fmt(counts.released)}</strong> cables released
            </li>
            <li>
              <strong>{fmt(counts.total)}</strong> cables in the archive
            </li>
            <li>
              <strong>{fmt(origins.length)}</strong> origins
            </li>
            {firstYear !== null ? (
              <li>
                <strong>
                  {firstYear}–{lastYear}
                </strong>{' '}
                years of creation
              </li>
            ) : null}
          </ul>
          <h2>Cables per year, by classification</h2>
          <YearChart data={charts} />
          <p>
            {classes.map((x, i) => (
              <>
                {i ? ' · ' : ''}
                <a href={classificationUrl(x.name)}>{x.name}</a> {fmt(x.count)}
              </>
            ))}
          </p>
          <h2>Release timeline</h2>
          <ReleaseTimeline data={charts} total={counts.total} />
          <h2>Latest releases</h2>
          {latest.length ? (
            raw(cableTable(latest, 'The ten most recently released cables').html)
          ) : (
            <p>Nothing yet.</p>
          )}
          <p>
            <a href="/reldate">All release dates</a> · <a href="/feed/latest.atom">Atom feed</a>
          </p>
        </>
      ),
    });
  };
  app.get('/', (c) => home(c, 'html'));
  app.get('/index.json', (c) => home(c, 'json'));
}
