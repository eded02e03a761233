/**
 * The search pages, mounted as a `WebModule`: `/search?q=…` and its twin, an Atom feed of a query,
 * whole result sets as CSV and JSON lines, and `/search/help` for the query language.
 */
import type { Hono } from 'hono';
import type { SearchEngine } from '../../search/types.js';
import { atomResponse } from '../atom.js';
import type { WebContext, WebModule } from '../context.js';
import { badRequest, page, respond } from '../page.js';
import { cableUrl, fmt, searchUrl } from '../urls.js';
import { SearchView } from '../views/search.js';
import { SEARCH_HELP, SearchHelpView } from '../views/search-help.js';
import { exportResponse } from './search-export.js';
import { MAX_Q, searchParams } from './search-params.js';

const FEED_ITEMS = 50;

export function searchRoutes(
  engine: SearchEngine,
  opts: { pageSize?: number; clock?: () => Date } = {},
): WebModule {
  return (app: Hono, ctx: WebContext) => {
    const pageSize = opts.pageSize ?? 20;
    // The embargo is judged by the same clock as the rest of the site.
    const now = () => (opts.clock ? opts.clock() : new Date());

    page(app, ctx, '/search', async ({ c, format }) => {
      const prm = searchParams(c, pageSize);
      if (typeof prm === 'string') return badRequest(prm);
      const { q, sort, cursor } = prm;
      const r = await engine.search(q, { ...(sort ? { sort } : {}), limit: prm.limit, cursor, now: now() });
      const hit = r.hits[0];
      if (r.redirect && format === 'html' && !cursor && hit)
        return c.redirect(cableUrl(hit.id, hit.created), 302);
      return {
        title: q.trim() ? `Search: ${q} (${fmt(r.total)})` : 'Search',
        description: `${fmt(r.total)} released cables match ${q || 'everything'}`,
        data: {
          query: r.query,
          normalized: r.normalized,
          messages: r.messages,
          total: r.total,
          sort: r.sort,
          results: r.hits.map((h) => ({ ...h, url: cableUrl(h.id, h.created) })),
          nextCursor: r.nextCursor,
          next: r.nextCursor ? searchUrl(q, { sort, cursor: r.nextCursor }, '/search.json') : null,
          facets: r.facets,
          facetsApproximate: r.facetsApproximate,
          histogram: r.histogram,
          redirect: r.redirect,
        },
        json: searchUrl(q, { sort, cursor }, '/search.json'),
        feed: { href: searchUrl(q, {}, '/search.atom'), title: `Cables matching ${q || 'anything'}` },
        view: () => <SearchView r={r} q={q} sort={sort} cursor={cursor} maxLength={MAX_Q} />,
      };
    });

    app.get('/search.atom', async (c) => {
      const prm = searchParams(c, FEED_ITEMS);
      if (typeof prm === 'string') return respond(c, ctx, 'html', badRequest(prm));
      const r = await engine.search(prm.q, {
        sort: '-released',
        limit: FEED_ITEMS,
        facets: false,
        now: now(),
      });
      const base = ctx.baseUrl(c);
      return atomResponse(c, base, {
        title: `${ctx.siteName}: cables matching ${prm.q || 'anything'}`,
        self: `${base}${searchUrl(prm.q, {}, '/search.atom')}`,
        link: `${base}${searchUrl(prm.q, { sort: '-released' })}`,
        cables: r.hits,
      });
    });

    for (const ext of ['csv', 'jsonl'] as const) {
      app.get(`/search.${ext}`, (c) => {
        const prm = searchParams(c, pageSize);
        if (typeof prm === 'string') return respond(c, ctx, 'html', badRequest(prm));
        return exportResponse(c, engine, prm, ext, now());
      });
    }

    page(app, ctx, '/search/help', () => ({
      title: 'Search: the query language',
      data: { sections: SEARCH_HELP },
      view: SearchHelpView,
    }));
  };
}
