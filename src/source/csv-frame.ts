/**
 * A byte-level CSV record framer for the two CSV dialects the archive reads: the WikiLeaks
 * `cables.csv` (every field quoted, `\` escapes the next byte, quotes never doubled) and RFC 4180
 * (the archive's own export: `""` inside quoted fields, unquoted fields allowed).
 *
 * It works on bytes, not decoded text, because every decision is per row: a row with invalid UTF-8
 * or a NUL must be rejected alone, with its byte offset, and an unterminated quote must be cut at
 * the next row start instead of swallowing it. General CSV parsers either decode the stream first
 * or cannot say where a broken record ends, so the framing is done here and only the field bytes
 * go to the native UTF-8 decoder.
 */
import { open } from 'node:fs/promises';
import { readInto } from './common.js';

const QUOTE = 0x22;
const COMMA = 0x2c;
const BACKSLASH = 0x5c;
const LF = 0x0a;
const CR = 0x0d;

export type Dialect = 'backslash' | 'rfc4180';

/** Most fields a row may have before it counts as broken (cables.csv has 8, the export 13). */
const MAX_FIELDS = 64;

export class Frame {
  start = 0;
  /** Past the line terminator. */
  end = 0;
  /** `fields[2i]`, `fields[2i+1]`: content span of field i (inside the quotes). */
  readonly fields = new Int32Array(MAX_FIELDS * 2);
  nFields = 0;
  /** Bit i set: field i holds escapes (backslash or doubled quote) to undo. */
  escaped = 0;
  /** Line feeds in `[start, end)`, so the next record's line is known. */
  newlines = 0;
  /** A structural fault (set when `scanRecord` returns ERROR). */
  error = '';
  errorAt = 0;
}

export const NEED_MORE = 0;
export const COMPLETE = 1;
export const ERROR = 2;

/**
 * Frames one record starting at `start` of `buf[0, len)`. NEED_MORE when the record may continue
 * past `len` and `eof` is false; at the end of the input a record without a final newline is taken.
 */
export function scanRecord(
  buf: Uint8Array,
  start: number,
  len: number,
  eof: boolean,
  dialect: Dialect,
  f: Frame,
): number {
  const backslash = dialect === 'backslash';
  f.start = start;
  f.nFields = 0;
  f.escaped = 0;
  f.error = '';
  let p = start;
  for (;;) {
    if (f.nFields === MAX_FIELDS) return fail(f, buf, `more than ${MAX_FIELDS} fields`, p);
    if (p >= len) {
      if (!eof) return NEED_MORE;
      if (f.nFields === 0) return fail(f, buf, 'empty record', p);
      // `a,` at the very end: one more empty field.
      return done(f, buf, p);
    }
    const fi = f.nFields;
    let contentStart: number;
    let contentEnd: number;
    if (buf[p] === QUOTE) {
      contentStart = ++p;
      // Native searches jump from quote to quote (and backslash to backslash): a loop over every
      // byte of the text was most of the reader's time.
      let esc = false;
      // The next quote stays valid while escapes before it are skipped; `len` when there is none
      // before the end, so that skipping escapes does not search the rest of the buffer again.
      let q = -1;
      for (;;) {
        if (q < p) {
          q = indexOfByte(buf, QUOTE, p, len);
          if (q < 0) q = len;
        }
        if (backslash) {
          const b = nextBackslash(buf, p, len);
          if (b >= 0 && b < q) {
            // The backslash escapes the byte after it, which may be a quote.
            if (b + 1 >= len) {
              if (!eof) return NEED_MORE;
              return fail(f, buf, `unterminated quote in field ${fi + 1} (runs to the end of the file)`, b);
            }
            esc = true;
            p = b + 2;
            continue;
          }
        }
        if (q >= len) {
          if (!eof) return NEED_MORE;
          return fail(f, buf, `unterminated quote in field ${fi + 1} (runs to the end of the file)`, len);
        }
        p = q;
        if (!backslash) {
          if (p + 1 >= len && !eof) return NEED_MORE;
          if (buf[p + 1] === QUOTE) {
            esc = true;
            p += 2;
            continue;
          }
        }
        break;
      }
      contentEnd = p++;
      if (esc) f.escaped |= 1 << fi;
    } else if (backslash) {
      return fail(f, buf, `field ${fi + 1} does not start with a quote`, p);
    } else {
      contentStart = p;
      while (p < len) {
        const c = buf[p]!;
        if (c === COMMA || c === LF) break;
        if (c === QUOTE) return fail(f, buf, `quote inside unquoted field ${fi + 1}`, p);
        p++;
      }
      if (p >= len && !eof) return NEED_MORE;
      contentEnd = p > contentStart && buf[p - 1] === CR && buf[p] === LF ? p - 1 : p;
    }
    f.fields[2 * fi] = contentStart;
    f.fields[2 * fi + 1] = contentEnd;
    f.nFields = fi + 1;
    // After a field: a comma, the line end (LF or CRLF), or the end of the input.
    if (p >= len) {
      if (!eof) return NEED_MORE;
      return done(f, buf, p);
    }
    const c = buf[p]!;
    if (c === COMMA) {
      p++;
      continue;
    }
    if (c === LF) return done(f, buf, p + 1);
    if (c === CR) {
      if (p + 1 >= len && !eof) return NEED_MORE;
      if (buf[p + 1] === LF) return done(f, buf, p + 2);
    }
    return fail(f, buf, afterQuoteReason(buf, p, len, fi), p);
  }
}

