/**
 * `parsed` of a stored cable: the fields of its parse that only the cable page shows and no
 * column or table holds (the date-time group, the quality flags, the redactions), as JSON. The rest
 * of a parse is in columns and tables, or parsed again from the verbatim text when asked for.
 */
import type { Cable } from '../cable/types.js';
import { parseCable } from '../parse/cable.js';

export type PageFields = Pick<Cable, 'dtg' | 'flags' | 'redactions'>;

export function pageFieldsJson(c: PageFields): string {
  return JSON.stringify({ dtg: c.dtg, flags: c.flags, redactions: c.redactions });
}

export function readPageFields(json: string): PageFields {
  const p = JSON.parse(json) as Partial<PageFields>;
  return { dtg: p.dtg ?? null, flags: p.flags ?? [], redactions: p.redactions ?? [] };
}

/** A stored version's text and the parser's other inputs, as the ingest gave them. */
export interface ParsedSource {
  header: string;
  body: string;
  /** The ID as the version's source wrote it. */
  referenceId: string;
  created: string | null;
}

/** The whole parse of a stored version: the same parser on the same inputs as the ingest's. */
export function parsedFields(v: ParsedSource): Cable {
  return parseCable({
    header: v.header,
    body: v.body,
    referenceId: v.referenceId,
    year: v.created ? Number(v.created.slice(0, 4)) : null,
  });
}
