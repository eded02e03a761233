import { Feed } from 'feed';
import type { Context, Hono } from 'hono';
import type { CableSummary } from '../../store/types.js';
import type { WebContext } from '../app.js';
import { cableUrl, classificationUrl, dateUrl, originUrl, reldateUrl, tagUrl } from '../urls.js';

const FEED_ITEMS = 50;
/** One sitemap file holds at most this many URLs (the sitemaps.org limit). */
export const SITEMAP_MAX = 50_000;

function atom(c: Context, ctx: WebContext, title: string, self: string, html: string, rows: CableSummary[]) {
  const base = ctx.baseUrl(c);
  const feed = new Feed({
    id: `${base}${self}`,
    title,
    link: `${base}${html}`,
    updated: rows[0] ? new Date(rows[0].released) : new Date(0),
    feedLinks: { atom: `${base}${self}` },
    generator: 'cable-archive',
    copyright: 'Public domain texts of the US government; see the archive for details',
  });
  for (const r of rows) {
    const link = `${base}${cableUrl(r.id, r.created)}`;
    feed.addItem({
      title: `${r.id}: ${r.subject || '(no subject)'}`,
      id: link,
      link,
      date: new Date(r.released),
      description: [r.classification, r.origin, r.created ? `created ${r.created}` : null]
        .filter(Boolean)
        .join(' · '),
    });
  }
  return c.body(feed.atom1(), 200, { 'Content-Type': 'application/atom+xml; charset=utf-8' });
}

const xmlEscape = (s: string) =>
  s.replace(
    /[<>&'"]/g,
    (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[ch]!,
  );

function urlset(urls: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls
    .map((u) => `<url><loc>${xmlEscape(u)}</loc></url>`)
    .join('\n')}\n</urlset>\n`;
}

export function registerFeeds(app: Hono, ctx: WebContext): void {
  const { reader } = ctx;
  const xml = (c: Context, body: string) =>
    c.body(body, 200, { 'Content-Type': 'application/xml; charset=utf-8' });

  app.get('/feed/latest.atom', async (c) =>
    atom(
      c,
      ctx,
      'Cable archive: latest releases',
      '/feed/latest.atom',
      '/reldate',
      await reader.latest(FEED_ITEMS),
    ),
  );
  app.get('/feed/tag/:file', async (c) => {
    const file = c.req.param('file');
    if (!file.endsWith('.atom')) return ctx.notFound(c);
    const t = await reader.tag(file.slice(0, -5));
    if (!t) return ctx.notFound(c);
    const rows = await reader.latest(FEED_ITEMS, { tag: t.name });
    return atom(
      c,
      ctx,
      `Cable archive: tag ${t.name}`,
      `/feed/tag/${encodeURIComponent(t.name)}.atom`,
      tagUrl(t.name),
      rows,
    );
  });
  app.get('/feed/origin/:file', async (c) => {
    const file = c.req.param('file');
    if (!file.endsWith('.atom')) return ctx.notFound(c);
    const o = await reader.origin(file.slice(0, -5));
    if (!o) return ctx.notFound(c);
    const rows = await reader.latest(FEED_ITEMS, { origin: o.slug });
    return atom(
      c,
      ctx,
      `Cable archive: ${o.name}`,
      `/feed/origin/${encodeURIComponent(o.slug)}.atom`,
      originUrl(o.slug),
      rows,
    );
  });

  app.get('/robots.txt', (c) =>
    c.text(`User-agent: *\nDisallow: /search\nAllow: /\n\nSitemap: ${ctx.baseUrl(c)}/sitemap.xml\n`),
  );

  /** Every public listing and index page (first pages only), then every public cable. */
  const listingUrls = async (): Promise<string[]> => {
    const [rel, created, origins, tags, classes] = await Promise.all([
      reader.releaseCalendar(),
      reader.creationCalendar(),
      reader.origins(),
      reader.tags(),
      reader.classifications(),
    ]);
    return [
      '/',
      '/reldate',
      '/date',
      '/origins',
      '/tags',
      '/classifications',
      ...rel.flatMap((m) => [`/reldate/${m.month}`, ...m.days.map((d) => reldateUrl(d.day))]),
      ...created.flatMap((y) => [`/date/${y.year}`, ...y.months.map((m) => dateUrl(m.month))]),
      ...origins.map((o) => originUrl(o.slug)),
      ...tags.map((t) => tagUrl(t.name)),
      ...classes.map((x) => classificationUrl(x.name)),
    ];
  };

  app.get('/sitemap.xml', async (c) => {
    const base = ctx.baseUrl(c);
    const lists = await listingUrls();
    const { released } = await reader.counts();
    if (lists.length + released <= SITEMAP_MAX) {
      const cables = await reader.cableIds(0, SITEMAP_MAX);
      return xml(c, urlset([...lists, ...cables.map((r) => cableUrl(r.id, r.created))].map((u) => base + u)));
    }
    const parts = ['/sitemap/lists.xml'];
    for (let i = 0; i * SITEMAP_MAX < released; i++) parts.push(`/sitemap/cables-${i + 1}.xml`);
    return xml(
      c,
      `<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${parts
        .map((p) => `<sitemap><loc>${xmlEscape(base + p)}</loc></sitemap>`)
        .join('\n')}\n</sitemapindex>\n`,
    );
  });
  app.get('/sitemap/:file', async (c) => {
    const base = ctx.baseUrl(c);
    const file = c.req.param('file');
    if (file === 'lists.xml') return xml(c, urlset((await listingUrls()).map((u) => base + u)));
    const m = /^cables-([1-9]\d{0,4})\.xml$/.exec(file);
    if (!m) return ctx.notFound(c);
    const rows = await reader.cableIds((Number(m[1]) - 1) * SITEMAP_MAX, SITEMAP_MAX);
    if (rows.length === 0) return ctx.notFound(c);
    return xml(c, urlset(rows.map((r) => base + cableUrl(r.id, r.created))));
  });
}
