import type { Hono } from 'hono';
import { atomResponse } from '../atom.js';
import type { WebContext } from '../context.js';
import { notFound, respond } from '../page.js';
import { feedUrl, originUrl, tagUrl } from '../urls.js';

const FEED_ITEMS = 50;

/** Atom feeds of the latest releases: all, per tag, per origin. */
export function registerFeeds(app: Hono, ctx: WebContext): void {
  const { reader } = ctx;
  app.get('/feed/latest.atom', async (c) => {
    const base = ctx.baseUrl(c);
    return atomResponse(c, base, {
      title: 'Cable archive: latest releases',
      self: `${base}/feed/latest.atom`,
      link: `${base}/reldate`,
      cables: await reader.latest(FEED_ITEMS),
    });
  });
  /** What a feed's key names: its own title and page, and the filter of its latest releases. */
  const keyed = {
    tag: async (key: string) => {
      const t = await reader.tag(key);
      return t && { key: t.name, title: `tag ${t.name}`, page: tagUrl(t.name), filter: { tag: t.name } };
    },
    origin: async (key: string) => {
      const o = await reader.origin(key);
      return o && { key: o.slug, title: o.name, page: originUrl(o.slug), filter: { origin: o.slug } };
    },
  };
  for (const kind of ['tag', 'origin'] as const) {
    app.get(`/feed/${kind}/:file`, async (c) => {
      const file = c.req.param('file');
      const f = file.endsWith('.atom') ? await keyed[kind](file.slice(0, -5)) : null;
      if (!f) return respond(c, ctx, 'html', notFound());
      const base = ctx.baseUrl(c);
      return atomResponse(c, base, {
        title: `Cable archive: ${f.title}`,
        self: `${base}${feedUrl(kind, f.key)}`,
        link: `${base}${f.page}`,
        cables: await reader.latest(FEED_ITEMS, f.filter),
      });
    });
  }
}
