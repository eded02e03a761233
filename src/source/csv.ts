/**
 * Reader for the WikiLeaks `cables.csv`: no header row, 8 quoted fields (row number, created
 * `M/D/YYYY H:MM` UTC, reference ID, origin, classification, references joined by `|`, header,
 * body), backslash escapes, raw newlines inside fields. Streams in chunks; every bad row becomes a
 * reject with its exact bytes and the reader goes on with the next row.
 */
import { isUtf8 } from 'node:buffer';
import {
  CHUNK_BYTES,
  DEFAULT_MAX_FIELD_BYTES,
  firstInvalidUtf8,
  locator,
  parseCsvDate,
  rejectOf,
} from './common.js';
import { type Frame, frameRecords, indexOfNul } from './csv-frame.js';
import type { Locator, SourceItem, SourceOptions } from './types.js';

const FIELD_NAMES = [
  'row number',
  'created',
  'reference ID',
  'origin',
  'classification',
  'references',
  'header',
  'body',
];
const ESCAPE = /\\([\s\S])/g;
const BACKSLASH = 0x5c;
const ROW_NUMBER = /^[0-9]{1,9}$/;

export interface CablesCsvOptions extends SourceOptions {
  /** Check each row's bytes for valid UTF-8 (default true; off only for measurements). */
  validateUtf8?: boolean;
}

export async function* readCablesCsv(path: string, opts: CablesCsvOptions = {}): AsyncGenerator<SourceItem> {
  const maxField = opts.maxFieldBytes ?? DEFAULT_MAX_FIELD_BYTES;
  const validate = opts.validateUtf8 !== false;
  for await (const r of frameRecords(path, 'backslash', {
    startOffset: opts.startOffset,
    startRow: opts.startRow,
    startLine: opts.startLine,
    maxRecordBytes: Math.max(16 * maxField, 64 * 1024 * 1024),
    chunkBytes: CHUNK_BYTES,
  })) {
    const at = locator(path, r.row, r.line, r.offset, r.endOffset, r.endLine);
    if (r.kind === 'broken') {
      yield rejectOf(at, r.reason, r.bytes);
      continue;
    }
    const reason = checkFrame(r.buf, r.frame, r.offset, maxField);
    if (reason !== null) {
      yield rejectOf(at, reason, r.buf.subarray(r.frame.start, r.frame.end));
      continue;
    }
    const fields = decodeFields(r.buf, r.frame);
    const bad = checkFields(r.buf, r.frame, r.offset, fields, validate);
    if (bad !== null) {
      yield rejectOf(at, bad, r.buf.subarray(r.frame.start, r.frame.end));
      continue;
    }
    yield toRecord(fields, at);
  }
}

/** Faults visible in the bytes: field count, size, NUL. */
function checkFrame(buf: Buffer, f: Frame, offset: number, maxField: number): string | null {
  if (f.nFields !== 8) return `${f.nFields} fields, expected 8`;
  for (let k = 0; k < 8; k++) {
    const size = f.fields[2 * k + 1]! - f.fields[2 * k]!;
    if (size > maxField)
      return `oversized field ${k + 1} (${FIELD_NAMES[k]}): ${size} bytes, limit ${maxField}`;
  }
  const nul = indexOfNul(buf, f.start, f.end);
  if (nul >= 0) return `NUL byte at byte ${offset + nul - f.start}`;
  return null;
}

function decodeFields(buf: Buffer, f: Frame): string[] {
  const out = new Array<string>(8);
  for (let k = 0; k < 8; k++) {
    const start = f.fields[2 * k]!;
    const end = f.fields[2 * k + 1]!;
    out[k] = f.escaped & (1 << k) ? unescaped(buf, start, end) : buf.toString('utf8', start, end);
  }
  return out;
}

/** Where escaped fields are undone before decoding; grows to the largest escaped field. */
let scratch = Buffer.allocUnsafe(64 * 1024);

/**
 * `buf[start, end)` decoded with each escape undone: the backslash goes, the byte after it stays.
 * Done on the bytes, cheaper than a pattern over the decoded text; a field that is not valid UTF-8
 * takes the text route, so its U+FFFD still marks the row for the UTF-8 check.
 */
function unescaped(buf: Buffer, start: number, end: number): string {
  const field = buf.subarray(start, end);
  if (!isUtf8(field)) return field.toString('utf8').replace(ESCAPE, '$1');
  const n = field.length;
  if (scratch.length < n) scratch = Buffer.allocUnsafe(Math.max(n, 2 * scratch.length));
  let out = 0;
  let p = 0;
  for (let b = field.indexOf(BACKSLASH); b >= 0; b = field.indexOf(BACKSLASH, p)) {
    out += field.copy(scratch, out, p, b);
    // A backslash that ends the field escapes nothing and stays (as the pattern left it).
    scratch[out++] = b + 1 < n ? field[b + 1]! : BACKSLASH;
    p = b + 2;
  }
  if (p < n) out += field.copy(scratch, out, p, n);
  return scratch.toString('utf8', 0, out);
}

/**
 * Faults in the decoded row. Invalid UTF-8 decodes to U+FFFD, so the bytes are checked only when a
 * field holds one (the native decoder is faster than a separate validation pass over every row).
 */
function checkFields(buf: Buffer, f: Frame, offset: number, v: string[], validate: boolean): string | null {
  if (validate && v.some((s) => s.includes('\uFFFD'))) {
    const bad = firstInvalidUtf8(buf, f.start, f.end);
    if (bad >= 0) return `invalid UTF-8 at byte ${offset + bad - f.start}`;
  }
  if (!ROW_NUMBER.test(v[0]!)) return `invalid row number "${v[0]}"`;
  if (parseCsvDate(v[1]!) === null) return `invalid date "${v[1]}"`;
  if (v[2]!.trim() === '') return 'empty reference ID';
  return null;
}

function toRecord(v: string[], at: Locator): SourceItem {
  const refs = v[5]!;
  return {
    kind: 'record',
    at,
    referenceId: v[2]!,
    created: parseCsvDate(v[1]!),
    createdAsShown: v[1]!,
    released: null,
    origin: v[3] || null,
    classification: v[4] || null,
    references: refs === '' ? [] : refs.split('|'),
    header: v[6]!,
    body: v[7]!,
    extra: { csvRow: Number(v[0]) },
  };
}