// Backslashes are rare, so where the next one lies is kept between calls: searching afresh from
// every field would scan to the far end of a chunk that has none.
let bsBuf: Uint8Array | null = null;
let bsLen = 0;
let bsFrom = 0;
let bsAt = -1;

/** The first backslash in `buf[from, len)`, or -1. */
function nextBackslash(buf: Uint8Array, from: number, len: number): number {
  if (buf !== bsBuf || len !== bsLen || from < bsFrom || (bsAt >= 0 && bsAt < from)) {
    bsBuf = buf;
    bsLen = len;
    bsFrom = from;
    bsAt = indexOfByte(buf, BACKSLASH, from, len);
  }
  return bsAt;
}

/** Every line feed of the record counts, inside quoted fields and its own line end alike. */
function done(f: Frame, buf: Uint8Array, end: number): number {
  f.end = end;
  f.newlines = countLf(buf, f.start, end);
  return COMPLETE;
}

function fail(f: Frame, buf: Uint8Array, reason: string, at: number): number {
  f.error = reason;
  f.errorAt = at;
  f.newlines = countLf(buf, f.start, at);
  return ERROR;
}

/** A stray byte after a closing quote; when it is a row start, the previous field never closed. */
function afterQuoteReason(buf: Uint8Array, p: number, len: number, fi: number): string {
  if (p >= 2 && buf[p - 2] === LF && isRowStart(buf, p - 1, len) !== 0) {
    return `unterminated quote in field ${fi + 1} (runs into the next row)`;
  }
  const c = buf[p]!;
  const shown =
    c >= 0x20 && c < 0x7f ? `'${String.fromCharCode(c)}'` : `byte 0x${c.toString(16).padStart(2, '0')}`;
  return `unexpected ${shown} after the closing quote of field ${fi + 1}`;
}

/**
 * Whether `buf[i]` starts a cables.csv row: `"<digits>","`. 1 = yes, 0 = no, -1 = cannot tell yet.
 */
export function isRowStart(buf: Uint8Array, i: number, len: number): number {
  if (i >= len) return -1;
  if (buf[i] !== QUOTE) return 0;
  let p = i + 1;
  const digits = p;
  while (p < len && buf[p]! >= 0x30 && buf[p]! <= 0x39 && p - digits < 12) p++;
  if (p >= len) return -1;
  if (p === digits) return 0;
  const tail = [QUOTE, COMMA, QUOTE];
  for (const t of tail) {
    if (p >= len) return -1;
    if (buf[p++] !== t) return 0;
  }
  return 1;
}

