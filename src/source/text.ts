/**
 * Reader for a plain text file holding one cable: the transmission header and the body are split
 * at the end of a header-looking block (see `splitHeaderBody`), else the whole text is body. The
 * reference ID comes from the file name (`09PARIS1234.txt`), else from an `refid:`/`Reference ID:`
 * line of the text, else from the banner's station and serial with the DTG's year.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { splitHeaderBody } from '../parse/split.js';
import { DEFAULT_MAX_FIELD_BYTES, findDtg, firstInvalidUtf8, isoUtc, locator, rejectOf } from './common.js';
import { indexOfNul } from './csv-frame.js';
import type { SourceItem, SourceOptions } from './types.js';

/** A reference ID as a file name: two year digits, the station, the serial (`09PARIS1234`). */
const ID_NAME = /^([0-9]{2}[A-Z][A-Z0-9_-]*[0-9]+)(?:\.[A-Za-z0-9]+)*$/;
const ID_LINE = /^[ \t]*(?:refid|reference id|reference)[ \t]*:[ \t]*([0-9]{2}[A-Z][A-Z0-9]*[0-9]+)[ \t]*$/im;
/** A banner line ending with the station and serial: `CONFIDENTIAL SECTION 01 OF 02 BUENOS AIRES 002481`. */
const BANNER_ID =
  /^[ \t]*(?:UNCLAS|UNCLASSIFIED|LIMITED OFFICIAL USE|CONFIDENTIAL|SECRET|C O N F I D E N T I A L|S E C R E T)\b[^\n]*?\s([A-Z][A-Z ]*[A-Z]) 0*([1-9][0-9]*)[ \t]*$/m;
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

export async function* readTextFile(path: string, opts: SourceOptions = {}): AsyncGenerator<SourceItem> {
  yield await readText(path, opts.maxFieldBytes ?? DEFAULT_MAX_FIELD_BYTES);
}

async function readText(path: string, maxField: number): Promise<SourceItem> {
  const at = locator(path, null, null, null);
  const size = (await stat(path)).size;
  if (size > maxField)
    return rejectOf(at, `oversized file: ${size} bytes, limit ${maxField}`, Buffer.alloc(0));
  const bytes = await readFile(path);
  const nul = indexOfNul(bytes, 0, bytes.length);
  if (nul >= 0) return rejectOf(at, `NUL byte at byte ${nul}`, bytes);
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (text.includes('\uFFFD')) {
    const bad = firstInvalidUtf8(bytes, 0, bytes.length);
    if (bad >= 0) return rejectOf(at, `invalid UTF-8 at byte ${bad}`, bytes);
  }
  if (text.trim() === '') return rejectOf(at, 'empty file', bytes);
  const split = splitHeaderBody(text);
  const { header, body } = split.body === '' ? { header: '', body: text } : split;
  const dtg = findDtg(header) ?? findDtg(text.slice(0, 4000));
  const id = referenceIdOf(path, text, dtg);
  if (id === null)
    return rejectOf(at, 'no reference ID (name the file after the cable, e.g. 09PARIS1234.txt)', bytes);
  const extra: Record<string, unknown> = { referenceIdFrom: id.from, fileName: basename(path) };
  if (dtg) extra['createdDtg'] = dtg;
  return {
    kind: 'record',
    at,
    referenceId: id.id,
    created: dtg ? dtgIso(dtg) : null,
    createdAsShown: dtg,
    released: null,
    origin: null,
    classification: null,
    references: null,
    header,
    body,
    extra,
  };
}

function referenceIdOf(path: string, text: string, dtg: string | null): { id: string; from: string } | null {
  const name = ID_NAME.exec(basename(path));
  if (name) return { id: name[1]!, from: 'file-name' };
  const line = ID_LINE.exec(text);
  if (line) return { id: line[1]!, from: 'text' };
  const banner = BANNER_ID.exec(text);
  const yy = dtg ? /([0-9]{2})$/.exec(dtg)?.[1] : undefined;
  if (banner && yy) return { id: `${yy}${banner[1]!.replace(/ /g, '')}${banner[2]}`, from: 'banner' };
  return null;
}

/** `281848Z DEC 66` → `1966-12-28T18:48:00Z` (two-digit years 66–99 are 19xx). */
export function dtgIso(dtg: string): string | null {
  const m = /([0-3][0-9])([0-2][0-9])([0-5][0-9]) ?Z ?([A-Z]{3}) ?([0-9]{2})$/.exec(dtg);
  if (!m) return null;
  const yy = Number(m[5]);
  const mo = MONTHS.indexOf(m[4]!) + 1;
  return isoUtc(yy >= 66 ? 1900 + yy : 2000 + yy, mo, Number(m[1]), Number(m[2]), Number(m[3]));
}
