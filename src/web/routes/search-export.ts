import type { Context } from 'hono';
import type { SearchEngine } from '../../search/types.js';
import { cableUrl } from '../urls.js';
import type { SearchParams } from './search-params.js';

export type ExportFormat = 'csv' | 'jsonl';

const CSV_HEAD = 'id,subject,created,released,origin,classification,tags,url\r\n';
/** Lines per chunk written: fewer, larger writes. */
const CHUNK_LINES = 200;

function csvCell(v: string | null): string {
  if (v === null) return '';
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function stream(lines: AsyncIterable<string>): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  const it = lines[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(ctrl) {
      let buf = '';
      for (let i = 0; i < CHUNK_LINES; i++) {
        const n = await it.next();
        if (n.done) {
          if (buf) ctrl.enqueue(enc.encode(buf));
          ctrl.close();
          return;
        }
        buf += n.value;
      }
      ctrl.enqueue(enc.encode(buf));
    },
    async cancel() {
      await it.return?.();
    },
  });
}

/** Every hit of a query as CSV or JSON lines, streamed, in the order asked for. */
export function exportResponse(
  c: Context,
  engine: SearchEngine,
  prm: SearchParams,
  ext: ExportFormat,
  now: Date,
): Response {
  const rows = engine.exportAll(prm.q, { ...(prm.sort ? { sort: prm.sort } : {}), now });
  async function* lines(): AsyncIterable<string> {
    if (ext === 'csv') yield CSV_HEAD;
    for await (const r of rows) {
      const url = cableUrl(r.id, r.created);
      yield ext === 'csv'
        ? `${[r.id, r.subject, r.created, r.released, r.origin, r.classification, r.tags.join(' '), url].map(csvCell).join(',')}\r\n`
        : `${JSON.stringify({ ...r, url })}\n`;
    }
  }
  return c.body(stream(lines()), 200, {
    'Content-Type': ext === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
    'Content-Disposition': `attachment; filename="search.${ext}"`,
    // Whole result sets: not for the page cache.
    'Cache-Control': 'no-store',
  });
}
