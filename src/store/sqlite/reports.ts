/**
 * What operators read (`ArchiveReports`): statistics, the rejects, the lossless export and a
 * digest of the content. Everything the archive holds, embargoed or not, except where asked.
 */
import { createHash } from 'node:crypto';
import { parsedFields } from '../parsed.js';
import type { ArchiveReports, ArchiveStats, ExportedCable, ExportedVersion, RejectRow } from '../types.js';
import { nowParam, publicWhere } from '../visibility.js';
import type { Statements } from './statements.js';

const EXPORT_PAGE = 500;

export class SqliteReports implements ArchiveReports {
  /** `clock`: what decides which release times have passed. */
  constructor(
    private readonly sql: Statements,
    private readonly clock: () => Date,
  ) {}

  async stats(): Promise<ArchiveStats> {
    const one = (sql: string, params: object = {}) =>
      Number((this.sql.pluck(sql).get(params) as number | bigint | null) ?? 0);
    const grouped = (sql: string) => {
      const out: Record<string, number> = {};
      for (const r of this.sql.prepare(sql).all() as { k: string | number | null; n: number }[]) {
        out[String(r.k ?? 'unknown')] = r.n;
      }
      return out;
    };
    const total = one('SELECT count(*) FROM refs WHERE target IS NOT NULL');
    const resolved = one(
      'SELECT count(*) FROM refs r WHERE r.target IS NOT NULL AND EXISTS (SELECT 1 FROM aliases a WHERE a.alias = r.target)',
    );
    const cables = one('SELECT count(*) FROM cables');
    // Released means public now, by the one rule; a release time still ahead counts as embargoed.
    const now = { now: nowParam(this.clock()) };
    const released = one(`SELECT count(*) FROM cables c WHERE ${publicWhere('c')}`, now);
    return {
      cables,
      released,
      embargoed: cables - released,
      scheduled: one('SELECT count(*) FROM cables WHERE released_at > @now', now),
      versions: one('SELECT count(*) FROM versions'),
      rejected: one('SELECT count(*) FROM rejects'),
      aliases: one('SELECT count(*) FROM aliases'),
      origins: one('SELECT count(*) FROM origins'),
      tags: one('SELECT count(*) FROM tags'),
      references: { total, resolved, dangling: total - resolved },
      byClassification: grouped(
        'SELECT classification AS k, count(*) AS n FROM cables GROUP BY classification ORDER BY n DESC',
      ),
      byYear: grouped('SELECT year AS k, count(*) AS n FROM cables GROUP BY year ORDER BY year'),
    };
  }

  async *rejects(): AsyncIterable<RejectRow> {
    let last = 0;
    const page = this.sql.prepare(
      `SELECT id, source, row, line, "offset", reason, raw, recorded_at AS recordedAt FROM rejects
       WHERE id > ? ORDER BY id LIMIT 200`,
    );
    for (;;) {
      const rows = page.all(last) as (RejectRow & { id: number })[];
      if (rows.length === 0) return;
      for (const { id: _, ...r } of rows) yield r;
      last = rows[rows.length - 1]!.id;
    }
  }

