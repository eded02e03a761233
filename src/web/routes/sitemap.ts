import type { Context, Hono } from 'hono';
import type { WebContext } from '../context.js';
import { escapeText } from '../escape.js';
import { notFound, respond } from '../page.js';
import { cableUrl, classificationUrl, dateUrl, originUrl, reldateUrl, tagUrl } from '../urls.js';

/** One sitemap file holds at most this many URLs (the sitemaps.org limit). */
export const SITEMAP_MAX = 50_000;

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n';
const SITEMAPS = 'http://www.sitemaps.org/schemas/sitemap/0.9';

const xml = (c: Context, body: string) =>
  c.body(body, 200, { 'Content-Type': 'application/xml; charset=utf-8' });

/** `<root>` holding one `<item><loc>…</loc></item>` per URL. */
const locs = (root: string, item: string, urls: string[]) =>
  `${XML_HEAD}<${root} xmlns="${SITEMAPS}">\n${urls.map((u) => `<${item}><loc>${escapeText(u)}</loc></${item}>`).join('\n')}\n</${root}>\n`;

/** robots.txt and the sitemap: every public index and listing (first pages), then every public cable. */
export function registerSitemap(app: Hono, ctx: WebContext): void {
  const { reader } = ctx;

  app.get('/robots.txt', (c) =>
    c.text(`User-agent: *\nDisallow: /search\nAllow: /\n\nSitemap: ${ctx.baseUrl(c)}/sitemap.xml\n`),
  );

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
      const urls = [...lists, ...cables.map((r) => cableUrl(r.id, r.created))];
      return xml(
        c,
        locs(
          'urlset',
          'url',
          urls.map((u) => base + u),
        ),
      );
    }
    const parts = ['/sitemap/lists.xml'];
    for (let i = 0; i * SITEMAP_MAX < released; i++) parts.push(`/sitemap/cables-${i + 1}.xml`);
    return xml(
      c,
      locs(
        'sitemapindex',
        'sitemap',
        parts.map((p) => base + p),
      ),
    );
  });
  app.get('/sitemap/:file', async (c) => {
    const base = ctx.baseUrl(c);
    const file = c.req.param('file');
    if (file === 'lists.xml')
      return xml(
        c,
        locs(
          'urlset',
          'url',
          (await listingUrls()).map((u) => base + u),
        ),
      );
    const m = /^cables-([1-9]\d{0,4})\.xml$/.exec(file);
    const rows = m ? await reader.cableIds((Number(m[1]) - 1) * SITEMAP_MAX, SITEMAP_MAX) : [];
    if (rows.length === 0) return respond(c, ctx, 'html', notFound());
    return xml(
      c,
      locs(
        'urlset',
        'url',
        rows.map((r) => base + cableUrl(r.id, r.created)),
      ),
    );
  });
}
