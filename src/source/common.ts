/**
 * Helpers shared by the source readers: chunked byte reading, UTF-8 checks that name the bad byte,
 * and the date conversions of the Cablegate sources.
 */
import { isUtf8 } from 'node:buffer';
import type { FileHandle } from 'node:fs/promises';
import { findDtgParts } from '../cable/dtg.js';
import type { Locator, SourceReject } from './types.js';

/** Default limit for one field: far above the largest real cable (~0.3 MB), below the 5 MB fault. */
export const DEFAULT_MAX_FIELD_BYTES = 4 * 1024 * 1024;
export const CHUNK_BYTES = 4 * 1024 * 1024;

/** Reads `size` bytes (fewer at the end of the file) at `position` into a fresh buffer. */
export async function readChunk(fh: FileHandle, position: number, size: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(size);
  const got = await readInto(fh, buf, 0, size, position);
  return got === size ? buf : buf.subarray(0, got);
}

/** Reads up to `size` bytes at `position` into `buf` from `offset`; how many it read (fewer at the end). */
export async function readInto(
  fh: FileHandle,
  buf: Buffer,
  offset: number,
  size: number,
  position: number,
): Promise<number> {
  let got = 0;
  while (got < size) {
    const { bytesRead } = await fh.read(buf, offset + got, size - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got;
}

/** Index of the first byte that breaks UTF-8 in `buf[start, end)`, or -1 when the span is valid. */
export function firstInvalidUtf8(buf: Uint8Array, start: number, end: number): number {
  if (isUtf8(buf.subarray(start, end))) return -1;
  let i = start;
  while (i < end) {
    const c = buf[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (c >= 0xc2 && c <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    if (i + need >= end) return i;
    let cp = c & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const d = buf[i + k]!;
      if ((d & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return i < end ? i : start;
}

/** Builds a reject that keeps the exact bytes beside their (lossy) UTF-8 reading. */
export function rejectOf(at: Locator, reason: string, bytes: Uint8Array): SourceReject {
  const copy = Buffer.from(bytes);
  return { kind: 'reject', at, reason, raw: copy.toString('utf8'), rawBytes: copy };
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** ISO 8601 UTC for a calendar time, or null when a part is out of range (`13/45/2009 25:99`). */
export function isoUtc(y: number, mo: number, d: number, h: number, mi: number): string | null {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || y < 1900 || y > 2100) return null;
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (d > days) return null;
  return `${y}-${pad2(mo)}-${pad2(d)}T${pad2(h)}:${pad2(mi)}:00Z`;
}

const CSV_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2})$/;

/** `12/28/1966 18:48` (cables.csv, make-corpus) → `1966-12-28T18:48:00Z`, or null. */
export function parseCsvDate(s: string): string | null {
  const m = CSV_DATE.exec(s);
  if (!m) return null;
  return isoUtc(Number(m[3]), Number(m[1]), Number(m[2]), Number(m[4]), Number(m[5]));
}

const SITE_DATE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::\d{2})?Z?$/;

interface SiteTime {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
}

function parseSiteDate(s: string): SiteTime | null {
  const m = SITE_DATE.exec(s.trim());
  if (!m) return null;
  return { y: Number(m[1]), mo: Number(m[2]), d: Number(m[3]), h: Number(m[4]), mi: Number(m[5]) };
}

/** The first date-time group in a header, as written, or null. */
export function findDtg(header: string): string | null {
  return findDtgParts(header, { loose: true })?.text ?? null;
}

export interface SiteTimes {
  created: string | null;
  released: string | null;
  /** `dtg` when the created minute came from the header's DTG, `hour` when it is unknown (set to :00). */
  createdMinute: 'shown' | 'dtg' | 'hour';
  releasedMinute: 'shown' | 'hour';
}

/** On a page with the minute bug the shown minute is the 12-hour-clock hour: 18:06 for 18:48. */
function showsHourAsMinute(t: SiteTime): boolean {
  return t.mi === (t.h % 12 || 12);
}

/**
 * The real times of a Cablegate site record. On 2010-layout pages the minute shown is the hour on a
 * 12-hour clock; the true created minute is the header DTG's when the DTG names the same hour (the
 * day may be off on a handful of pages, so only the hour is compared), otherwise it is unknown and
 * set to :00. The release minute has no second source, so it is set to :00 too.
 */
export function siteTimes(
  createdShown: string | null,
  releasedShown: string | null,
  dtg: string | null,
  minuteBug: boolean,
): SiteTimes {
  const c = createdShown ? parseSiteDate(createdShown) : null;
  const r = releasedShown ? parseSiteDate(releasedShown) : null;
  const out: SiteTimes = { created: null, released: null, createdMinute: 'shown', releasedMinute: 'shown' };
  if (c) {
    let mi = c.mi;
    if (minuteBug && showsHourAsMinute(c)) {
      const g = dtg ? findDtgParts(dtg, { loose: true }) : null;
      if (g && g.hour === c.h) {
        mi = g.minute;
        out.createdMinute = 'dtg';
      } else {
        mi = 0;
        out.createdMinute = 'hour';
      }
    }
    out.created = isoUtc(c.y, c.mo, c.d, c.h, mi);
  }
  if (r) {
    let mi = r.mi;
    if (minuteBug && showsHourAsMinute(r)) {
      mi = 0;
      out.releasedMinute = 'hour';
    }
    out.released = isoUtc(r.y, r.mo, r.d, r.h, mi);
  }
  return out;
}

/** 1-based line and byte offset of a record, plus where the next one starts (for checkpoints). */
export function locator(
  source: string,
  row: number | null,
  line: number | null,
  offset: number | null,
  endOffset?: number,
  endLine?: number,
): Locator {
  const at: Locator = { source, row, line, offset };
  if (endOffset !== undefined) at.endOffset = endOffset;
  if (endLine !== undefined) at.endLine = endLine;
  return at;
}