/**
 * The first line start after `from` where a new row begins, or -1 when none is in `buf[0, len)` yet
 * (-2 at the end of the input: the broken record runs to the end). RFC 4180 rows (the export) start
 * with any quoted field, so a line starting with a quote is taken there.
 */
export function findResync(
  buf: Uint8Array,
  from: number,
  len: number,
  eof: boolean,
  dialect: Dialect,
): number {
  let p = from;
  for (;;) {
    const nl = indexOfByte(buf, LF, p, len);
    if (nl < 0) return eof ? -2 : -1;
    const s = nl + 1;
    if (dialect === 'rfc4180') {
      if (s >= len) return eof ? -2 : -1;
      if (buf[s] === QUOTE) return s;
    } else {
      const r = isRowStart(buf, s, len);
      if (r === 1) return s;
      if (r === -1) return eof ? -2 : -1;
    }
    p = s;
  }
}

function indexOfByte(buf: Uint8Array, byte: number, from: number, len: number): number {
  const i = buf.indexOf(byte, from);
  return i >= 0 && i < len ? i : -1;
}

/** Counts line feeds in `buf[from, to)`. */
export function countLf(buf: Uint8Array, from: number, to: number): number {
  let n = 0;
  let i = buf.indexOf(LF, from);
  while (i >= 0 && i < to) {
    n++;
    i = buf.indexOf(LF, i + 1);
  }
  return n;
}

/** Index of the first NUL in `buf[from, to)`, or -1. */
export function indexOfNul(buf: Uint8Array, from: number, to: number): number {
  // Bounded by a view: an unbounded search would run on through the rest of the chunk.
  const i = buf.subarray(from, to).indexOf(0);
  return i < 0 ? -1 : from + i;
}

export interface FramedRecord {
  kind: 'frame';
  buf: Buffer;
  /** Reused between records: consume it before asking for the next one. */
  frame: Frame;
  offset: number;
  line: number;
  row: number;
  endOffset: number;
  endLine: number;
}

export interface BrokenRecord {
  kind: 'broken';
  bytes: Buffer;
  reason: string;
  offset: number;
  line: number;
  row: number;
  endOffset: number;
  endLine: number;
}

export interface FrameOptions {
  startOffset?: number | undefined;
  startRow?: number | undefined;
  startLine?: number | undefined;
  /** A record still open after this many bytes is cut at the next row start (bounded memory). */
  maxRecordBytes: number;
  chunkBytes: number;
}

/** Head of an over-long record kept for its reject; the rest is dropped while seeking the next row. */
const KEEP_OF_LONG_RECORD = 1024 * 1024;

/**
 * Streams the records of a CSV file as byte frames; broken records come out whole (up to the next
 * row start) with the reason, so the caller can reject exactly them and go on.
 */
