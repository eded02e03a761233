/**
 * A cable and what its page shows beside it: its references with their targets' status, the
 * cables citing it, its neighbours from the same origin. The embargo is applied to every part.
 */

import { readPageFields } from '../../parsed.js';
import type {
  CableDetail,
  CableLookup,
  CablePageLookup,
  CableSummary,
  Neighbours,
  ResolvedReference,
} from '../../types.js';
import { isPublic, nowParam, publicWhere } from '../../visibility.js';
import {
  FROM,
  P,
  P_UNINDEXED,
  type PublicRow,
  type ReadContext,
  SUMMARY,
  type SummaryRow,
  summary,
  unindexed,
} from './context.js';

/** A reference with its target's summary columns (all null when no cable is found). */
type RefRow = SummaryRow & { kind: string; bullet: string | null; value: string; target: string | null };
type RefTuple = [
  string,
  string | null,
  string,
  string | null,
  string | null,
  string,
  string | null,
  string,
  string | null,
  string | null,
  string | null,
];

function refRow(t: RefTuple): RefRow {
  const [kind, bullet, value, target, id, subject, created, released, classification, origin, slug] = t;
  return {
    kind,
    bullet,
    value,
    target,
    id,
    subject,
    created,
    released,
    classification,
    origin,
    origin_slug: slug,
  } as RefRow;
}

/** The columns of a cable found by `findCable`. */
interface CableRow extends SummaryRow {
  rowid: number;
  origin_id: number | null;
  reference_id: string;
  created_as_shown: string | null;
  parsed: string;
  header: string;
  body: string;
  version_count: number;
  tags_json: string;
  paragraphs_json: string;
  aliases_json: string;
}

/**
 * What a cable page shows beside the cable (`c`), as ids or JSON: its references with their
 * targets (whose embargo is tested in JS, on their release time), the ids of up to `CITING` citing
 * cables (the embargo applied when their summaries are read), and its public neighbours from the
 * same origin in creation order (the embargo test kept off the index chooser, so the origin's
 * creation-order index is walked from this cable). `CITING` is a number written into the
 * statement: as a bound parameter, that LIMIT made the whole statement twice as slow.
 */
const P_X_UNINDEXED = unindexed(publicWhere('x'), 'x');
const PAGE_COLUMNS = `,
  (SELECT json_group_array(json_array(r.kind, r.bullet, r.value, r.target, t.canonical_id, t.subject, t.created,
      t.released_at, t.classification, o2.name, o2.slug) ORDER BY r.position)
     FROM refs r LEFT JOIN aliases a ON a.alias = r.target LEFT JOIN cables t ON t.id = a.cable_id
     LEFT JOIN origins o2 ON o2.id = t.origin_id WHERE r.cable_id = c.id) AS refs_json,
  (SELECT json_group_array(cid) FROM (SELECT DISTINCT r.cable_id AS cid FROM aliases a JOIN refs r ON r.target = a.alias
     WHERE a.cable_id = c.id AND r.cable_id <> c.id LIMIT CITING)) AS citing_json,
  (SELECT x.id FROM cables x WHERE x.origin_id = c.origin_id AND (x.created, x.id) < (c.created, c.id)
     AND ${P_X_UNINDEXED}
     ORDER BY x.created DESC, x.id DESC LIMIT 1) AS prev_id,
  (SELECT x.id FROM cables x WHERE x.origin_id = c.origin_id AND (x.created, x.id) > (c.created, c.id)
     AND ${P_X_UNINDEXED}
     ORDER BY x.created ASC, x.id ASC LIMIT 1) AS next_id`;

/** A public cable by canonical ID, with `PAGE_COLUMNS` or nothing in their place. */
const CABLE_SQL = `SELECT ${SUMMARY}, c.id AS rowid, c.origin_id, c.reference_id, c.created_as_shown, c.parsed,
    v.header, v.body,
    (SELECT count(*) FROM versions x WHERE x.cable_id = c.id) AS version_count,
    (SELECT json_group_array(json_array(name, kind)) FROM (SELECT t.name, t.kind
       FROM cable_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.cable_id = c.id ORDER BY ct.position)) AS tags_json,
    (SELECT json_group_array(json_array(number, marking, start, "end")) FROM (SELECT number, marking, start, "end"
       FROM paragraphs p WHERE p.cable_id = c.id ORDER BY p.position)) AS paragraphs_json,
    (SELECT json_group_array(alias) FROM (SELECT a.alias
       FROM aliases a WHERE a.cable_id = c.id AND a.alias <> c.canonical_id ORDER BY a.alias)) AS aliases_json
    PAGE_COLUMNS
  FROM ${FROM} JOIN versions v ON v.id = c.version_id WHERE c.canonical_id = @id AND ${P}`;

interface PageColumns {
  refs_json: string;
  citing_json: string;
  prev_id: number | null;
  next_id: number | null;
}

/** `CABLE_SQL` by number of citing cables probed (0: without the page's parts). */
const CABLE_SQL_BY_CITING = new Map<number, string>();

export class CablePages {
  constructor(private readonly ctx: ReadContext) {}

