/**
 * Source kind detection and the one entry point the ingest uses. A directory is a tree of site
 * pages; otherwise the extension decides where it is unambiguous and the first bytes decide the
 * rest (gzip magic, a JSON object, an HTML page, a cables.csv row, the export's header row).
 */

import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { looksLikeArchiveCsv, readArchiveCsv } from './archive-csv.js';
import { readCablesCsv } from './csv.js';
import { isRowStart } from './csv-frame.js';
import { readJsonLines } from './jsonl.js';
import { readPages } from './pages.js';
import { readTextFile } from './text.js';
import type { SourceFormat, SourceItem, SourceOptions } from './types.js';

const SNIFF_BYTES = 4096;

async function head(path: string): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await fh.read(buf, 0, SNIFF_BYTES, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

async function gunzipHead(path: string): Promise<Buffer> {
  const stream = createReadStream(path, { start: 0, end: 64 * 1024 }).pipe(createGunzip());
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const c of stream as AsyncIterable<Buffer>) {
      parts.push(c);
      size += c.length;
      if (size >= SNIFF_BYTES) break;
    }
  } catch {
    // A truncated read of the compressed head ends the stream early; what came out is enough.
  }
  stream.destroy();
  return Buffer.concat(parts).subarray(0, SNIFF_BYTES);
}

function sniff(bytes: Buffer): SourceFormat | null {
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  const start = text.trimStart();
  if (looksLikeArchiveCsv(bytes)) return 'archive-csv';
  if (isRowStart(bytes, 0, bytes.length) === 1) return 'csv';
  if (start.startsWith('{')) return 'jsonl';
  if (/^<(?:!DOCTYPE html|html|\?xml)/i.test(start)) return 'pages';
  return null;
}

/** The source kind of a path: by directory, extension, then content. */
export async function detectFormat(path: string): Promise<SourceFormat> {
  const info = await stat(path);
  if (info.isDirectory()) return 'pages';
  const lower = path.toLowerCase();
  const bytes = await head(path);
  const gz = bytes[0] === 0x1f && bytes[1] === 0x8b;
  const content = gz ? await gunzipHead(path) : bytes;
  if (/\.jsonl?(\.gz)?$|\.ndjson(\.gz)?$/.test(lower)) return 'jsonl';
  if (/\.html?$/.test(lower)) return 'pages';
  const sniffed = sniff(content);
  if (/\.csv$/.test(lower)) return sniffed === 'archive-csv' ? 'archive-csv' : 'csv';
  if (/\.txt$/.test(lower)) return sniffed === 'jsonl' || sniffed === 'csv' ? sniffed : 'text';
  return sniffed ?? 'text';
}

/** Opens any supported source as a stream of records and rejects. */
export async function openSource(path: string, opts: SourceOptions = {}): Promise<AsyncIterable<SourceItem>> {
  const format = opts.format ?? (await detectFormat(path));
  switch (format) {
    case 'csv':
      return readCablesCsv(path, opts);
    case 'archive-csv':
      return readArchiveCsv(path, opts);
    case 'jsonl':
      return readJsonLines(path, opts);
    case 'pages':
      return readPages(path, opts);
    case 'text':
      return readTextFile(path, opts);
  }
}
