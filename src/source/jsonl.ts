/**
 * Reader for JSON lines, plain or gzip (read through zlib, never unpacked to disk). Two record shapes:
 * the Cablegate site records of `cables.dev.jsonl.gz` / `versions.dev.jsonl` (`id`, `created` as
 * shown on the page, `released`, `header`, `body`, `created_dtg`, `source`…) and the `make-corpus
 * --format jsonl` rows (`id` = row number, `created` `M/D/YYYY H:MM`, `refid`, `references`…).
 * Lines are split on bytes so that a NUL or invalid UTF-8 rejects that line alone.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import {
  CHUNK_BYTES,
  DEFAULT_MAX_FIELD_BYTES,
  firstInvalidUtf8,
  locator,
  parseCsvDate,
  readChunk,
  rejectOf,
  siteTimes,
} from './common.js';
import { indexOfNul } from './csv-frame.js';
import type { Locator, SourceItem, SourceOptions } from './types.js';

const LF = 0x0a;
const BLANK = /^\s*$/;

interface Line {
  buf: Buffer;
  start: number;
  end: number;
  offset: number;
  line: number;
  /** Set when the line was too long to keep: its head only, and how many bytes were dropped. */
  dropped: number;
}

async function* fileChunks(path: string, startOffset: number): AsyncGenerator<Buffer> {
  const fh = await open(path, 'r');
  try {
    let pos = startOffset;
    for (;;) {
      const chunk = await readChunk(fh, pos, CHUNK_BYTES);
      if (chunk.length === 0) return;
      pos += chunk.length;
      yield chunk;
      if (chunk.length < CHUNK_BYTES) return;
    }
  } finally {
    await fh.close();
  }
}

/** Decompressed chunks from `startOffset` (an offset in the decompressed stream) on. */
async function* gzipChunks(path: string, startOffset: number): AsyncGenerator<Buffer> {
  let skip = startOffset;
  const gunzip = createReadStream(path, { highWaterMark: 1 << 20 }).pipe(
    createGunzip({ chunkSize: 1 << 20 }),
  );
  for await (const c of gunzip as AsyncIterable<Buffer>) {
    if (skip >= c.length) {
      skip -= c.length;
      continue;
    }
    yield skip > 0 ? c.subarray(skip) : c;
    skip = 0;
  }
}

