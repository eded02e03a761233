/** A public cable's history: every text it has had, in the order they were ingested. */
import { basename } from 'node:path';
import type { VersionText } from '../../types.js';
import type { ReadContext } from './context.js';

export function versions(ctx: ReadContext, id: string): VersionText[] {
  const r = ctx.publicRow(id);
  if (!r) return [];
  const cur = ctx.sql.pluck('SELECT version_id FROM cables WHERE id = ?').get(r.rowid) as number;
  const rows = ctx.sql
    .prepare(
      `SELECT id, hash, reference_id, header, body, source, source_time, ingested_at, variant
       FROM versions WHERE cable_id = ? ORDER BY id`,
    )
    .all(r.rowid) as {
    id: number;
    hash: string;
    reference_id: string;
    header: string;
    body: string;
    source: string;
    source_time: string | null;
    ingested_at: string;
    variant: number;
  }[];
  return rows.map((v, i) => ({
    number: i + 1,
    hash: v.hash,
    referenceId: v.reference_id,
    // The file name only: the ingest machine's directories are nobody's business.
    source: basename(v.source),
    sourceTime: v.source_time,
    ingestedAt: v.ingested_at,
    variant: v.variant === 1,
    current: v.id === cur,
    header: v.header,
    body: v.body,
  }));
}
