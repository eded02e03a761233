/**
 * The navigation's aggregates (counts, calendars, origins, tags, classifications, charts), each
 * computed once per public state and kept in the reader's memo.
 */
import { slugify } from '../../slug.js';
import type {
  ChartData,
  ClassificationEntry,
  Counts,
  ListingKind,
  MonthDays,
  OriginEntry,
  TagEntry,
  YearMonths,
} from '../../types.js';
import { NOT_PUBLIC, P, type ReadContext } from './context.js';

/** Has this cable (`c`) the tag `@tid`? One probe of `cable_tags_tag (tag_id, cable_id)`. */
export const HAS_TAG = 'EXISTS (SELECT 1 FROM cable_tags ct WHERE ct.cable_id = c.id AND ct.tag_id = @tid)';

export interface TagInfo {
  id: number;
  name: string;
  kind: string;
  /** Public cables (distinct: a cable may list a tag twice). */
  count: number;
}

/** Date counts in date order, in runs that share their first `width` characters (a month, a year). */
function runs(rows: [string, number][], width: number) {
  const out: { key: string; count: number; items: [string, number][] }[] = [];
  for (const r of rows) {
    const key = r[0].slice(0, width);
    let g = out[out.length - 1];
    if (!g || g.key !== key) {
      g = { key, count: 0, items: [] };
      out.push(g);
    }
    g.count += r[1];
    g.items.push(r);
  }
  return out;
}

export class Aggregates {
  constructor(private readonly ctx: ReadContext) {}

  counts(): Counts {
    const { sql } = this.ctx;
    return this.ctx.memoise('counts', () => ({
      total: sql.pluck('SELECT count(*) FROM cables').get() as number,
      released: sql.pluck(`SELECT count(*) FROM cables c WHERE ${P}`).get({ now: this.ctx.now() }) as number,
    }));
  }

  releaseCalendar(): MonthDays[] {
    return this.ctx.memoise('releaseCalendar', () => {
      const rows = this.ctx.sql
        .raw(
          `SELECT substr(c.released_at, 1, 10) AS day, count(*) AS n FROM cables c WHERE ${P}
           GROUP BY day ORDER BY day DESC`,
        )
        .all({ now: this.ctx.now() }) as [string, number][];
      return runs(rows, 7).map((g) => ({
        month: g.key,
        count: g.count,
        days: g.items.map(([day, count]) => ({ day, count })),
      }));
    });
  }

  creationCalendar(): YearMonths[] {
    return this.ctx.memoise('creationCalendar', () => {
      const rows = this.ctx.sql
        .raw(
          `SELECT substr(c.created, 1, 7) AS month, count(*) AS n FROM cables c
           WHERE c.created IS NOT NULL AND ${P} GROUP BY month ORDER BY month`,
        )
        .all({ now: this.ctx.now() }) as [string, number][];
      return runs(rows, 4).map((g) => ({
        year: Number(g.key),
        count: g.count,
        months: g.items.map(([month, count]) => ({ month, count })),
      }));
    });
  }

  origins(): OriginEntry[] {
    return this.ctx.memoise('origins', () =>
      this.ctx.sql
        .prepare(
          `SELECT o.name, o.slug, n AS count FROM
             (SELECT c.origin_id AS oid, count(*) AS n FROM cables c WHERE c.origin_id IS NOT NULL AND ${P}
              GROUP BY c.origin_id)
           JOIN origins o ON o.id = oid ORDER BY o.name COLLATE NOCASE`,
        )
        .all({ now: this.ctx.now() }),
    ) as OriginEntry[];
  }

  /** Every origin's name and slug by id (a few hundred rows). */
  originsById(): Map<number, { name: string; slug: string }> {
    return this.ctx.memoise('originsById', () => {
      const rows = this.ctx.sql.prepare('SELECT id, name, slug FROM origins').all() as {
        id: number;
        name: string;
        slug: string;
      }[];
      return new Map(rows.map((r) => [r.id, { name: r.name, slug: r.slug }]));
    });
  }

