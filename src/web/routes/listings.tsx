import type { Context, Hono } from 'hono';
import type { ListingKind } from '../../store/types.js';
import type { Format, WebContext } from '../app.js';
import { splitFormat } from '../app.js';
import { html } from '../html.js';
import {
  classificationUrl,
  dateUrl,
  fmt,
  LEGACY_CLASSIFICATIONS,
  listingUrl,
  monthName,
  originUrl,
  reldateUrl,
  tagUrl,
} from '../urls.js';
import { cableTable, type PageState, pager, sortBar } from '../views/components.js';
import { isDay, isMonth, legacyPage, listParams } from './params.js';

const DEFAULT_SORT = { sort: 'released', dir: 'desc' } as const;

interface ListingMeta {
  title: string;
  heading: string;
  feed?: { href: string; title: string };
  extra?: Record<string, unknown>;
}

async function listingPage(
  c: Context,
  ctx: WebContext,
  kind: ListingKind,
  key: string,
  format: Format,
  meta: ListingMeta,
): Promise<Response> {
  const p = listParams(c, DEFAULT_SORT);
  if (typeof p === 'string') return ctx.badRequest(c, p, format);
  const pageSize = ctx.pageSize;
  const res = await ctx.reader.listing({ kind, key, sort: p.sort, dir: p.dir, page: p.page, pageSize });
  const pages = Math.max(1, Math.ceil(res.total / pageSize));
  if (res.total === 0 || p.page > pages) return ctx.notFound(c, format);
  const base = listingUrl(kind, key);
  const s: PageState = {
    base,
    page: p.page,
    pages,
    sort: p.sort,
    dir: p.dir,
    defaultSort: 'released',
    defaultDir: 'desc',
  };
  const title = p.page > 1 ? `${meta.title} — page ${p.page} of ${pages}` : meta.title;
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
  const q = new URL(c.req.url).search;
  return ctx.send(c, format, {
    title,
    description: `${meta.title}: ${fmt(res.total)} released cables`,
    data,
    json: `${base}.json${q}`,
    ...(meta.feed ? { feed: meta.feed } : {}),
    body: () =>
      html`<h1>${meta.heading}</h1><p>${fmt(res.total)} released ${res.total === 1 ? 'cable' : 'cables'}${
        pages > 1 ? `, page ${p.page} of ${pages}` : ''
      }.${meta.feed ? html` <a href="${meta.feed.href}">Atom feed</a>` : null}</p>${sortBar(s)}${cableTable(
        res.rows,
        `${meta.title}, page ${p.page} of ${pages}`,
      )}${pager(s)}`,
  });
}

function redirectLegacy(c: Context, base: string, page: number, ext = ''): Response {
  return c.redirect(page > 0 ? `${base}${ext}?page=${page + 1}` : `${base}${ext}`, 301);
}