  cable(id: string): CableLookup {
    const f = this.findCable(id, this.ctx.clock(), 0);
    return f.kind === 'found' ? { kind: 'found', cable: f.cable } : f;
  }

  cablePage(id: string, citedByLimit: number): CablePageLookup {
    const clock = this.ctx.clock();
    // One citing cable more than shown tells whether there are more than shown.
    const f = this.findCable(id, clock, citedByLimit + 1);
    if (f.kind !== 'found') return f;
    const row = f.row as CableRow & PageColumns;
    const now = nowParam(clock);
    // Neighbours and citing cables came as ids; their summaries are one more statement. The
    // citing ids are those of any cable, so the embargo is applied there.
    const citing = JSON.parse(row.citing_json) as number[];
    const heavy = citing.length > citedByLimit;
    const want = [row.prev_id, row.next_id, ...(heavy ? [] : citing)].filter((x): x is number => x !== null);
    const byId = this.publicSummaries(want, now);
    const one = (rid: number | null) => (rid === null ? null : (byId.get(rid) ?? null));
    let citedBy: { total: number; rows: CableSummary[] };
    if (heavy) citedBy = this.citedByOf(row.rowid, citedByLimit, now);
    else {
      const rows = citing.flatMap((x) => byId.get(x) ?? []);
      // As ORDER BY c.created DESC, c.id DESC: a cable without a creation time last.
      rows.sort((a, b) =>
        a.created === b.created
          ? b.rowid - a.rowid
          : a.created === null
            ? 1
            : b.created === null || a.created > b.created
              ? -1
              : 1,
      );
      citedBy = { total: rows.length, rows: rows.map(summary) };
    }
    const prev = one(row.prev_id);
    const next = one(row.next_id);
    return {
      kind: 'found',
      cable: f.cable,
      references: this.resolveReferences(
        (JSON.parse(row.refs_json) as RefTuple[]).map(refRow),
        clock,
        () => `${row.header}\n${row.body}`,
      ),
      citedBy,
      neighbours: { previous: prev ? summary(prev) : null, next: next ? summary(next) : null },
    };
  }

  /**
   * A public cable by canonical ID, or the public cable it is an alias of. Tags, paragraphs and
   * aliases come in the same statement, as JSON; with `citing`, so do the ids of what its page shows
   * beside it (`PAGE_COLUMNS`): one statement instead of one per part, each part still an index
   * probe.
   */
  private findCable(
    id: string,
    clock: Date,
    /** Citing cables to list with the page's parts; 0: the cable alone. */
    citing: number,
  ): { kind: 'found'; cable: CableDetail; row: CableRow } | Exclude<CableLookup, { kind: 'found' }> {
    const now = nowParam(clock);
    let text = CABLE_SQL_BY_CITING.get(citing);
    if (text === undefined) {
      text = CABLE_SQL.replace(
        'PAGE_COLUMNS',
        citing ? PAGE_COLUMNS.replace('CITING', String(Math.trunc(citing))) : '',
      );
      if (CABLE_SQL_BY_CITING.size < 100) CABLE_SQL_BY_CITING.set(citing, text);
    }
    const row = this.ctx.sql.prepare(text).get({ id, now }) as CableRow | undefined;
    if (!row) {
      const alias = this.ctx.sql
        .prepare(
          `SELECT c.canonical_id AS id, c.created FROM aliases a JOIN cables c ON c.id = a.cable_id
         WHERE a.alias = @id AND ${P}`,
        )
        .get({ id, now }) as { id: string; created: string | null } | undefined;
      return alias ? { kind: 'redirect', id: alias.id, created: alias.created } : { kind: 'missing' };
    }
    const parsed = readPageFields(row.parsed);
    const cable: CableDetail = {
      ...summary(row),
      referenceId: row.reference_id,
      createdAsShown: row.created_as_shown,
      dtg: parsed.dtg,
      header: row.header,
      body: row.body,
      tags: (JSON.parse(row.tags_json) as [string, string][]).map(([name, kind]) => ({ name, kind })),
      paragraphs: (JSON.parse(row.paragraphs_json) as [number, string | null, number, number][]).map(
        ([number, marking, start, end]) => ({ number, marking, start, end }),
      ),
      flags: parsed.flags,
      redactions: parsed.redactions,
      aliases: JSON.parse(row.aliases_json) as string[],
      versionCount: row.version_count,
    };
    return { kind: 'found', cable, row };
  }

  /** Summaries of those of the given cables that are public now, by row id. */
  private publicSummaries(ids: number[], now: string): Map<number, SummaryRow & { rowid: number }> {
    if (ids.length === 0) return new Map();
    const rows = this.ctx.sql
      .prepare(
        `SELECT c.id AS rowid, ${SUMMARY} FROM ${FROM} WHERE c.id IN (SELECT value FROM json_each(@ids)) AND ${P}`,
      )
      .all({ ids: JSON.stringify(ids), now }) as (SummaryRow & { rowid: number })[];
    return new Map(rows.map((r) => [r.rowid, r]));
  }

