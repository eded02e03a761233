/** URL shapes of the site, in one place so templates, feeds, the sitemap and tests agree. */

import type { SortOrder } from '../search/types.js';
import { slugify } from '../store/slug.js';
import type { ListingKind } from '../store/types.js';

/** `/cable/YYYY/MM/ID.html`, YYYY/MM of creation as on the original site. */
export function cableUrl(id: string, created: string | null, ext: 'html' | 'json' = 'html'): string {
  const ym =
    created && /^\d{4}-\d\d/.test(created) ? `${created.slice(0, 4)}/${created.slice(5, 7)}` : '0000/00';
  return `/cable/${ym}/${encodeURIComponent(id)}.${ext}`;
}

export function historyUrl(id: string, ext: 'html' | 'json' = 'html'): string {
  return `/history/${encodeURIComponent(id)}.${ext}`;
}

export function listingUrl(kind: ListingKind, key: string): string {
  return `/${kind}/${encodeURIComponent(key)}`;
}

export const tagUrl = (name: string) => listingUrl('tag', name);
export const originUrl = (slug: string) => listingUrl('origin', slug);
const CLASS_URLS = new Map<string, string>();
/** Memoised: a handful of markings, written on every row of every listing. */
export function classificationUrl(name: string): string {
  let url = CLASS_URLS.get(name);
  if (url === undefined) {
    url = listingUrl('classification', slugify(name));
    if (CLASS_URLS.size < 1000) CLASS_URLS.set(name, url);
  }
  return url;
}
/** The Atom feed of a tag's or an origin's latest releases. */
export const feedUrl = (kind: 'tag' | 'origin', key: string) =>
  `/feed/${kind}/${encodeURIComponent(key)}.atom`;
export const reldateUrl = (day: string) => listingUrl('reldate', day);
export const dateUrl = (month: string) => listingUrl('date', month);

/**
 * The original site's classification numbers (`/classification/1_0.html`), read off its pages; the
 * link texts are right there, only the tooltips were shifted.
 */
export const LEGACY_CLASSIFICATIONS: Record<string, string> = {
  '1': 'CONFIDENTIAL',
  '2': 'CONFIDENTIAL//NOFORN',
  '3': 'SECRET',
  '4': 'SECRET//NOFORN',
  '5': 'UNCLASSIFIED',
  '6': 'UNCLASSIFIED//FOR OFFICIAL USE ONLY',
};

/** `2009-12-13T22:03:00Z` → `2009-12-13 22:03`. */
export function shortTime(iso: string | null): string {
  if (!iso) return '—';
  return iso.slice(0, 16).replace('T', ' ');
}

export function monthName(month: string): string {
  const [y, m] = month.split('-');
  const names = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return `${names[Number(m) - 1] ?? m} ${y}`;
}

export function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

/** `/search?q=…&sort=…&cursor=…` (or another `path`: its twin, feed, exports). */
export function searchUrl(
  q: string,
  extra: { sort?: SortOrder | undefined; cursor?: string | null } = {},
  path = '/search',
): string {
  const u = new URLSearchParams();
  if (q) u.set('q', q);
  if (extra.sort) u.set('sort', extra.sort);
  if (extra.cursor) u.set('cursor', extra.cursor);
  const s = u.toString();
  return s ? `${path}?${s}` : path;
}

/** The link of a search hit: the cable page, asking it to highlight the query's terms. */
export function hitUrl(id: string, created: string | null, q: string): string {
  return q.trim() ? `${cableUrl(id, created)}?hl=${encodeURIComponent(q)}` : cableUrl(id, created);
}