  tags(): TagEntry[] {
    const { sql } = this.ctx;
    return this.ctx.memoise('tags', () => {
      const now = this.ctx.now();
      const counts = this.counts();
      // As for one tag: count from the tag index alone and subtract the not-yet-public cables when
      // they are the fewer; joining every tagging to its cable row costs seconds on a full archive.
      if (counts.total - counts.released > counts.released) {
        return sql
          .prepare(
            `SELECT t.name, t.kind, n AS count FROM
               (SELECT ct.tag_id AS tid, count(DISTINCT ct.cable_id) AS n FROM cable_tags ct
                JOIN cables c ON c.id = ct.cable_id WHERE ${P} GROUP BY ct.tag_id)
             JOIN tags t ON t.id = tid ORDER BY t.name`,
          )
          .all({ now }) as TagEntry[];
      }
      const hidden = new Map(
        (
          sql
            .prepare(
              // CROSS JOIN fixes the order: the few hidden cables first, then their tags.
              `SELECT ct.tag_id AS tid, count(DISTINCT ct.cable_id) AS n FROM cables c
               CROSS JOIN cable_tags ct ON ct.cable_id = c.id WHERE ${NOT_PUBLIC} GROUP BY ct.tag_id`,
            )
            .all({ now }) as { tid: number; n: number }[]
        ).map((r) => [r.tid, r.n]),
      );
      const all = sql
        .prepare(
          `SELECT t.id, t.name, t.kind, n FROM
             (SELECT tag_id AS tid, count(DISTINCT cable_id) AS n FROM cable_tags GROUP BY tag_id)
           JOIN tags t ON t.id = tid ORDER BY t.name`,
        )
        .all() as { id: number; name: string; kind: string; n: number }[];
      return all.flatMap((t) => {
        const count = t.n - (hidden.get(t.id) ?? 0);
        return count > 0 ? [{ name: t.name, kind: t.kind, count }] : [];
      });
    });
  }

  /** The tag's id and its number of public cables. */
  tagInfo(name: string): TagInfo | null {
    const { sql } = this.ctx;
    return this.ctx.memoise(`tagInfo:${name}`, () => {
      const t = sql.prepare('SELECT id, name, kind FROM tags WHERE name = ?').get(name) as
        | { id: number; name: string; kind: string }
        | undefined;
      if (!t) return null;
      const params = { tid: t.id, now: this.ctx.now() };
      const all = sql
        .pluck('SELECT count(DISTINCT cable_id) FROM cable_tags WHERE tag_id = @tid')
        .get(params);
      const counts = this.counts();
      // Count from whichever side is smaller: the tag's cables joined to their release times, or
      // the not-yet-public cables (usually few, and found by the release-time index) subtracted.
      const count =
        counts.total - counts.released <= (all as number)
          ? (all as number) -
            (sql
              .pluck(`SELECT count(*) FROM cables c WHERE ${NOT_PUBLIC} AND ${HAS_TAG}`)
              .get(params) as number)
          : (sql
              .pluck(
                `SELECT count(*) FROM cables c WHERE c.id IN
                   (SELECT cable_id FROM cable_tags WHERE tag_id = @tid) AND ${P}`,
              )
              .get(params) as number);
      return { ...t, count };
    });
  }

  classifications(): ClassificationEntry[] {
    return this.ctx.memoise('classifications', () =>
      (
        this.ctx.sql
          .prepare(
            `SELECT c.classification AS name, count(*) AS count FROM cables c
             WHERE c.classification IS NOT NULL AND ${P} GROUP BY c.classification ORDER BY count DESC`,
          )
          .all({ now: this.ctx.now() }) as { name: string; count: number }[]
      ).map((r) => ({ ...r, slug: slugify(r.name) })),
    );
  }

  /**
   * Public cables of a listing key other than a tag, from the aggregates the navigation and the
   * index pages are built from (same rule, same public state): a lookup, not a count.
   */
  listingCount(kind: Exclude<ListingKind, 'tag'>, key: string): number {
    const counts = this.ctx.memoise('listingCounts', () => {
      const m = new Map<string, number>();
      for (const x of this.classifications()) m.set(`classification:${x.name}`, x.count);
      for (const x of this.origins()) m.set(`origin:${x.slug}`, x.count);
      for (const y of this.creationCalendar()) for (const x of y.months) m.set(`date:${x.month}`, x.count);
      for (const r of this.releaseCalendar()) for (const x of r.days) m.set(`reldate:${x.day}`, x.count);
      return m;
    });
    return counts.get(`${kind}:${key}`) ?? 0;
  }

  charts(): ChartData {
    const releasesPerDay = this.releaseCalendar()
      .flatMap((m) => m.days)
      .sort((a, b) => (a.day < b.day ? -1 : 1));
    return this.ctx.memoise('charts', () => {
      const rows = this.ctx.sql
        .prepare(
          `SELECT c.year, coalesce(c.classification, 'UNKNOWN') AS cl, count(*) AS n FROM cables c
           WHERE c.year IS NOT NULL AND ${P} GROUP BY c.year, cl ORDER BY c.year`,
        )
        .all({ now: this.ctx.now() }) as { year: number; cl: string; n: number }[];
      const totals = new Map<string, number>();
      for (const r of rows) totals.set(r.cl, (totals.get(r.cl) ?? 0) + r.n);
      const classifications = [...totals.keys()].sort((a, b) => totals.get(b)! - totals.get(a)!);
      const years: ChartData['years'] = [];
      for (const r of rows) {
        let y = years[years.length - 1];
        if (!y || y.year !== r.year) {
          y = { year: r.year, counts: classifications.map(() => 0) };
          years.push(y);
        }
        y.counts[classifications.indexOf(r.cl)] = r.n;
      }
      return { classifications, years, releasesPerDay };
    });
  }
}
