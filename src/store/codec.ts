import { inflateRawSync } from 'node:zlib';
import { Decompressor } from 'zstd-napi';
import type { Cable } from '../cable/types.js';
import { parseCable } from '../parse/cable.js';
import { type SummarySpan, summaryAt } from '../parse/summary.js';
import { PARSED_DICTIONARY_V1 } from './parsed-dictionary.js';

/**
 * `cables.parsed`: the fields of a cable's parse that the cable page shows and no column holds (the
 * date-time group, the quality flags, the redactions), as JSON after a marker byte. The rest of the
 * parse is either in columns and tables (subject, tags, references, paragraphs, signers and
 * recipients for search) or derived from the text on request (`parsedFields`).
 *
 * Archives written before v4 keep the whole parse, compressed, in formats that still read. Every
 * marker is a byte no raw deflate stream can start with (block type 3 is reserved), so rows written
 * before the first marker, plain raw deflate, still read too:
 * - 0x16 (v4): UTF-8 JSON of the page's fields. The whole parse cost 35 µs a cable to serialize and
 *   compress (zstd, level 1, with a dictionary) and its derived-only fields 30 µs more to parse;
 *   4 µs now, and 100 MB less archive at full scale (BENCHMARKS.md, session 11).
 * - 0x0E / 0x0F (v3): a zstd frame of the whole parse, with the dictionary (`parsed-dictionary.ts`)
 *   as raw content; 0x0F keeps the `summary` as its span in the body (`[from, to, prefix]`).
 * - 0x06 / 0x07 (v1, v2): raw deflate with the same dictionary; 0x07 with the summary as a span.
 */
const PAGE_FIELDS = 0x16;
const DEFLATE_V1 = 0x06;
const DEFLATE_V2 = 0x07;
const ZSTD = 0x0e;
const ZSTD_SPANNED = 0x0f;

// One decompression context per thread, made on first use: the native contexts are not shared
// between worker threads, and readers that never decode need none.
let decompressor: Decompressor | null = null;

function zstdDecompress(data: Uint8Array): Buffer {
  if (!decompressor) {
    decompressor = new Decompressor();
    decompressor.loadDictionary(PARSED_DICTIONARY_V1);
  }
  return decompressor.decompress(asBuffer(data));
}

/** The page's fields of a parse, as `cables.parsed` keeps them (v4). */
export type PageFields = Pick<Cable, 'dtg' | 'flags' | 'redactions'>;

export function encodePageFields(c: PageFields): Buffer {
  const json = JSON.stringify({ dtg: c.dtg, flags: c.flags, redactions: c.redactions });
  const out = Buffer.allocUnsafe(1 + Buffer.byteLength(json));
  out[0] = PAGE_FIELDS;
  out.write(json, 1);
  return out;
}

/** Whether a `cables.parsed` value holds the whole parse (archives before v4) or the page's fields. */
export function holdsWholeParse(blob: Uint8Array | string): boolean {
  return typeof blob === 'string' || blob[0] !== PAGE_FIELDS;
}

/**
 * `body`: the body of the version the fields were parsed from; without it, a summary kept as a
 * span is left out (callers that show no summary need not read the body).
 */
export function decodeParsed(blob: Uint8Array | string, body?: string): unknown {
  if (typeof blob === 'string') return JSON.parse(blob);
  const marker = blob[0];
  if (marker === PAGE_FIELDS) return JSON.parse(asBuffer(blob).toString('utf8', 1));
  const json =
    marker === ZSTD || marker === ZSTD_SPANNED
      ? zstdDecompress(blob.subarray(1))
      : marker === DEFLATE_V1 || marker === DEFLATE_V2
        ? inflateRawSync(blob.subarray(1), { dictionary: PARSED_DICTIONARY_V1 })
        : inflateRawSync(blob);
  const value = JSON.parse(json.toString('utf8')) as Record<string, unknown>;
  if (marker === DEFLATE_V2 || marker === ZSTD_SPANNED) {
    if (body === undefined) delete value['summary'];
    else value['summary'] = summaryAt(body, value['summary'] as SummarySpan);
  }
  return value;
}

/** Structured clone turns a Buffer into a plain Uint8Array, which SQLite bindings refuse. */
export function asBuffer(b: Uint8Array): Buffer {
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

/** The version a cable's fields are wanted for: its text, and its `cables.parsed` value. */
export interface ParsedSource {
  parsed: Uint8Array | string;
  header: string;
  body: string;
  /** The ID as the version's source wrote it, and the cable's creation time (the parser's inputs). */
  referenceId: string;
  created: string | null;
}

/**
 * The whole parse of a stored version: decoded where the archive kept it (before v4), parsed again
 * from the verbatim text where it keeps the page's fields only (same parser, same inputs as the
 * ingest's, so the same fields).
 */
export function parsedFields(v: ParsedSource): Cable {
  if (holdsWholeParse(v.parsed)) return decodeParsed(v.parsed, v.body) as Cable;
  return parseCable({
    header: v.header,
    body: v.body,
    referenceId: v.referenceId,
    year: v.created ? Number(v.created.slice(0, 4)) : null,
  });
}