  // The embargo test is kept off the index chooser: walking the origin in creation order from this
  // cable finds its neighbour at once, while an origin's release range must be read and sorted whole.
  neighbours(id: string): Neighbours {
    const r = this.ctx.publicRow(id);
    return r ? this.neighboursOf(r, this.ctx.now()) : { previous: null, next: null };
  }

  private neighboursOf(r: PublicRow, now: string): Neighbours {
    if (r.origin_id === null || r.created === null) return { previous: null, next: null };
    const params = { o: r.origin_id, cr: r.created, rid: r.rowid, now };
    const prev = this.ctx.sql
      .prepare(
        `SELECT ${SUMMARY} FROM ${FROM} WHERE c.origin_id = @o AND (c.created, c.id) < (@cr, @rid) AND ${P_UNINDEXED}
       ORDER BY c.created DESC, c.id DESC LIMIT 1`,
      )
      .get(params) as SummaryRow | undefined;
    const next = this.ctx.sql
      .prepare(
        `SELECT ${SUMMARY} FROM ${FROM} WHERE c.origin_id = @o AND (c.created, c.id) > (@cr, @rid) AND ${P_UNINDEXED}
       ORDER BY c.created ASC, c.id ASC LIMIT 1`,
      )
      .get(params) as SummaryRow | undefined;
    return { previous: prev ? summary(prev) : null, next: next ? summary(next) : null };
  }

  citedBy(id: string, limit: number): { total: number; rows: CableSummary[] } {
    const r = this.ctx.publicRow(id);
    return r ? this.citedByOf(r.rowid, limit, this.ctx.now()) : { total: 0, rows: [] };
  }

  private citedByOf(rowid: number, limit: number, now: string): { total: number; rows: CableSummary[] } {
    // Most cables are cited by none or a few: their citing cables' ids come from two index probes,
    // and only those few rows are read. A much-cited cable is counted by a window over the same
    // rows before the LIMIT, in one statement.
    const citing = this.ctx.sql
      .pluck(
        'SELECT DISTINCT r.cable_id FROM aliases a JOIN refs r ON r.target = a.alias WHERE a.cable_id = ? AND r.cable_id <> ?',
      )
      .all(rowid, rowid) as number[];
    if (citing.length === 0) return { total: 0, rows: [] };
    if (citing.length <= limit) {
      const rows = this.ctx.sql
        .prepare(
          `SELECT ${SUMMARY} FROM ${FROM} WHERE c.id IN (SELECT value FROM json_each(@ids)) AND ${P}
         ORDER BY c.created DESC, c.id DESC`,
        )
        .all({ ids: JSON.stringify(citing), now }) as SummaryRow[];
      return { total: rows.length, rows: rows.map(summary) };
    }
    const rows = this.ctx.sql
      .prepare(
        `SELECT ${SUMMARY}, count(*) OVER () AS total FROM ${FROM}
       WHERE c.id IN (SELECT r.cable_id FROM aliases a JOIN refs r ON r.target = a.alias WHERE a.cable_id = @rid)
         AND c.id <> @rid AND ${P}
       ORDER BY c.created DESC, c.id DESC LIMIT @limit`,
      )
      .all({ rid: rowid, now, limit }) as (SummaryRow & { total: number })[];
    return { total: rows[0]?.total ?? 0, rows: rows.map(summary) };
  }

  references(id: string): ResolvedReference[] {
    const r = this.ctx.publicRow(id);
    return r ? this.referencesOf(r.rowid, this.ctx.clock()) : [];
  }

  private referencesOf(rowid: number, now: Date): ResolvedReference[] {
    const rows = this.ctx.sql
      .prepare(
        `SELECT r.kind, r.bullet, r.value, r.target, ${SUMMARY} FROM refs r
       LEFT JOIN aliases a ON a.alias = r.target
       LEFT JOIN cables c ON c.id = a.cable_id LEFT JOIN origins o ON o.id = c.origin_id
       WHERE r.cable_id = ? ORDER BY r.position`,
      )
      .all(rowid) as RefRow[];
    return this.resolveReferences(
      rows,
      now,
      () =>
        this.ctx.sql
          .pluck(
            'SELECT v.header || char(10) || v.body FROM cables c JOIN versions v ON v.id = c.version_id WHERE c.id = ?',
          )
          .get(rowid) as string,
    );
  }

  /** The citing cable's references, each resolved against the archive as the public may see it. */
  private resolveReferences(rows: RefRow[], now: Date, citingText: () => string): ResolvedReference[] {
    let text: string | undefined;
    return rows.map((x): ResolvedReference => {
      const base = { kind: x.kind, bullet: x.bullet, value: x.value };
      if (x.target === null) return { ...base, status: 'none', target: null };
      if (x.id === null) return { ...base, status: 'absent', target: null };
      if (!isPublic(x.released, now)) {
        // A reference may come from the source's metadata rather than the cable's text; then its
        // value is the embargoed cable's ID, which the public must not learn from us.
        text ??= citingText();
        const value = text.includes(x.value) ? x.value : 'a cable not yet released';
        return { ...base, value, status: 'embargoed', target: null };
      }
      return { ...base, status: 'released', target: summary(x) };
    });
  }
}
