/** The pages the site's benchmarks ask for: random public cables and listing pages of the busiest keys. */
import type Database from 'better-sqlite3';

export interface BenchPages {
  /** Cables in the archive, public or not. */
  total: number;
  cables: string[];
  /** Pages 1–3 of the busiest tags, origins (by creation) and months; with `deep`, deep pages of the largest release day. */
  listings: string[];
  /** The busiest tag's first page. */
  topTag: string;
}

export function benchPages(
  db: Database.Database,
  n: { cables: number; tags: number; origins: number; months: number; deep: boolean },
): BenchPages {
  const now = new Date().toISOString();
  const pub = 'released_at IS NOT NULL AND released_at <= @now';
  const total = (db.prepare('SELECT count(*) AS n FROM cables').get() as { n: number }).n;
  const cables = db
    .prepare(`SELECT canonical_id AS id, created FROM cables WHERE ${pub} ORDER BY random() LIMIT @n`)
    .all({ now, n: n.cables }) as { id: string; created: string | null }[];
  const top = (sql: string, limit: number) => db.prepare(sql).pluck().all({ now, n: limit }) as string[];
  const tags = top(
    `SELECT t.name FROM cable_tags ct JOIN tags t ON t.id = ct.tag_id JOIN cables c ON c.id = ct.cable_id
     WHERE ${pub} GROUP BY ct.tag_id ORDER BY count(*) DESC LIMIT @n`,
    n.tags,
  );
  const origins = top(
    `SELECT o.slug FROM cables c JOIN origins o ON o.id = c.origin_id WHERE ${pub}
     GROUP BY o.id ORDER BY count(*) DESC LIMIT @n`,
    n.origins,
  );
  const months = top(
    `SELECT substr(created, 1, 7) FROM cables WHERE ${pub} AND created IS NOT NULL
     GROUP BY 1 ORDER BY count(*) DESC LIMIT @n`,
    n.months,
  );
  // The shapes a crawler or a reader paging through produces.
  const listings: string[] = [];
  for (const page of [1, 2, 3]) {
    for (const t of tags) listings.push(`/tag/${encodeURIComponent(t)}?page=${page}`);
    for (const o of origins) listings.push(`/origin/${encodeURIComponent(o)}?page=${page}&sort=created`);
    for (const m of months) listings.push(`/date/${m}?page=${page}`);
  }
  if (n.deep) {
    const [day] = top(
      `SELECT substr(released_at, 1, 10) FROM cables WHERE ${pub} GROUP BY 1 ORDER BY count(*) DESC LIMIT @n`,
      1,
    );
    for (const page of [10, 100, 1000]) listings.push(`/reldate/${day}?page=${page}`);
  }
  const cablePath = (c: { id: string; created: string | null }) =>
    `/cable/${c.created ? `${c.created.slice(0, 4)}/${c.created.slice(5, 7)}` : '0000/00'}/${encodeURIComponent(c.id)}.html`;
  return { total, cables: cables.map(cablePath), listings, topTag: `/tag/${encodeURIComponent(tags[0]!)}` };
}
