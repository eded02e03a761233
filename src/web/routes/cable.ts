import type { Hono } from 'hono';
import { highlightSpans } from '../../search/highlight.js';
import type { WebContext } from '../context.js';
import { notFound, type PageRequest, page } from '../page.js';
import { cableUrl, shortTime } from '../urls.js';
import { type CablePageData, cableView, type Highlight } from '../views/cable.js';
import { cableNotFound, ID_RE, lookup } from './lookup.js';

/** Longest `?hl=` query honoured (the search box takes 500 characters). */
const MAX_HL = 500;
/** Citing cables listed on a cable page. */
const CITED_BY = 20;

export function registerCable(app: Hono, ctx: WebContext): void {
  const show = async ({ c, format, name: raw }: PageRequest) => {
    if (!ID_RE.test(raw)) return notFound();
    const ym = c.req.param('y') === undefined ? null : `${c.req.param('y')}/${c.req.param('m')}`;
    const query = c.req.query('hl')?.trim().slice(0, MAX_HL) ?? '';
    // A redirect to the canonical address keeps the terms to highlight.
    const keep = query && format === 'html' ? `?hl=${encodeURIComponent(query)}` : '';
    const look = await lookup(ctx, raw, await ctx.reader.cablePage(raw, CITED_BY));
    if (look.kind === 'missing') return cableNotFound(ctx, raw);
    if (look.kind === 'redirect') return c.redirect(cableUrl(look.id, look.created, format) + keep, 301);
    const cable = look.cable;
    const url = cableUrl(cable.id, cable.created, format);
    if (ym === null || !url.startsWith(`/cable/${ym}/`)) return c.redirect(url + keep, 301);
    // Found under another spelling: a redirect above; found as written: the page's parts came with it.
    if (!('references' in look)) return c.redirect(url + keep, 301);
    const d: CablePageData = {
      cable,
      references: look.references,
      citedBy: look.citedBy,
      neighbours: look.neighbours,
    };
    // The terms are marked as the index matches them; the `.json` twin stays the canonical data.
    const hl: Highlight | undefined =
      query && format === 'html'
        ? { query, subject: highlightSpans(cable.subject, query), body: highlightSpans(cable.body, query) }
        : undefined;
    return {
      title: `${cable.id}: ${cable.subject || '(no subject)'}`,
      description: `Cable ${cable.id} from ${cable.origin ?? 'unknown origin'}, ${shortTime(cable.created)}`,
      data: d,
      json: cableUrl(cable.id, cable.created, 'json'),
      ...(hl ? { canonical: cableUrl(cable.id, cable.created) } : {}),
      view: () => cableView(d, hl),
    };
  };
  page(app, ctx, '/cable/:y/:m/:file', show);
  page(app, ctx, '/cable/:file', show);
}
