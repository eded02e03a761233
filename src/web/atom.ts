import { Feed } from 'feed';
import type { Context } from 'hono';
import { cableUrl } from './urls.js';

/** What a feed entry shows of a cable (a listing row or a search hit). */
export interface FeedCable {
  id: string;
  subject: string;
  created: string | null;
  released: string | null;
  classification: string | null;
  origin: string | null;
}

const date = (iso: string | null | undefined) => (iso ? new Date(iso) : new Date(0));

/** An Atom feed of `cables`, newest release first; `self` and `link` are absolute. */
export function atomResponse(
  c: Context,
  base: string,
  f: { title: string; self: string; link: string; cables: FeedCable[] },
): Response {
  const feed = new Feed({
    id: f.self,
    title: f.title,
    link: f.link,
    updated: date(f.cables[0]?.released),
    feedLinks: { atom: f.self },
    generator: 'cable-archive',
    copyright: 'Public domain texts of the US government; see the archive for details',
  });
  for (const r of f.cables) {
    const link = `${base}${cableUrl(r.id, r.created)}`;
    feed.addItem({
      title: `${r.id}: ${r.subject || '(no subject)'}`,
      id: link,
      link,
      date: date(r.released),
      description: [r.classification, r.origin, r.created ? `created ${r.created}` : null]
        .filter(Boolean)
        .join(' · '),
    });
  }
  return c.body(feed.atom1(), 200, { 'Content-Type': 'application/atom+xml; charset=utf-8' });
}