export function registerListings(app: Hono, ctx: WebContext): void {
  const { reader } = ctx;

  // Release dates: /reldate (months → days), /reldate/YYYY-MM (days), /reldate/YYYY-MM-DD (cables).
  const releaseIndex = async (c: Context, format: Format) => {
    const cal = await reader.releaseCalendar();
    return ctx.send(c, format, {
      title: 'Browse latest releases',
      data: { months: cal },
      json: '/reldate.json',
      body: () => (
        <>
          <h1>Browse latest releases</h1>
          {cal.length === 0 ? <p>Nothing has been released yet.</p> : null}
          {cal.map((m) => (
            <section>
              <h2>
                <a href={`/reldate/${m.month}`}>{monthName(m.month)}</a>{' '}
                <span class="muted">({fmt(m.count)})</span>
              </h2>
              <ul class="chips">
                {m.days.map((d) => (
                  <li>
                    <a href={reldateUrl(d.day)}>{d.day.slice(8)}</a> <span class="muted">{fmt(d.count)}</span>
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </>
      ),
    });
  };
  app.get('/reldate', (c) => releaseIndex(c, 'html'));
  app.get('/reldate.json', (c) => releaseIndex(c, 'json'));
  app.get('/reldate/:file', async (c) => {
    const file = c.req.param('file');
    const legacy = legacyPage(file);
    if (legacy && isDay(legacy.name)) return redirectLegacy(c, reldateUrl(legacy.name), legacy.page);
    const { name, format } = splitFormat(file);
    if (isMonth(name)) {
      const m = (await reader.releaseCalendar()).find((x) => x.month === name);
      if (!m) return ctx.notFound(c, format);
      return ctx.send(c, format, {
        title: `Releases of ${monthName(name)}`,
        data: m,
        json: `/reldate/${name}.json`,
        body: () => (
          <>
            <h1>Releases of {monthName(name)}</h1>
            <p>{fmt(m.count)} cables released on these days:</p>
            <ul class="cols">
              {[...m.days].reverse().map((d) => (
                <li>
                  <a href={reldateUrl(d.day)}>{d.day}</a> <span class="muted">({fmt(d.count)})</span>
                </li>
              ))}
            </ul>
          </>
        ),
      });
    }
    if (!isDay(name)) return ctx.notFound(c, format);
    return listingPage(c, ctx, 'reldate', name, format, {
      title: `Cables released on ${name}`,
      heading: `Browse by release date: ${name}`,
    });
  });

  // Creation dates: /date (years → months), /date/YYYY (months), /date/YYYY-MM (cables).
  const dateIndex = async (c: Context, format: Format) => {
    const cal = await reader.creationCalendar();
    return ctx.send(c, format, {
      title: 'Browse by creation date',
      data: { years: cal },
      json: '/date.json',
      body: () => (
        <>
          <h1>Browse by creation date</h1>
          <div class="scroll">
            <table>
              <caption class="muted">Released cables per year and month of creation</caption>
              <thead>
                <tr>
                  <th scope="col">Year</th>
                  <th scope="col">Cables</th>
                  <th scope="col">Months</th>
                </tr>
              </thead>
              <tbody>
                {cal.map((y) => (
                  <tr>
                    <th scope="row">
                      <a href={`/date/${y.year}`}>{y.year}</a>
                    </th>
                    <td>{fmt(y.count)}</td>
                    <td>
                      <ul class="chips">
                        {y.months.map((m) => (
                          <li>
                            <a href={dateUrl(m.month)} title={`${fmt(m.count)} cables`}>
                              {monthName(m.month).slice(0, 3)}
                            </a>
                          </li>
                        ))}
                      </ul>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ),
    });
  };
  app.get('/date', (c) => dateIndex(c, 'html'));
  app.get('/date.json', (c) => dateIndex(c, 'json'));
  app.get('/date/:file', async (c) => {
    const file = c.req.param('file');
    const legacy = legacyPage(file);
    if (legacy && isMonth(legacy.name)) return redirectLegacy(c, dateUrl(legacy.name), legacy.page);
    const { name, format } = splitFormat(file);
    if (/^\d{4}$/.test(name)) {
      const y = (await reader.creationCalendar()).find((x) => x.year === Number(name));
      if (!y) return ctx.notFound(c, format);
      return ctx.send(c, format, {
        title: `Cables created in ${name}`,
        data: y,
        json: `/date/${name}.json`,
        body: () => (
          <>
            <h1>Cables created in {name}</h1>
            <p>{fmt(y.count)} released cables, by month of creation:</p>
            <ul class="cols">
              {y.months.map((m) => (
                <li>
                  <a href={dateUrl(m.month)}>{monthName(m.month)}</a>{' '}
                  <span class="muted">({fmt(m.count)})</span>
                </li>
              ))}
            </ul>
          </>
        ),
      });
    }
    if (!isMonth(name)) return ctx.notFound(c, format);
    return listingPage(c, ctx, 'date', name, format, {
      title: `Cables created in ${monthName(name)}`,
      heading: `Browse by creation date: ${monthName(name)}`,
    });
  });

  // Origins.
  const originIndex = async (c: Context, format: Format) => {
    const origins = await reader.origins();
    const groups = new Map<string, typeof origins>();
    for (const o of origins) {
      const l = /^[A-Za-z]/.test(o.name) ? o.name.charAt(0).toUpperCase() : '#';
      groups.set(l, [...(groups.get(l) ?? []), o]);
    }
    return ctx.send(c, format, {
      title: 'Browse by origin',
      data: { origins },
      json: '/origins.json',
      body: () => (
        <>
          <h1>Browse by origin</h1>
          <p>{fmt(origins.length)} posts with released cables.</p>
          {[...groups].map(([l, os]) => (
            <section>
              <h2 id={`o-${l}`}>{l}</h2>
              <ul class="cols">
                {os.map((o) => (
                  <li>
                    <a href={originUrl(o.slug)}>{o.name}</a> <span class="muted">({fmt(o.count)})</span>
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </>
      ),
    });
  };
  app.get('/origins', (c) => originIndex(c, 'html'));
  app.get('/origins.json', (c) => originIndex(c, 'json'));
  app.get('/origin/:file', async (c) => {
    const file = c.req.param('file');
    // The original numbered origins anew at every rebuild, so its numbers name nothing stable.
    if (/^\d+_\d+\.html$/.test(file)) return c.redirect('/origins', 301);
    const { name, format } = splitFormat(file);
    const o = await reader.origin(name);
    if (!o) return ctx.notFound(c, format);
    return listingPage(c, ctx, 'origin', o.slug, format, {
      title: `Cables from ${o.name}`,
      heading: `Browse by origin: ${o.name}`,
      feed: {
        href: `/feed/origin/${encodeURIComponent(o.slug)}.atom`,
        title: `Latest releases from ${o.name}`,
      },
      extra: { origin: o.name },
    });
  });

  // Tags: /tags (letters), /tags/A (tags of a letter), /tag/PGOV (cables).
  const tagGroups = async () => {
    const tags = await reader.tags();
    const groups = new Map<string, typeof tags>();
    for (const t of tags) {
      const l = /^[A-Z]/i.test(t.name) ? t.name.charAt(0).toUpperCase() : '0';
      groups.set(l, [...(groups.get(l) ?? []), t]);
    }
    return { tags, groups };
  };
  const tagIndex = async (c: Context, format: Format) => {
    const { tags, groups } = await tagGroups();
    const top = [...tags].sort((a, b) => b.count - a.count).slice(0, 60);
    const letters = [...groups].map(([letter, ts]) => ({ letter, tags: ts.length }));
    return ctx.send(c, format, {
      title: 'Browse by tag',
      data: { tags: tags.length, letters, top },
      json: '/tags.json',
      body: () => (
        <>
          <h1>Browse by tag</h1>
          <p>
            {fmt(tags.length)} tags on released cables. Each tag has a kind: subject, geo(graphic),
            org(anisation), program, person, or unknown.
          </p>
          <h2>By first letter</h2>
          <ul class="chips">
            {letters.map((l) => (
              <li>
                <a href={`/tags/${l.letter}`}>{l.letter === '0' ? '0–9 and others' : l.letter}</a>{' '}
                <span class="muted">{fmt(l.tags)}</span>
              </li>
            ))}
          </ul>
          <h2>Most used</h2>
          <ul class="cols">
            {top.map((t) => (
              <li>
                <a href={tagUrl(t.name)}>{t.name}</a> <span class="kind">{t.kind}</span>{' '}
                <span class="muted">({fmt(t.count)})</span>
              </li>
            ))}
          </ul>
        </>
      ),
    });
  };
  app.get('/tags', (c) => tagIndex(c, 'html'));
  app.get('/tags.json', (c) => tagIndex(c, 'json'));
  app.get('/tags/:file', async (c) => {
    const { name, format } = splitFormat(c.req.param('file'));
    if (!/^[A-Z0]$/.test(name)) return ctx.notFound(c, format);
    const { groups } = await tagGroups();
    const tags = groups.get(name) ?? [];
    const label = name === '0' ? '0–9 and others' : name;
    return ctx.send(c, format, {
      title: `Tags: ${label}`,
      data: { letter: name, tags },
      json: `/tags/${name}.json`,
      body: () => (
        <>
          <h1>Tags: {label}</h1>
          {tags.length === 0 ? <p>No tag of a released cable starts with {label}.</p> : null}
          {tags.length > 0 ? (
            <div class="scroll">
              <table>
                <caption class="muted">
                  {fmt(tags.length)} tags starting with {label}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Tag</th>
                    <th scope="col">Kind</th>
                    <th scope="col">Cables</th>
                  </tr>
                </thead>
                <tbody>
                  {tags.map((t) => (
                    <tr>
                      <td>
                        <a href={tagUrl(t.name)}>{t.name}</a>
                      </td>
                      <td>{t.kind}</td>
                      <td>{fmt(t.count)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </>
      ),
    });
  });
  app.get('/tag/:file', async (c) => {
    const file = c.req.param('file');
    const legacy = legacyPage(file);
    if (legacy) {
      const t = await reader.tag(legacy.name);
      if (t) return redirectLegacy(c, tagUrl(t.name), legacy.page);
    }
    const { name, format } = splitFormat(file);
    const t = await reader.tag(name);
    if (!t) return ctx.notFound(c, format);
    return listingPage(c, ctx, 'tag', t.name, format, {
      title: `Cables tagged ${t.name}`,
      heading: `Browse by tag: ${t.name}`,
      feed: {
        href: `/feed/tag/${encodeURIComponent(t.name)}.atom`,
        title: `Latest releases tagged ${t.name}`,
      },
      extra: { tag: t },
    });
  });

  // Classifications.
  const classIndex = async (c: Context, format: Format) => {
    const cls = await reader.classifications();
    return ctx.send(c, format, {
      title: 'Browse by classification',
      data: { classifications: cls },
      json: '/classifications.json',
      body: () => (
        <>
          <h1>Browse by classification</h1>
          <ul>
            {cls.map((x) => (
              <li>
                <a href={classificationUrl(x.name)}>{x.name}</a> <span class="muted">({fmt(x.count)})</span>
              </li>
            ))}
          </ul>
        </>
      ),
    });
  };
  app.get('/classifications', (c) => classIndex(c, 'html'));
  app.get('/classifications.json', (c) => classIndex(c, 'json'));
  app.get('/classification/:file', async (c) => {
    const file = c.req.param('file');
    const legacy = legacyPage(file);
    if (legacy && LEGACY_CLASSIFICATIONS[legacy.name]) {
      return redirectLegacy(c, classificationUrl(LEGACY_CLASSIFICATIONS[legacy.name]!), legacy.page);
    }
    const { name, format } = splitFormat(file);
    const cl = (await reader.classifications()).find((x) => x.slug === name);
    if (!cl) return ctx.notFound(c, format);
    return listingPage(c, ctx, 'classification', cl.slug, format, {
      title: `${cl.name} cables`,
      heading: `Browse by classification: ${cl.name}`,
      extra: { classification: cl.name },
    });
  });
}
