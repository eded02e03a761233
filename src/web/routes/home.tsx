import type { Hono } from 'hono';
import type { WebContext } from '../context.js';
import { page } from '../page.js';
import { fmt } from '../urls.js';
import { HomeView } from '../views/home.js';

export function registerHome(app: Hono, ctx: WebContext): void {
  const { reader } = ctx;
  page(app, ctx, '/', async () => {
    const [counts, charts, latest, origins, classes, created] = await Promise.all([
      reader.counts(),
      reader.charts(),
      reader.latest(10),
      reader.origins(),
      reader.classifications(),
      reader.creationCalendar(),
    ]);
    const first = created[0]?.year ?? null;
    const data = {
      counts,
      origins: origins.length,
      classifications: classes,
      years: first === null ? null : { first, last: created[created.length - 1]!.year },
      charts,
      latest,
    };
    return {
      title: `${ctx.siteName}: diplomatic cables, released so far ${fmt(counts.released)} of ${fmt(counts.total)}`,
      description:
        'An archive of diplomatic cables, published in stages: browse by release date, creation date, origin, tag and classification.',
      data,
      view: () => <HomeView siteName={ctx.siteName} {...data} />,
    };
  });
}
