import type { Context } from 'hono';
import type { ListingKind } from '../../store/types.js';
import type { WebContext } from '../context.js';
import { badRequest, notFound, type Outcome } from '../page.js';
import { fmt, listingUrl } from '../urls.js';
import { listingView } from '../views/listing.js';
import { listParams } from './params.js';

export interface ListingMeta {
  title: string;
  heading: string;
  feed?: { href: string; title: string };
  /** Fields added to the `.json` twin (the tag, origin or classification it lists). */
  extra?: Record<string, unknown>;
}

/** One page of the cables of a listing (`?page=&sort=&dir=`); 404 past its last page. */
export async function listingPage(
  c: Context,
  ctx: WebContext,
  kind: ListingKind,
  key: string,
  meta: ListingMeta,
): Promise<Outcome> {
  const p = listParams(c, { sort: 'released', dir: 'desc' });
  if (typeof p === 'string') return badRequest(p);
  const pageSize = ctx.pageSize;
  const res = await ctx.reader.listing({ kind, key, sort: p.sort, dir: p.dir, page: p.page, pageSize });
  const pages = Math.max(1, Math.ceil(res.total / pageSize));
  if (res.total === 0 || p.page > pages) return notFound();
  const base = listingUrl(kind, key);
  const data = {
    kind,
    key,
    title: meta.title,
    ...meta.extra,
    total: res.total,
    page: p.page,
    pages,
    pageSize,
    sort: p.sort,
    dir: p.dir,
    rows: res.rows,
  };
  const state = {
    base,
    page: p.page,
    pages,
    sort: p.sort,
    dir: p.dir,
    defaultSort: 'released',
    defaultDir: 'desc',
  } as const;
  return {
    title: p.page > 1 ? `${meta.title} — page ${p.page} of ${pages}` : meta.title,
    description: `${meta.title}: ${fmt(res.total)} released cables`,
    data,
    json: `${base}.json${new URL(c.req.url).search}`,
    ...(meta.feed ? { feed: meta.feed } : {}),
    view: () =>
      listingView({
        heading: meta.heading,
        title: meta.title,
        feed: meta.feed,
        total: res.total,
        rows: res.rows,
        s: state,
      }),
  };
}
