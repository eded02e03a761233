/**
 * The public site: a Hono app over an `ArchiveReader`. Every page is produced by one handler that
 * builds the page's data; the template renders it as HTML and the `.json` twin serialises the same
 * data. `renderPath` renders any route without a socket, for a static export.
 */
import { type Context, Hono } from 'hono';
import type { Child } from 'hono/jsx';
import type { ArchiveReader } from '../store/types.js';
import { ResponseCache } from './cache.js';
import { Html } from './html.js';
import { buildChrome, type Chrome, documentHtml } from './layout.js';
import { registerCable } from './routes/cable.js';
import { registerFeeds } from './routes/feeds.js';
import { registerHelp } from './routes/help.js';
import { registerHome } from './routes/home.js';
import { registerLegacy } from './routes/legacy.js';
import { registerListings } from './routes/listings.js';
import { STYLE } from './style.js';

export type Format = 'html' | 'json';

export interface WebOptions {
  siteName?: string;
  /** Origin for absolute URLs (feeds, sitemap, robots.txt); default: the request's origin. */
  baseUrl?: string;
  pageSize?: number;
  /** Route modules mounted before the built-in fallbacks (e.g. the search pages). */
  modules?: WebModule[];
  /** Bytes of rendered responses kept per archive state; 0 disables the cache. */
  cacheBytes?: number;
  /** The response cache to fill (shared with a node:http front that serves its hits); wins over `cacheBytes`. */
  cache?: ResponseCache;
}

/** Default bound of the response cache: ~2,000 cable pages. */
export const DEFAULT_CACHE_BYTES = 32 * 1024 * 1024;

export interface PageSpec {
  status?: number;
  title: string;
  description?: string;
  /** What the `.json` twin returns. */
  data: unknown;
  /** URL of the `.json` twin, linked from the HTML. */
  json?: string;
  feed?: { href: string; title: string };
  /** The page's canonical address, when this one is a variant of it (e.g. with terms highlighted). */
  canonical?: string;
  /** The page's main content: markup built by `html` (cheap), or JSX. */
  body: () => Html | Child | Promise<Html | Child>;
}

export interface WebContext {
  reader: ArchiveReader;
  siteName: string;
  pageSize: number;
  baseUrl(c: Context): string;
  chrome(): Promise<Chrome>;
  send(c: Context, format: Format, page: PageSpec): Promise<Response>;
  /** The 404 page; `hint` may suggest where to go (never anything embargoed). */
  notFound(c: Context, format?: Format, hint?: Child): Promise<Response>;
  badRequest(c: Context, message: string, format?: Format): Promise<Response>;
}

export type WebModule = (app: Hono, ctx: WebContext) => void;

/** Longest URL served; anything longer is refused before routing. */
export const MAX_URL = 2048;

/** `PGOV.json` → json; `PGOV.html` or `PGOV` → html. */
export function splitFormat(file: string): { name: string; format: Format } {
  if (file.endsWith('.json')) return { name: file.slice(0, -5), format: 'json' };
  if (file.endsWith('.html')) return { name: file.slice(0, -5), format: 'html' };
  return { name: file, format: 'html' };
}

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
    async send(c, format, p) {
      const status = (p.status ?? 200) as 200;
      if (format === 'json') return c.json(p.data as object, status);
      const chrome = await ctx.chrome();
      const body = await p.body();
      const main =
        body instanceof Html
          ? body.html
          : // biome-ignore lint/complexity/noUselessFragments: the fragment renders any Child (text, a list) as markup
            await (<>{body}</>).toString();
      const doc = documentHtml(
        {
          title: p.title,
          description: p.description,
          json: p.json,
          feed: p.feed,
          canonical: p.canonical,
          chrome,
        },
        main,
      );
      return c.html(doc, status);
    },
    async notFound(c, format = 'html', hint) {
      return ctx.send(c, format, {
        status: 404,
        title: 'Not found',
        data: { error: 'not found', path: new URL(c.req.url).pathname },
        body: () => (
          <>
            <h1>Not found</h1>
            <p>There is no public page at this address.</p>
            {hint ?? null}
            <p>
              Browse by <a href="/reldate">release date</a>, <a href="/date">creation date</a>,{' '}
              <a href="/origins">origin</a>, <a href="/tags">tag</a> or{' '}
              <a href="/classifications">classification</a>, or search from the box above.
            </p>
          </>
        ),
      });
    },
    async badRequest(c, message, format = 'html') {
      return ctx.send(c, format, {
        status: 400,
        title: 'Bad request',
        data: { error: message },
        body: () => (
          <>
            <h1>Bad request</h1>
            <p>{message}</p>
          </>
        ),
      });
    },
  };

  const cache = opts.cache ?? new ResponseCache(opts.cacheBytes ?? DEFAULT_CACHE_BYTES);

  app.use('*', async (c, next) => {
    if (c.req.url.length > MAX_URL) {
      return c.text('URL too long', 414);
    }
    if (cache.maxBytes <= 0 || (c.req.method !== 'GET' && c.req.method !== 'HEAD')) return next();
    const state = await reader.stateKey();
    const key = c.req.url;
    const hit = cache.get(key, state);
    if (hit) {
      return new Response(c.req.method === 'HEAD' ? null : hit.body, {
        status: hit.status,
        headers: hit.headers,
      });
    }
    await next();
    const res = c.res;
    if (![200, 301, 404].includes(res.status)) return;
    // A highlighted cable page is one reader's view of one query: caching every ?hl= would let
    // anyone push the canonical pages out of the cache.
    if (c.req.query('hl') !== undefined) return;
    // Streamed exports say no-store; buffering them for the cache would hold the whole export in memory.
    if (res.headers.get('cache-control')?.includes('no-store')) return;
    const body = new Uint8Array(await res.arrayBuffer());
    const headers = [...res.headers.entries()];
    cache.set(key, state, { status: res.status, headers, body });
    // The bytes, not a clone: a cloned Response is a stream, which node-server then writes across
    // several turns of the event loop (one timer each), and under load the timers queue behind new
    // requests.
    c.res = new Response(c.req.method === 'HEAD' ? null : body, { status: res.status, headers });
  });

  app.get('/static/style.css', (c) => {
    c.header('Cache-Control', 'public, max-age=86400');
    return c.body(STYLE, 200, { 'Content-Type': 'text/css; charset=utf-8' });
  });

  for (const m of opts.modules ?? []) m(app, ctx);
  registerHome(app, ctx);
  registerListings(app, ctx);
  registerCable(app, ctx);
  registerFeeds(app, ctx);
  registerLegacy(app, ctx);
  registerHelp(app, ctx);

  // Placeholder until a search module is mounted (it registers GET /search first and wins).
  app.get('/search', (c) =>
    ctx.send(c, 'html', {
      status: 404,
      title: 'Search',
      data: { error: 'search is not available on this server' },
      body: () => (
        <>
          <h1>Search</h1>
          <p>Search is not available on this server yet. Browse the archive from the navigation instead.</p>
        </>
      ),
    }),
  );

  app.notFound((c) => ctx.notFound(c, c.req.path.endsWith('.json') ? 'json' : 'html'));
  app.onError((err, c) => {
    console.error(err);
    return c.text('Internal error', 500);
  });
  return app;
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
