/**
 * Browsing: release dates (/reldate, /reldate/YYYY-MM, /reldate/YYYY-MM-DD), creation dates (/date,
 * /date/YYYY, /date/YYYY-MM), origins, tags (/tags, /tags/A, /tag/PGOV) and classifications.
 */
import type { Context, Hono } from 'hono';
import type { Child } from 'hono/jsx';
import type { WebContext } from '../context.js';
import { notFound, page } from '../page.js';
import {
  classificationUrl,
  dateUrl,
  feedUrl,
  LEGACY_CLASSIFICATIONS,
  monthName,
  reldateUrl,
  tagUrl,
} from '../urls.js';
import {
  ClassificationIndexView,
  DateIndexView,
  DateYearView,
  letterLabel,
  OriginIndexView,
  ReleaseIndexView,
  ReleaseMonthView,
  TagIndexView,
  TagLetterView,
} from '../views/indexes.js';
import { listingPage } from './listing.js';
import { isDay, isMonth, legacyPage } from './params.js';

/** The original site's `name_N.html`, page N (0-based): the same listing here, page N + 1. */
function redirectLegacy(c: Context, base: string, page: number): Response {
  return c.redirect(page > 0 ? `${base}?page=${page + 1}` : base, 301);
}

export function registerBrowse(app: Hono, ctx: WebContext): void {
  const { reader } = ctx;

  /** An index page: the reader's answer under `key`, shown by `View`. */
  const index = <K extends string, T>(
    path: string,
    title: string,
    key: K,
    load: () => Promise<T>,
    View: (p: Record<K, T>) => Child,
  ) =>
    page(app, ctx, path, async () => {
      const data = { [key]: await load() } as Record<K, T>;
      return { title, data, view: () => View(data) };
    });

  index('/reldate', 'Browse latest releases', 'months', () => reader.releaseCalendar(), ReleaseIndexView);
  page(app, ctx, '/reldate/:file', async ({ c, file, name }) => {
    const legacy = legacyPage(file);
    if (legacy && isDay(legacy.name)) return redirectLegacy(c, reldateUrl(legacy.name), legacy.page);
    if (isMonth(name)) {
      const m = (await reader.releaseCalendar()).find((x) => x.month === name);
      if (!m) return notFound();
      return { title: `Releases of ${monthName(name)}`, data: m, view: () => <ReleaseMonthView m={m} /> };
    }
    if (!isDay(name)) return notFound();
    return listingPage(c, ctx, 'reldate', name, {
      title: `Cables released on ${name}`,
      heading: `Browse by release date: ${name}`,
    });
  });

  index('/date', 'Browse by creation date', 'years', () => reader.creationCalendar(), DateIndexView);
  page(app, ctx, '/date/:file', async ({ c, file, name }) => {
    const legacy = legacyPage(file);
    if (legacy && isMonth(legacy.name)) return redirectLegacy(c, dateUrl(legacy.name), legacy.page);
    if (/^\d{4}$/.test(name)) {
      const y = (await reader.creationCalendar()).find((x) => x.year === Number(name));
      if (!y) return notFound();
      return { title: `Cables created in ${name}`, data: y, view: () => <DateYearView y={y} /> };
    }
    if (!isMonth(name)) return notFound();
    return listingPage(c, ctx, 'date', name, {
      title: `Cables created in ${monthName(name)}`,
      heading: `Browse by creation date: ${monthName(name)}`,
    });
  });

  index('/origins', 'Browse by origin', 'origins', () => reader.origins(), OriginIndexView);
  page(app, ctx, '/origin/:file', async ({ c, file, name }) => {
    // The original numbered origins anew at every rebuild, so its numbers name nothing stable.
    if (/^\d+_\d+\.html$/.test(file)) return c.redirect('/origins', 301);
    const o = await reader.origin(name);
    if (!o) return notFound();
    return listingPage(c, ctx, 'origin', o.slug, {
      title: `Cables from ${o.name}`,
      heading: `Browse by origin: ${o.name}`,
      feed: { href: feedUrl('origin', o.slug), title: `Latest releases from ${o.name}` },
      extra: { origin: o.name },
    });
  });

  /** Tags by first letter; `0` holds those that start with no letter. */
  const tagGroups = async () => {
    const tags = await reader.tags();
    const groups = new Map<string, typeof tags>();
    for (const t of tags) {
      const l = /^[A-Z]/i.test(t.name) ? t.name.charAt(0).toUpperCase() : '0';
      groups.set(l, [...(groups.get(l) ?? []), t]);
    }
    return { tags, groups };
  };
  page(app, ctx, '/tags', async () => {
    const { tags, groups } = await tagGroups();
    const top = [...tags].sort((a, b) => b.count - a.count).slice(0, 60);
    const letters = [...groups].map(([letter, ts]) => ({ letter, tags: ts.length }));
    const data = { tags: tags.length, letters, top };
    return { title: 'Browse by tag', data, view: () => <TagIndexView {...data} /> };
  });
  page(app, ctx, '/tags/:file', async ({ name }) => {
    if (!/^[A-Z0]$/.test(name)) return notFound();
    const tags = (await tagGroups()).groups.get(name) ?? [];
    return {
      title: `Tags: ${letterLabel(name)}`,
      data: { letter: name, tags },
      view: () => <TagLetterView letter={name} tags={tags} />,
    };
  });
  page(app, ctx, '/tag/:file', async ({ c, file, name }) => {
    const legacy = legacyPage(file);
    if (legacy) {
      const t = await reader.tag(legacy.name);
      if (t) return redirectLegacy(c, tagUrl(t.name), legacy.page);
    }
    const t = await reader.tag(name);
    if (!t) return notFound();
    return listingPage(c, ctx, 'tag', t.name, {
      title: `Cables tagged ${t.name}`,
      heading: `Browse by tag: ${t.name}`,
      feed: { href: feedUrl('tag', t.name), title: `Latest releases tagged ${t.name}` },
      extra: { tag: t },
    });
  });

  index(
    '/classifications',
    'Browse by classification',
    'classifications',
    () => reader.classifications(),
    ClassificationIndexView,
  );
  page(app, ctx, '/classification/:file', async ({ c, file, name }) => {
    const legacy = legacyPage(file);
    const old = legacy && LEGACY_CLASSIFICATIONS[legacy.name];
    if (legacy && old) return redirectLegacy(c, classificationUrl(old), legacy.page);
    const cl = (await reader.classifications()).find((x) => x.slug === name);
    if (!cl) return notFound();
    return listingPage(c, ctx, 'classification', cl.slug, {
      title: `${cl.name} cables`,
      heading: `Browse by classification: ${cl.name}`,
      extra: { classification: cl.name },
    });
  });
}