/** Gzip is recognised by its magic bytes, whatever the file is called. */
export async function isGzipFile(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await fh.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

/** Splits byte chunks into lines; a line longer than `maxLine` keeps only its first `maxLine` bytes. */
async function* splitLines(
  chunks: AsyncIterable<Buffer>,
  startOffset: number,
  startLine: number,
  maxLine: number,
): AsyncGenerator<Line> {
  let carry: Buffer | null = null;
  let carryDropped = 0;
  let offset = startOffset;
  let line = startLine;
  for await (const chunk of chunks) {
    let i = 0;
    for (;;) {
      const nl = chunk.indexOf(LF, i);
      if (nl < 0) break;
      if (carry) {
        const room = Math.max(maxLine - carry.length, 0);
        const take = Math.min(nl + 1 - i, room);
        const buf = Buffer.concat([carry, chunk.subarray(i, i + take)]);
        const dropped = carryDropped + (nl + 1 - i - take);
        yield { buf, start: 0, end: buf.length, offset, line, dropped };
        offset += buf.length + dropped;
        carry = null;
        carryDropped = 0;
      } else {
        const keep = Math.min(nl + 1 - i, maxLine);
        yield { buf: chunk, start: i, end: i + keep, offset, line, dropped: nl + 1 - i - keep };
        offset += nl + 1 - i;
      }
      line++;
      i = nl + 1;
    }
    if (i < chunk.length) {
      const rest = chunk.subarray(i);
      if (!carry) carry = Buffer.from(rest);
      else {
        const room = Math.max(maxLine - carry.length, 0);
        carry = Buffer.concat([carry, rest.subarray(0, room)]);
        carryDropped += Math.max(rest.length - room, 0);
      }
    }
  }
  if (carry && carry.length > 0)
    yield { buf: carry, start: 0, end: carry.length, offset, line, dropped: carryDropped };
}

export async function* readJsonLines(path: string, opts: SourceOptions = {}): AsyncGenerator<SourceItem> {
  const maxField = opts.maxFieldBytes ?? DEFAULT_MAX_FIELD_BYTES;
  const maxLine = Math.max(16 * maxField, 64 * 1024 * 1024);
  const start = opts.startOffset ?? 0;
  const chunks = (await isGzipFile(path)) ? gzipChunks(path, start) : fileChunks(path, start);
  let row = opts.startRow ?? 1;
  for await (const l of splitLines(chunks, start, opts.startLine ?? 1, maxLine)) {
    const size = l.end - l.start + l.dropped;
    const at = locator(path, row, l.line, l.offset, l.offset + size, l.line + 1);
    const bytes = l.buf.subarray(l.start, l.end);
    const text = l.dropped > 0 ? null : bytes.toString('utf8');
    if (text !== null && BLANK.test(text)) continue;
    row++;
    const item = lineItem(bytes, text, l, at, maxField);
    yield item;
  }
}

function lineItem(bytes: Buffer, text: string | null, l: Line, at: Locator, maxField: number): SourceItem {
  const fail = (reason: string): SourceItem => rejectOf(at, reason, bytes);
  if (text === null) return fail(`line longer than ${bytes.length} bytes (${l.dropped} bytes not kept)`);
  const nul = indexOfNul(bytes, 0, bytes.length);
  if (nul >= 0) return fail(`NUL byte at byte ${l.offset + nul}`);
  if (text.includes('\uFFFD')) {
    const bad = firstInvalidUtf8(bytes, 0, bytes.length);
    if (bad >= 0) return fail(`invalid UTF-8 at byte ${l.offset + bad}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const trimmed = text.trimEnd();
    if (trimmed.startsWith('{') && !trimmed.endsWith('}')) return fail('truncated JSON line');
    return fail(`invalid JSON: ${(e as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return fail('line is not a JSON object');
  const rec = value as Record<string, unknown>;
  return 'refid' in rec ? corpusRow(rec, at, fail, maxField) : siteRecord(rec, at, fail, maxField);
}

type Fail = (reason: string) => SourceItem;

const CORPUS_KEYS = ['id', 'created', 'refid', 'origin', 'classification', 'references', 'header', 'body'];
const SITE_KEYS = ['id', 'created', 'released', 'classification', 'origin', 'header', 'body'];

/** The first problem with the keys: missing, or not a string (numbers allowed for `id`). */
function keyProblem(rec: Record<string, unknown>, keys: string[], nullable: Set<string>): string | null {
  for (const k of keys) {
    if (!(k in rec)) return `missing key "${k}"`;
    const v = rec[k];
    if (typeof v === 'string') continue;
    if (v === null && nullable.has(k)) continue;
    if (k === 'id' && typeof v === 'number') continue;
    return `key "${k}" is not a string`;
  }
  return null;
}

function oversized(rec: Record<string, unknown>, keys: string[], maxField: number): string | null {
  for (const k of keys) {
    const v = rec[k];
    // A UTF-16 length under a third of the limit cannot exceed it in UTF-8 bytes.
    if (typeof v !== 'string' || v.length * 3 <= maxField) continue;
    const size = Buffer.byteLength(v);
    if (size > maxField) return `oversized field ${k}: ${size} bytes, limit ${maxField}`;
  }
  return null;
}

function corpusRow(rec: Record<string, unknown>, at: Locator, fail: Fail, maxField: number): SourceItem {
  const problem = keyProblem(rec, CORPUS_KEYS, new Set()) ?? oversized(rec, CORPUS_KEYS, maxField);
  if (problem) return fail(problem);
  const created = rec['created'] as string;
  const iso = parseCsvDate(created);
  if (iso === null) return fail(`invalid date "${created}"`);
  const refid = rec['refid'] as string;
  if (refid.trim() === '') return fail('empty reference ID');
  const refs = rec['references'] as string;
  const extra: Record<string, unknown> = { csvRow: Number(rec['id']) };
  for (const [k, v] of Object.entries(rec)) if (!CORPUS_KEYS.includes(k)) extra[k] = v;
  return {
    kind: 'record',
    at,
    referenceId: refid,
    created: iso,
    createdAsShown: created,
    released: null,
    origin: (rec['origin'] as string) || null,
    classification: (rec['classification'] as string) || null,
    references: refs === '' ? [] : refs.split('|'),
    header: rec['header'] as string,
    body: rec['body'] as string,
    extra,
  };
}

/** Keys of the site records that become named extras; the HTML copies are left out (derivable noise). */
const SITE_EXTRA: Record<string, string | null> = {
  subject_h3: 'subjectH3',
  articles: 'articles',
  created_dtg: 'createdDtg',
  source: 'sourceNote',
  published_commit_date: 'publishedAt',
  variant_of: 'variantOf',
  variant_source_repo: 'variantSourceRepo',
  variant_source_commit: 'variantSourceCommit',
  variant_source_path: 'variantSourcePath',
  diff_vs_final: 'diffVsFinal',
  page_path: 'pagePath',
  header_html: null,
  body_html: null,
};

function siteRecord(rec: Record<string, unknown>, at: Locator, fail: Fail, maxField: number): SourceItem {
  const problem =
    keyProblem(rec, SITE_KEYS, new Set(['created', 'released', 'classification', 'origin'])) ??
    oversized(rec, ['header', 'body'], maxField);
  if (problem) return fail(problem);
  const id = String(rec['id']).trim();
  if (id === '') return fail('empty reference ID');
  const source = typeof rec['source'] === 'string' ? rec['source'] : '';
  const layout = /2011 layout/.test(source) ? '2011' : /2010 layout/.test(source) ? '2010' : null;
  const createdShown = (rec['created'] as string | null) ?? null;
  const releasedShown = (rec['released'] as string | null) ?? null;
  const dtg = typeof rec['created_dtg'] === 'string' ? rec['created_dtg'] : null;
  const times = siteTimes(createdShown, releasedShown, dtg, layout === '2010');
  if (createdShown && times.created === null) return fail(`invalid date "${createdShown}"`);
  const extra: Record<string, unknown> = {};
  if (layout) extra['layout'] = layout;
  for (const [k, v] of Object.entries(rec)) {
    if (SITE_KEYS.includes(k)) continue;
    const name = SITE_EXTRA[k];
    if (name === null) continue;
    extra[name ?? k] = v;
  }
  if (times.createdMinute !== 'shown') extra['createdMinute'] = times.createdMinute;
  if (releasedShown) extra['releasedAsShown'] = releasedShown;
  if (times.releasedMinute !== 'shown') extra['releasedMinute'] = times.releasedMinute;
  return {
    kind: 'record',
    at,
    referenceId: id,
    created: times.created,
    createdAsShown: createdShown,
    released: times.released,
    origin: (rec['origin'] as string | null) || null,
    classification: (rec['classification'] as string | null) || null,
    references: null,
    header: rec['header'] as string,
    body: rec['body'] as string,
    extra,
  };
}