  async *exportCables(opts: { releasedOnly: boolean }): AsyncIterable<ExportedCable> {
    const sql = this.sql;
    // One moment for the whole stream: a cable whose release time passes mid-export is left out.
    const now = nowParam(this.clock());
    const page = sql.prepare(`
      SELECT c.id, c.version_id, c.canonical_id, c.reference_id, c.created, c.created_as_shown, o.name AS origin,
        o.slug AS origin_slug, c.classification, c.released_at, v.header, v.body, v.reference_id AS version_ref,
        c.parsed, c.extra
      FROM cables c JOIN versions v ON v.id = c.version_id LEFT JOIN origins o ON o.id = c.origin_id
      WHERE c.id > @last ${opts.releasedOnly ? `AND ${publicWhere('c')}` : ''}
      ORDER BY c.id LIMIT ${EXPORT_PAGE}`);
    const aliases = sql.pluck('SELECT alias FROM aliases WHERE cable_id = ? ORDER BY alias');
    const refs = sql.pluck(
      'SELECT DISTINCT target FROM refs WHERE cable_id = ? AND target IS NOT NULL ORDER BY position',
    );
    const versions = sql.prepare(
      'SELECT id, hash, source, source_row, source_time, ingested_at FROM versions WHERE cable_id = ? ORDER BY id',
    );
    let last = 0;
    for (;;) {
      const rows = page.all({ last, now }) as {
        id: number;
        version_id: number;
        canonical_id: string;
        reference_id: string;
        created: string | null;
        created_as_shown: string | null;
        origin: string | null;
        origin_slug: string | null;
        classification: string | null;
        released_at: string | null;
        header: string;
        body: string;
        version_ref: string;
        parsed: string;
        extra: string;
      }[];
      if (rows.length === 0) return;
      for (const r of rows) {
        const vid = r.version_id;
        const vs = (
          versions.all(r.id) as {
            id: number;
            hash: string;
            source: string;
            source_row: number | null;
            source_time: string | null;
            ingested_at: string;
          }[]
        ).map(
          (v): ExportedVersion => ({
            hash: v.hash,
            source: v.source,
            sourceRow: v.source_row,
            sourceTime: v.source_time,
            ingestedAt: v.ingested_at,
            current: v.id === vid,
          }),
        );
        yield {
          canonicalId: r.canonical_id,
          referenceId: r.reference_id,
          aliases: (aliases.all(r.id) as string[]).filter((a) => a !== r.canonical_id),
          created: r.created,
          createdAsShown: r.created_as_shown,
          origin: r.origin,
          references: refs.all(r.id) as string[],
          originSlug: r.origin_slug,
          classification: r.classification,
          releasedAt: r.released_at,
          header: r.header,
          body: r.body,
          parsed: parsedFields({ ...r, referenceId: r.version_ref }),
          extra: JSON.parse(r.extra),
          versions: vs,
        };
      }
      last = rows[rows.length - 1]!.id;
    }
  }

  async contentDigest(): Promise<string> {
    const h = createHash('sha256');
    const feed = (sql: string) => {
      for (const row of this.sql.raw(sql).iterate() as Iterable<unknown[]>) {
        h.update(JSON.stringify(row));
        h.update('\n');
      }
    };
    // Keyed by canonical IDs and hashes, not by row ids or ingest times, which differ between runs.
    feed(`SELECT c.canonical_id, c.reference_id, c.created, c.created_as_shown, c.year, o.name, o.slug,
            c.classification, c.parsed_classification, c.subject, c.tags_text, c.released_at, v.hash, c.parsed,
            c.extra
          FROM cables c JOIN versions v ON v.id = c.version_id LEFT JOIN origins o ON o.id = c.origin_id
          ORDER BY c.canonical_id`);
    feed(`SELECT c.canonical_id, v.hash, v.reference_id, v.source, v.source_row, v.source_time, v.variant
          FROM versions v JOIN cables c ON c.id = v.cable_id ORDER BY c.canonical_id, v.hash`);
    feed('SELECT a.alias, c.canonical_id FROM aliases a JOIN cables c ON c.id = a.cable_id ORDER BY a.alias');
    feed(`SELECT c.canonical_id, t.position, g.name, g.kind FROM cable_tags t JOIN cables c ON c.id = t.cable_id
          JOIN tags g ON g.id = t.tag_id ORDER BY c.canonical_id, t.position`);
    feed(`SELECT c.canonical_id, r.position, r.kind, r.target, r.bullet, r.value FROM refs r
          JOIN cables c ON c.id = r.cable_id ORDER BY c.canonical_id, r.position`);
    feed(`SELECT c.canonical_id, p.position, p.number, p.marking, p.start, p."end" FROM paragraphs p
          JOIN cables c ON c.id = p.cable_id ORDER BY c.canonical_id, p.position`);
    feed(`SELECT source, row, line, "offset", reason, length(raw), raw FROM rejects
          ORDER BY source, row, line, "offset", reason`);
    feed(`SELECT count(*) FROM cable_fts`);
    return h.digest('hex');
  }
}
