import type { CableSummary } from '../../store/types.js';
import { type Html, html } from '../html.js';
import { fmt } from '../urls.js';
import { cableTable, type PageState, pager, sortBar } from './components.js';

/** One page of a listing: its count, sort orders, the cables, the pager. */
export function listingView(p: {
  heading: string;
  title: string;
  feed: { href: string } | undefined;
  total: number;
  rows: CableSummary[];
  s: PageState;
}): Html {
  const { page, pages } = p.s;
  return html`<h1>${p.heading}</h1><p>${fmt(p.total)} released ${p.total === 1 ? 'cable' : 'cables'}${
    pages > 1 ? `, page ${page} of ${pages}` : ''
  }.${p.feed ? html` <a href="${p.feed.href}">Atom feed</a>` : null}</p>${sortBar(p.s)}${cableTable(
    p.rows,
    `${p.title}, page ${page} of ${pages}`,
  )}${pager(p.s)}`;
}
