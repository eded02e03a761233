import { structuredPatch } from 'diff';
import type { Hono } from 'hono';
import type { WebContext } from '../context.js';
import { notFound, page } from '../page.js';
import { cableUrl, historyUrl } from '../urls.js';
import { HistoryView } from '../views/history.js';
import { cableNotFound, ID_RE, lookup } from './lookup.js';

const text = (v: { header: string; body: string }) => `${v.header}\n\n${v.body}`;

/** A cable's versions and the line differences between each and the one before. */
export function registerHistory(app: Hono, ctx: WebContext): void {
  page(app, ctx, '/history/:file', async ({ c, format, name: raw }) => {
    if (!ID_RE.test(raw)) return notFound();
    const look = await lookup(ctx, raw, await ctx.reader.cable(raw));
    if (look.kind === 'missing') return cableNotFound(ctx, raw);
    if (look.kind === 'redirect') return c.redirect(historyUrl(look.id, format), 301);
    const cable = look.cable;
    const versions = await ctx.reader.versions(cable.id);
    const changes = versions.slice(1).map((v, i) => {
      const prev = versions[i]!;
      const patch = structuredPatch(
        `version ${prev.number}`,
        `version ${v.number}`,
        text(prev),
        text(v),
        '',
        '',
        {
          context: 3,
        },
      );
      return { from: prev.number, to: v.number, hunks: patch ? patch.hunks : [] };
    });
    const data = { id: cable.id, versions: versions.map((v) => ({ ...v })), changes };
    return {
      title: `${cable.id}: version history`,
      data,
      json: historyUrl(cable.id, 'json'),
      view: () => <HistoryView self={cableUrl(cable.id, cable.created)} {...data} />,
    };
  });
}