export async function* frameRecords(
  path: string,
  dialect: Dialect,
  opts: FrameOptions,
): AsyncGenerator<FramedRecord | BrokenRecord> {
  const file = await open(path, 'r');
  try {
    const f = new Frame();
    let filePos = opts.startOffset ?? 0;
    let base = filePos;
    let buf: Buffer = Buffer.alloc(0);
    let len = 0;
    let eof = false;
    let i = 0;
    let row = opts.startRow ?? 1;
    let line = opts.startLine ?? 1;
    /** A broken or over-long record being skipped: where it began and the bytes kept of it. */
    let skipping: { offset: number; line: number; head: Buffer; reason: string; dropped: number } | null =
      null;
    let checkStart = filePos > 0;

    const more = async (): Promise<void> => {
      const keep = len - i;
      const size = Math.max(opts.chunkBytes, keep);
      // The unfinished record moves to the front of the next buffer and the file is read in after
      // it: concatenating a separately read chunk copied every byte of the file once more.
      const next = Buffer.allocUnsafe(keep + size);
      if (keep > 0) buf.copy(next, 0, i, len);
      const got = await readInto(file, next, keep, size, filePos);
      filePos += got;
      eof = got < size;
      buf = eof ? next.subarray(0, keep + got) : next;
      base += i;
      len = buf.length;
      i = 0;
    };

    await more();
    if (checkStart && len > 0) {
      // Resuming: the offset must be a row start; anything before the next one is reported, not lost.
      checkStart = false;
      if (dialect === 'backslash' && isRowStart(buf, 0, len) !== 1) {
        skipping = {
          offset: base,
          line,
          head: Buffer.alloc(0),
          reason: `start offset ${base} is not at a row start`,
          dropped: 0,
        };
      }
    }
    for (;;) {
      if (skipping) {
        const at = findResync(buf, i, len, eof, dialect);
        const cut = at >= 0 ? at : at === -2 ? len : -1;
        if (cut < 0) {
          // No row start yet: keep a bounded head; drop the rest but a tail that may hold a line end.
          const keepTail = Math.max(i, len - 32);
          const room = Math.max(KEEP_OF_LONG_RECORD - skipping.head.length, 0);
          const take = Math.min(keepTail - i, room);
          if (take > 0) skipping.head = Buffer.concat([skipping.head, buf.subarray(i, i + take)]);
          skipping.dropped += keepTail - i - take;
          line += countLf(buf, i, keepTail);
          i = keepTail;
          await more();
          continue;
        }
        const room = KEEP_OF_LONG_RECORD - skipping.head.length;
        const take = Math.min(cut - i, Math.max(room, 0));
        const head = Buffer.concat([skipping.head, buf.subarray(i, i + take)]);
        const dropped = skipping.dropped + (cut - i - take);
        const endLine = line + countLf(buf, i, cut);
        const reason = dropped > 0 ? `${skipping.reason} (${dropped} bytes not kept)` : skipping.reason;
        yield {
          kind: 'broken',
          bytes: head,
          reason,
          offset: skipping.offset,
          line: skipping.line,
          row,
          endOffset: base + cut,
          endLine,
        };
        if (!skipping.reason.startsWith('start offset')) row++;
        line = endLine;
        i = cut;
        skipping = null;
        if (i >= len && eof) return;
        continue;
      }
      if (i >= len) {
        if (eof) return;
        await more();
        continue;
      }
      const st = scanRecord(buf, i, len, eof, dialect, f);
      if (st === COMPLETE) {
        const endLine = line + f.newlines;
        yield { kind: 'frame', buf, frame: f, offset: base + i, line, row, endOffset: base + f.end, endLine };
        row++;
        line = endLine;
        i = f.end;
        continue;
      }
      if (st === NEED_MORE) {
        if (len - i > opts.maxRecordBytes) {
          skipping = {
            offset: base + i,
            line,
            head: Buffer.alloc(0),
            reason: `record longer than ${opts.maxRecordBytes} bytes`,
            dropped: 0,
          };
          continue;
        }
        await more();
        continue;
      }
      // A structural fault: the record runs to the next row start.
      const at = findResync(buf, i, len, eof, dialect);
      if (at === -1) {
        if (len - i > opts.maxRecordBytes) {
          skipping = { offset: base + i, line, head: Buffer.alloc(0), reason: f.error, dropped: 0 };
          continue;
        }
        await more();
        continue;
      }
      const cut = at === -2 ? len : at;
      const endLine = line + countLf(buf, i, cut);
      yield {
        kind: 'broken',
        bytes: buf.subarray(i, cut),
        reason: f.error,
        offset: base + i,
        line,
        row,
        endOffset: base + cut,
        endLine,
      };
      row++;
      line = endLine;
      i = cut;
    }
  } finally {
    await file.close();
  }
}
