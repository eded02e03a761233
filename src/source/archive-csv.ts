/**
 * The archive's own CSV export (RFC 4180, header row, every field quoted, CRLF between records) and
 * its reader, so that `cables export-data --format csv` re-imports losslessly. Text fields are
 * written verbatim (newlines, backslashes and non-ASCII included); only `"` is doubled, as RFC 4180
 * says. Lists are joined by `|` (reference IDs never contain one); `parsed` and `extra` are JSON.
 */
import { open } from 'node:fs/promises';
import {
  CHUNK_BYTES,
  DEFAULT_MAX_FIELD_BYTES,
  firstInvalidUtf8,
  locator,
  readChunk,
  rejectOf,
} from './common.js';
import { COMPLETE, Frame, frameRecords, indexOfNul, scanRecord } from './csv-frame.js';
import type { Locator, SourceItem, SourceOptions } from './types.js';

export const ARCHIVE_CSV_COLUMNS = [
  'canonical_id',
  'reference_id',
  'aliases',
  'created',
  'created_as_shown',
  'released',
  'origin',
  'classification',
  'references',
  'header',
  'body',
  'parsed',
  'extra',
] as const;

/** One exported cable. Empty `released` means embargoed. */
export interface ArchiveCsvRecord {
  canonicalId: string;
  referenceId: string;
  /** Other IDs the cable is known by (original and malformed spellings). */
  aliases: string[];
  created: string | null;
  createdAsShown: string | null;
  released: string | null;
  origin: string | null;
  classification: string | null;
  references: string[];
  header: string;
  body: string;
  /** The parsed fields: JSON text (written as is, e.g. the store's column) or a value to serialise. */
  parsed: string | object | null;
  /** The source's extra fields: JSON text or a value. */
  extra: string | Record<string, unknown> | null;
}

const CRLF = '\r\n';
const QUOTES = /"/g;

function q(s: string): string {
  return `"${s.replace(QUOTES, '""')}"`;
}

function json(v: string | object | null): string {
  if (v === null) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** The header row, with its line end. */
export function archiveCsvHeader(): string {
  return ARCHIVE_CSV_COLUMNS.join(',') + CRLF;
}

/** One record as a CSV row, with its line end. */
export function archiveCsvRow(r: ArchiveCsvRecord): string {
  return (
    [
      r.canonicalId,
      r.referenceId,
      r.aliases.join('|'),
      r.created ?? '',
      r.createdAsShown ?? '',
      r.released ?? '',
      r.origin ?? '',
      r.classification ?? '',
      r.references.join('|'),
      r.header,
      r.body,
      json(r.parsed),
      json(r.extra),
    ]
      .map(q)
      .join(',') + CRLF
  );
}

/** Whether the first bytes of a file are the export's header row. */
export function looksLikeArchiveCsv(head: Uint8Array): boolean {
  const s = Buffer.from(head.subarray(0, 64))
    .toString('latin1')
    .replace(/^\uFEFF|^\xEF\xBB\xBF/, '');
  return /^"?canonical_id"?,"?reference_id"?,/.test(s);
}

const ISO =
  /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})$/;

type Row = { rec: ArchiveCsvRecord; at: Locator } | { reason: string; at: Locator; bytes: Uint8Array };

/** The export's rows as written (lossless: `parsed` and `extra` stay JSON text), or the reason a row is bad. */
export async function* readArchiveCsvRows(path: string, opts: SourceOptions = {}): AsyncGenerator<Row> {
  const maxField = opts.maxFieldBytes ?? DEFAULT_MAX_FIELD_BYTES;
  const start = opts.startOffset ?? 0;
  let columns: string[] | null = start > 0 ? await readHeader(path) : null;
  for await (const r of frameRecords(path, 'rfc4180', {
    startOffset: start,
    startRow: start > 0 ? opts.startRow : 0,
    startLine: opts.startLine,
    maxRecordBytes: Math.max(16 * maxField, 64 * 1024 * 1024),
    chunkBytes: CHUNK_BYTES,
  })) {
    const at = locator(path, r.row, r.line, r.offset, r.endOffset, r.endLine);
    if (r.kind === 'broken') {
      yield { reason: r.reason, at, bytes: r.bytes };
      continue;
    }
    const f = r.frame;
    const bytes = r.buf.subarray(f.start, f.end);
    const values = fieldValues(r.buf, f);
    if (columns === null) {
      columns = values.map((v) => v.replace(/^\uFEFF/, ''));
      const missing = ['canonical_id', 'reference_id', 'header', 'body'].filter((c) => !columns!.includes(c));
      if (missing.length > 0) {
        yield { reason: `not an archive export: header row lacks ${missing.join(', ')}`, at, bytes };
        return;
      }
      continue;
    }
    const reason = rowProblem(r.buf, f, r.offset, values, columns, maxField);
    if (reason !== null) {
      yield { reason, at, bytes };
      continue;
    }
    yield { rec: toArchiveRecord(values, columns), at };
  }
}

