/**
 * Listing pages (by release day, creation month, origin, tag, classification), the latest
 * releases and the sitemap's ids. A listing's order is found by a cost model (walk a sort-order
 * index or gather the key's cables and sort them) and kept per public state, so paging through a
 * listing costs about one walk of it.
 */
import type { CableSummary, Listing, ListingKind, ListingQuery, SortKey } from '../../types.js';
import type { Aggregates } from './aggregates.js';
import { HAS_TAG } from './aggregates.js';
import {
  classSlug,
  FROM,
  P,
  P_UNINDEXED,
  type ReadContext,
  SUMMARY,
  type SummaryRow,
  summary,
  unindexed,
} from './context.js';

/** Where each listing kind selects its cables; `@key` is the listing key, `@hi` an upper bound. */
const LISTING_WHERE: Record<ListingKind, string> = {
  reldate: 'c.released_at >= @key AND c.released_at < @hi',
  date: 'c.created >= @key AND c.created < @hi',
  origin: 'c.origin_id = (SELECT id FROM origins WHERE slug = @key)',
  tag: 'c.id IN (SELECT cable_id FROM cable_tags WHERE tag_id = (SELECT id FROM tags WHERE name = @key))',
  classification: 'c.classification = @key',
};

/** The sort orders a listing kind's own index gives (the `cables_*` listing indexes). */
const ORDERED_BY: Record<ListingKind, SortKey[]> = {
  reldate: ['released'],
  date: ['created'],
  origin: ['created', 'released'],
  classification: ['created', 'released'],
  tag: [],
};
/** Ids of listing orders kept (4 bytes each). */
const MAX_ORDER_IDS = 2_000_000;
/** A walk step along an index costs about this fraction of a random row probe plus a sort share. */
const PROBE_COST = 3;

