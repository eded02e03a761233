/**
 * One helper registers a page and its `.json` twin: the handler builds the page's data and says how
 * to show it, or answers not found, bad request, or with a Response of its own (a redirect).
 */
import type { Context, Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { type Format, type PageSpec, splitFormat, type WebContext } from './context.js';
import { renderDocument } from './layout.js';
import { BadRequestView, NotFoundView } from './views/errors.js';

export interface NotFound {
  kind: 'not-found';
  /** Where to go instead (never anything embargoed). */
  hint?: Child;
}
export interface BadRequest {
  kind: 'bad-request';
  message: string;
}
export type Outcome = PageSpec | NotFound | BadRequest | Response;

export const notFound = (hint?: Child): NotFound =>
  hint === undefined ? { kind: 'not-found' } : { kind: 'not-found', hint };
export const badRequest = (message: string): BadRequest => ({ kind: 'bad-request', message });

export interface PageRequest {
  c: Context;
  format: Format;
  /** The `:file` parameter as requested, and without its `.html` or `.json`; '' on a fixed address. */
  file: string;
  name: string;
}
export type PageHandler = (r: PageRequest) => Outcome | Promise<Outcome>;

/** `/` → `/index.json`, `/tags` → `/tags.json`. */
const twinPath = (path: string) => (path === '/' ? '/index.json' : `${path}.json`);

/**
 * Registers `path` and its twin. A path ending in `/:file` takes `X`, `X.html` and `X.json`; any
 * other path gets a second route, `path.json` (`/index.json` for `/`).
 */
export function page(app: Hono, ctx: WebContext, path: string, handler: PageHandler): void {
  const serve = async (c: Context, format: Format, file: string, name: string, twin: () => string) => {
    const out = await handler({ c, format, file, name });
    if (out instanceof Response || 'kind' in out || out.json !== undefined)
      return respond(c, ctx, format, out);
    return respond(c, ctx, format, { ...out, json: twin() });
  };
  if (path.endsWith('/:file')) {
    app.get(path, (c) => {
      const file = c.req.param('file') ?? '';
      const { name, format } = splitFormat(file);
      const twin = () =>
        `${c.req.path.slice(0, c.req.path.lastIndexOf('/'))}/${encodeURIComponent(name)}.json`;
      return serve(c, format, file, name, twin);
    });
    ctx.pages.push({ path, json: null });
    return;
  }
  const json = twinPath(path);
  const twin = () => json;
  app.get(path, (c) => serve(c, 'html', '', '', twin));
  app.get(json, (c) => serve(c, 'json', '', '', twin));
  ctx.pages.push({ path, json });
}

/** The outcome as a response in `format`: the data itself, or the page showing it. */
export async function respond(c: Context, ctx: WebContext, format: Format, out: Outcome): Promise<Response> {
  if (out instanceof Response) return out;
  const spec: PageSpec =
    'kind' in out
      ? out.kind === 'not-found'
        ? {
            status: 404,
            title: 'Not found',
            data: { error: 'not found', path: new URL(c.req.url).pathname },
            view: () => NotFoundView({ hint: out.hint }),
          }
        : {
            status: 400,
            title: 'Bad request',
            data: { error: out.message },
            view: () => BadRequestView({ message: out.message }),
          }
      : out;
  const status = (spec.status ?? 200) as 200;
  if (format === 'json') return c.json(spec.data as object, status);
  const doc = renderDocument(
    {
      title: spec.title,
      description: spec.description,
      json: spec.json,
      feed: spec.feed,
      canonical: spec.canonical,
      chrome: await ctx.chrome(),
    },
    spec.view(),
  );
  return c.html(typeof doc === 'string' ? doc : await doc, status);
}