async function readHeader(path: string): Promise<string[] | null> {
  const fh = await open(path, 'r');
  try {
    const buf = await readChunk(fh, 0, 64 * 1024);
    const f = new Frame();
    if (scanRecord(buf, 0, buf.length, true, 'rfc4180', f) !== COMPLETE) return null;
    return fieldValues(buf, f);
  } finally {
    await fh.close();
  }
}

function fieldValues(buf: Buffer, f: Frame): string[] {
  const out: string[] = [];
  for (let k = 0; k < f.nFields; k++) {
    const s = buf.toString('utf8', f.fields[2 * k], f.fields[2 * k + 1]);
    out.push(f.escaped & (1 << k) ? s.replace(/""/g, '"') : s);
  }
  return out;
}

function rowProblem(
  buf: Buffer,
  f: Frame,
  offset: number,
  values: string[],
  columns: string[],
  maxField: number,
): string | null {
  if (values.length !== columns.length) return `${values.length} fields, expected ${columns.length}`;
  for (let k = 0; k < f.nFields; k++) {
    const size = f.fields[2 * k + 1]! - f.fields[2 * k]!;
    if (size > maxField) return `oversized field ${k + 1} (${columns[k]}): ${size} bytes, limit ${maxField}`;
  }
  const nul = indexOfNul(buf, f.start, f.end);
  if (nul >= 0) return `NUL byte at byte ${offset + nul - f.start}`;
  if (values.some((v) => v.includes('\uFFFD'))) {
    const bad = firstInvalidUtf8(buf, f.start, f.end);
    if (bad >= 0) return `invalid UTF-8 at byte ${offset + bad - f.start}`;
  }
  const get = (c: string): string => values[columns.indexOf(c)] ?? '';
  if (get('reference_id').trim() === '' && get('canonical_id').trim() === '') return 'empty reference ID';
  for (const c of ['created', 'released']) {
    const v = get(c);
    if (v !== '' && (!ISO.test(v) || Number.isNaN(Date.parse(v)))) return `invalid date "${v}" in ${c}`;
  }
  for (const c of ['parsed', 'extra']) {
    const v = get(c);
    if (v === '') continue;
    try {
      JSON.parse(v);
    } catch {
      return `invalid JSON in ${c}`;
    }
  }
  return null;
}

function toArchiveRecord(values: string[], columns: string[]): ArchiveCsvRecord {
  const get = (c: string): string => {
    const i = columns.indexOf(c);
    return i < 0 ? '' : (values[i] ?? '');
  };
  const orNull = (c: string): string | null => get(c) || null;
  const list = (c: string): string[] => (get(c) === '' ? [] : get(c).split('|'));
  return {
    canonicalId: get('canonical_id'),
    referenceId: get('reference_id') || get('canonical_id'),
    aliases: list('aliases'),
    created: orNull('created'),
    createdAsShown: orNull('created_as_shown'),
    released: orNull('released'),
    origin: orNull('origin'),
    classification: orNull('classification'),
    references: list('references'),
    header: get('header'),
    body: get('body'),
    parsed: orNull('parsed'),
    extra: orNull('extra'),
  };
}

/** The export as source records: the canonical ID and aliases ride in `extra` for the store. */
export async function* readArchiveCsv(path: string, opts: SourceOptions = {}): AsyncGenerator<SourceItem> {
  for await (const row of readArchiveCsvRows(path, opts)) {
    if ('reason' in row) {
      yield rejectOf(row.at, row.reason, row.bytes);
      continue;
    }
    const r = row.rec;
    const parsedExtra: unknown = typeof r.extra === 'string' ? JSON.parse(r.extra) : (r.extra ?? {});
    const extra: Record<string, unknown> =
      parsedExtra !== null && typeof parsedExtra === 'object' && !Array.isArray(parsedExtra)
        ? { ...(parsedExtra as Record<string, unknown>) }
        : { extra: parsedExtra };
    extra['canonicalId'] = r.canonicalId;
    extra['aliases'] = r.aliases;
    yield {
      kind: 'record',
      at: row.at,
      referenceId: r.referenceId,
      created: r.created,
      createdAsShown: r.createdAsShown,
      released: r.released,
      origin: r.origin,
      classification: r.classification,
      references: r.references,
      header: r.header,
      body: r.body,
      extra,
    };
  }
}