/** The day or month after `key` (`YYYY-MM-DD` / `YYYY-MM`), as the exclusive upper bound of a range. */
function nextKey(kind: ListingKind, key: string): string {
  if (kind === 'reldate') {
    const d = new Date(`${key}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + 1);
    return d.toISOString().slice(0, 10);
  }
  const [y, m] = key.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** `summariesById`'s SQL by number of ids (powers of two). */
const SUMMARIES_SQL = new Map<number, string>();

export class Listings {
  /** Listing orders known so far (`pageIds`), under the current public state. */
  private readonly orders = new Map<string, { ids: Int32Array; complete: boolean }>();
  private orderIds = 0;

  constructor(
    private readonly ctx: ReadContext,
    private readonly agg: Aggregates,
  ) {
    ctx.onReset(() => {
      this.orders.clear();
      this.orderIds = 0;
    });
  }

  listing(q: ListingQuery): Listing {
    if (q.kind === 'tag') return this.tagListing(q);
    const where = LISTING_WHERE[q.kind];
    const params: Record<string, unknown> = { now: this.ctx.now(), key: q.key };
    if (q.kind === 'reldate' || q.kind === 'date') params['hi'] = nextKey(q.kind, q.key);
    if (q.kind === 'classification') {
      const cl = this.agg.classifications().find((x) => x.slug === q.key);
      if (!cl) return { total: 0, rows: [] };
      params['key'] = cl.name;
    }
    const total = this.agg.listingCount(q.kind, params['key'] as string);
    if (total === 0) return { total, rows: [] };
    const col = q.sort === 'created' ? 'c.created' : 'c.released_at';
    const dir = q.dir === 'asc' ? 'ASC' : 'DESC';
    const released = this.agg.counts().released;
    const ids = this.pageIds(`${q.kind}:${params['key']}:${q.sort}:${q.dir}`, total, q, (offset, limit) => {
      const run = (sql: string, lim: number) =>
        this.ctx.sql
          .pluck(
            `SELECT c.id FROM cables c WHERE ${sql} ORDER BY ${col} ${dir}, c.id ${dir} LIMIT @limit OFFSET @offset`,
          )
          .all({ ...params, limit: lim, offset }) as number[];
      // The key's own index already in the page's order: read from where the page starts.
      if (ORDERED_BY[q.kind].includes(q.sort))
        return run(`${where} AND ${q.kind === 'reldate' ? P : P_UNINDEXED}`, limit);
      // Otherwise either walk the sort order's index, testing each cable for the key, until the
      // page is full; or gather the key's cables by its index and sort them. The planner cannot
      // tell which is cheaper (it does not know how many cables a key has), the count can: a big
      // listing's early pages walk, a small listing or a deep page gathers. A month always
      // gathers: it holds a few thousand cables, read from a covering index, while a walk that
      // assumes its cables spread evenly over the release order may pass most of the archive
      // (cables ingested month by month are released in that order). A gather sorts the whole
      // key, so it returns the whole rest of the order. Unary `+` keeps an index out of a plan.
      const walk = q.kind !== 'date' && ((offset + limit) * released) / total < total * PROBE_COST;
      if (walk) return run(`${unindexed(where)} AND ${q.sort === 'released' ? P : P_UNINDEXED}`, limit);
      return run(`${where} AND ${q.kind === 'reldate' ? P : P_UNINDEXED}`, total - offset);
    });
    return { total, rows: this.summariesById(ids) };
  }

  /**
   * A tag's page of cables. A common tag walks the sort-order index and probes each cable for the
   * tag, stopping after the page; a rare one gathers its few cables and sorts them. The cost model
   * picks whichever touches fewer rows for this page.
   */
  private tagListing(q: ListingQuery): Listing {
    const t = this.agg.tagInfo(q.key);
    if (!t || t.count === 0) return { total: 0, rows: [] };
    const released = this.agg.counts().released;
    const col = q.sort === 'created' ? 'c.created' : 'c.released_at';
    const dir = q.dir === 'asc' ? 'ASC' : 'DESC';
    const ids = this.pageIds(`tag:${t.name}:${q.sort}:${q.dir}`, t.count, q, (offset, limit) => {
      const walk = ((offset + limit) * released) / t.count < t.count * PROBE_COST;
      const sql = walk
        ? `SELECT c.id FROM cables c WHERE ${q.sort === 'created' ? P_UNINDEXED : P} AND ${HAS_TAG}
           ORDER BY ${col} ${dir}, c.id ${dir} LIMIT @limit OFFSET @offset`
        : `SELECT c.id FROM cables c WHERE c.id IN (SELECT cable_id FROM cable_tags WHERE tag_id = @tid) AND ${P}
           ORDER BY ${col} ${dir}, c.id ${dir} LIMIT @limit OFFSET @offset`;
      // A gather sorts all of the tag's cables: the whole rest of the order comes at no extra cost.
      return this.ctx.sql
        .pluck(sql)
        .all({ tid: t.id, now: this.ctx.now(), limit: walk ? limit : t.count - offset, offset }) as number[];
    });
    return { total: t.count, rows: this.summariesById(ids) };
  }

  /**
   * The ids of page `q.page` of a listing of `total` cables, from the kept order of that listing
   * (`key`: kind, key, sort), extended by `fetch(offset, limit)` when the page lies beyond what is
   * known: a page ahead, then doubling (`fetch` may return more, up to the whole rest, when that
   * costs it nothing more).
   */
  private pageIds(
    key: string,
    total: number,
    q: ListingQuery,
    fetch: (offset: number, limit: number) => number[],
  ): number[] {
    this.ctx.refresh();
    const offset = (q.page - 1) * q.pageSize;
    if (offset >= total) return [];
    const need = Math.min(offset + q.pageSize, total);
    let o = this.orders.get(key);
    if (o) {
      // Re-insert: the Map's order is the eviction order.
      this.orders.delete(key);
      this.orders.set(key, o);
    }
    if (!o || (!o.complete && o.ids.length < need)) {
      const have = o?.ids.length ?? 0;
      const want = Math.min(total, Math.max(need + q.pageSize, 2 * have));
      const more = fetch(have, want - have);
      const ids = new Int32Array(have + more.length);
      if (o) ids.set(o.ids);
      ids.set(more, have);
      if (o) this.orderIds -= o.ids.length;
      o = { ids, complete: more.length < want - have || ids.length >= total };
      this.orders.set(key, o);
      this.orderIds += ids.length;
      for (const [k, v] of this.orders) {
        if (this.orderIds <= MAX_ORDER_IDS || k === key) break;
        this.orders.delete(k);
        this.orderIds -= v.ids.length;
      }
    }
    return Array.from(o.ids.subarray(offset, offset + q.pageSize));
  }

  /** Summaries of the given cables, in the given order. */
  private summariesById(ids: number[]): CableSummary[] {
    if (ids.length === 0) return [];
    // Rows as arrays and origins from memory: the rows are the cost of a listing page once its
    // order is known. One statement per power of two of ids, the list padded with an id no row has.
    let size = 8;
    while (size < ids.length) size *= 2;
    let text = SUMMARIES_SQL.get(size);
    if (text === undefined) {
      text = `SELECT c.id, c.canonical_id, c.subject, c.created, c.released_at, c.classification, c.origin_id
              FROM cables c WHERE c.id IN (${Array(size).fill('?').join(',')})`;
      SUMMARIES_SQL.set(size, text);
    }
    const args = ids.length === size ? ids : [...ids, ...Array<number>(size - ids.length).fill(-1)];
    const origins = this.agg.originsById();
    const byId = new Map<number, CableSummary>();
    for (const r of this.ctx.sql.raw(text).all(args) as [
      number,
      string,
      string,
      string | null,
      string,
      string | null,
      number | null,
    ][]) {
      const o = r[6] === null ? undefined : origins.get(r[6]);
      byId.set(r[0], {
        id: r[1],
        subject: r[2],
        created: r[3],
        released: r[4],
        classification: r[5],
        classificationSlug: r[5] ? classSlug(r[5]) : null,
        origin: o?.name ?? null,
        originSlug: o?.slug ?? null,
      });
    }
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  latest(limit: number, filter: { tag?: string; origin?: string } = {}): CableSummary[] {
    if (filter.tag !== undefined)
      return this.tagListing({
        kind: 'tag',
        key: filter.tag,
        sort: 'released',
        dir: 'desc',
        page: 1,
        pageSize: limit,
      }).rows;
    let where = '1';
    const params: Record<string, unknown> = { now: this.ctx.now(), limit };
    if (filter.origin !== undefined) {
      where = LISTING_WHERE.origin;
      params['key'] = filter.origin;
    }
    const rows = this.ctx.sql
      .prepare(
        `SELECT ${SUMMARY} FROM ${FROM} WHERE ${where} AND ${P}
         ORDER BY c.released_at DESC, c.id DESC LIMIT @limit`,
      )
      .all(params) as SummaryRow[];
    return rows.map(summary);
  }

  cableIds(offset: number, limit: number): { id: string; created: string | null; released: string }[] {
    return this.ctx.sql
      .prepare(
        `SELECT c.canonical_id AS id, c.created, c.released_at AS released FROM cables c WHERE ${P}
         ORDER BY c.id LIMIT @limit OFFSET @offset`,
      )
      .all({ now: this.ctx.now(), limit, offset }) as {
      id: string;
      created: string | null;
      released: string;
    }[];
  }
}
