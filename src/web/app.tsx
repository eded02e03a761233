/**
 * The public site: a Hono app over an `ArchiveReader`, one handler per page (`page.ts`). For a static
 * export, `pageRoutes` lists the page patterns and `renderPath` renders any route without a socket.
 */
import { Hono } from 'hono';
import type { ArchiveReader } from '../store/types.js';
import { cacheMiddleware, ResponseCache } from './cache.js';
import type { PageRoute, WebContext, WebModule } from './context.js';
import { buildChrome, type Chrome } from './layout.js';
import { notFound, page, respond } from './page.js';
import { registerBrowse } from './routes/browse.js';
import { registerCable } from './routes/cable.js';
import { registerFeeds } from './routes/feeds.js';
import { registerHelp } from './routes/help.js';
import { registerHistory } from './routes/history.js';
import { registerHome } from './routes/home.js';
import { registerLegacy } from './routes/legacy.js';
import { registerSitemap } from './routes/sitemap.js';
import { STYLE } from './style.js';
import { SearchUnavailableView } from './views/errors.js';

export interface WebOptions {
  siteName?: string;
  /** Origin for absolute URLs (feeds, sitemap, robots.txt); default: the request's origin. */
  baseUrl?: string;
  pageSize?: number;
  /** Route modules mounted before the built-in routes (the search pages). */
  modules?: WebModule[];
  /** Bytes of rendered responses kept per archive state; 0 disables the cache. */
  cacheBytes?: number;
  /** The response cache to fill (shared with a node:http front that serves its hits); wins over `cacheBytes`. */
  cache?: ResponseCache;
}

export const DEFAULT_CACHE_BYTES = 32 * 1024 * 1024;

/** Longest URL served; anything longer is refused before routing. */
export const MAX_URL = 2048;

const ROUTES = new WeakMap<Hono, readonly PageRoute[]>();

export function createApp(reader: ArchiveReader, opts: WebOptions = {}): Hono {
  const app = new Hono();
  let chromeState = '';
  let chromeValue: Promise<Chrome> | null = null;
  const ctx: WebContext = {
    reader,
    siteName: opts.siteName ?? 'Cable archive',
    pageSize: opts.pageSize ?? 50,
    baseUrl: (c) => (opts.baseUrl ?? new URL(c.req.url).origin).replace(/\/+$/, ''),
    async chrome() {
      const state = await reader.stateKey();
      if (!chromeValue || state !== chromeState) {
        chromeState = state;
        chromeValue = buildChrome(reader, ctx.siteName);
      }
      return chromeValue;
    },
    pages: [],
  };

  const cached = cacheMiddleware(
    opts.cache ?? new ResponseCache(opts.cacheBytes ?? DEFAULT_CACHE_BYTES),
    () => reader.stateKey(),
  );
  app.use('*', async (c, next) =>
    c.req.url.length > MAX_URL ? c.text('URL too long', 414) : cached(c, next),
  );

  app.get('/static/style.css', (c) => {
    c.header('Cache-Control', 'public, max-age=86400');
    return c.body(STYLE, 200, { 'Content-Type': 'text/css; charset=utf-8' });
  });

  for (const m of opts.modules ?? []) m(app, ctx);
  registerHome(app, ctx);
  registerBrowse(app, ctx);
  registerCable(app, ctx);
  registerHistory(app, ctx);
  registerFeeds(app, ctx);
  registerSitemap(app, ctx);
  registerLegacy(app);
  registerHelp(app, ctx);
  if (!ctx.pages.some((p) => p.path === '/search')) {
    page(app, ctx, '/search', () => ({
      status: 404,
      title: 'Search',
      data: { error: 'search is not available on this server' },
      view: SearchUnavailableView,
    }));
  }

  app.notFound((c) => respond(c, ctx, c.req.path.endsWith('.json') ? 'json' : 'html', notFound()));
  app.onError((err, c) => {
    console.error(err);
    return c.text('Internal error', 500);
  });
  ROUTES.set(app, ctx.pages);
  return app;
}

/** The page patterns an app registered, each with its `.json` twin. */
export function pageRoutes(app: Hono): readonly PageRoute[] {
  return ROUTES.get(app) ?? [];
}

export interface Rendered {
  status: number;
  contentType: string;
  location: string | null;
  body: Uint8Array;
}

/** Renders one route path (with its query) to bytes, without a socket: the static export's entry. */
export async function renderPath(app: Hono, path: string, origin = 'http://localhost'): Promise<Rendered> {
  const res = await app.request(new URL(path, origin).toString());
  return {
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    location: res.headers.get('location'),
    body: new Uint8Array(await res.arrayBuffer()),
  };
}
