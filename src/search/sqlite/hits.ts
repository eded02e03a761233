/** What a result row shows: the catalog's values, the subject and an excerpt of the text. */

import type { Statements } from '../../store/sqlite/statements.js';
import { snippetOf, snippetQuery } from '../highlight.js';
import type { ExportRow, SearchHit, Snippet } from '../types.js';
import type { Catalog } from './catalog.js';

/** Display fields of these cables, in the order given; with excerpts when `query` is given. */
export function hitsOf(
  cat: Catalog,
  st: Statements,
  ids: number[],
  query: string | null,
): Omit<SearchHit, 'score'>[] {
  if (ids.length === 0) return [];
  const body = query !== null ? ', v.body' : '';
  const rows = st
    .raw(`SELECT c.id, c.canonical_id, c.subject${body} FROM json_each(?) j JOIN cables c ON c.id = j.value
       ${body ? 'JOIN versions v ON v.id = c.version_id' : ''}`)
    .all(JSON.stringify(ids)) as [number, string, string, string?][];
  const byId = new Map(rows.map((r) => [r[0], r]));
  const sq = query !== null ? snippetQuery(query) : null;
  return ids.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    const o = cat.origins.get(cat.origin[id]!);
    const tags: string[] = [];
    for (let j = cat.tags.start[id]!; j < cat.tags.start[id + 1]!; j++)
      tags.push(cat.tagNames.get(cat.tags.values[j]!) ?? '');
    let snippet: Snippet | null = null;
    if (sq) {
      // The body's passage; the subject's when only the subject matches.
      const fromBody = snippetOf(r[3] ?? '', sq);
      const fromSubject = fromBody.marks.length || !query ? null : snippetOf(r[2], sq);
      snippet = fromSubject?.marks.length ? fromSubject : fromBody;
    }
    return [
      {
        id: r[1],
        subject: r[2],
        created: cat.created[id] ?? null,
        released: cat.released[id] ?? null,
        origin: o?.name ?? null,
        originSlug: o?.slug ?? null,
        classification: cat.classNames[cat.cls[id]!] || null,
        tags,
        snippet,
      },
    ];
  });
}

export function exportRow(h: Omit<SearchHit, 'score'>): ExportRow {
  return {
    id: h.id,
    subject: h.subject,
    created: h.created,
    released: h.released,
    origin: h.origin,
    classification: h.classification,
    tags: h.tags,
  };
}
