import { inflateRawSync } from 'node:zlib';
import { Compressor, Decompressor } from 'zstd-napi';
import { type SummarySpan, summaryAt } from '../parse/summary.js';
import { PARSED_DICTIONARY_V1 } from './parsed-dictionary.js';

/**
 * The parsed fields are kept as compressed JSON, with a preset dictionary of typical parsed cables
 * (`parsed-dictionary.ts`): about a quarter of the size of the plain JSON, where compression alone
 * gives under a half (each row is too short to find its own repeats). Compressed in the parser
 * threads, so the writer does not pay for it.
 *
 * Format, told by the first byte. Every marker is a byte no raw deflate stream can start with
 * (block type 3 is reserved), so rows written before the dictionary, plain raw deflate, still read:
 * - 0x0E / 0x0F (v3): a zstd frame with the dictionary as raw content; 0x0F keeps the `summary` as
 *   its span in the body (`[from, to, prefix]`). zstd with the dictionary digested once per thread,
 *   where zlib fills its window from the dictionary on every call: measured on 3,000 parsed cables
 *   of the full-scale corpus (at level 3), 10 µs a cable against 80 µs (17 against 67–110 µs with
 *   the caches cold, as between two parses), for 456 B against 415 B; reading, 4 µs against 36–66
 *   µs. Levels 5–9 save 7–17% more for 2–4× the time; smaller hash tables gained nothing.
 * - 0x06 / 0x07 (v1, v2): raw deflate with the same dictionary; 0x07 with the summary as a span
 *   (the summary is a tidied copy of body text, a quarter of the JSON and hard to compress).
 */
const DEFLATE_V1 = 0x06;
const DEFLATE_V2 = 0x07;
const ZSTD = 0x0e;
const ZSTD_SPANNED = 0x0f;

/**
 * Level 1, not zstd's default 3: level 3 digests the dictionary into larger tables, whose cache
 * misses cost most in the ingest, where parsing evicts them between two calls. On 3,000 parsed
 * cables with 8 MiB written between calls (as parsing does): 17.7 against 28.9 µs, 469 against
 * 457 B (+3 MB at full scale); warm, 12.1 against 13.3 µs. Ingest of 30k rows, 6 concurrent pairs:
 * CPU 0.985. Frames of either level decode alike.
 */
const ZSTD_LEVEL = 1;

// One (de)compression context per thread, made on first use: the native contexts are not shared
// between worker threads, and readers that never decode need none.
let compressor: Compressor | null = null;
let decompressor: Decompressor | null = null;

function zstdCompress(data: Buffer): Buffer {
  if (!compressor) {
    compressor = new Compressor();
    compressor.setParameters({ compressionLevel: ZSTD_LEVEL });
    compressor.loadDictionary(PARSED_DICTIONARY_V1);
  }
  return compressor.compress(data);
}

function zstdDecompress(data: Uint8Array): Buffer {
  if (!decompressor) {
    decompressor = new Decompressor();
    decompressor.loadDictionary(PARSED_DICTIONARY_V1);
  }
  return decompressor.decompress(asBuffer(data));
}

/**
 * `summarySpan`: where the value's `summary` lies in the cable's body (`parse/summary.ts`). Given,
 * the summary is kept as that span, and `decodeParsed` restores it from the body.
 */
export function encodeParsed(value: unknown, summarySpan?: SummarySpan | null): Buffer {
  const spanned = summarySpan != null && typeof value === 'object' && value !== null;
  // The span takes the summary's own place, so the fields keep their order.
  const json = JSON.stringify(spanned ? { ...value, summary: summarySpan } : value);
  const z = zstdCompress(Buffer.from(json));
  const out = Buffer.allocUnsafe(z.length + 1);
  out[0] = spanned ? ZSTD_SPANNED : ZSTD;
  z.copy(out, 1);
  return out;
}

/**
 * `body`: the body of the version the fields were parsed from; without it, a summary kept as a
 * span is left out (callers that show no summary need not read the body).
 */
export function decodeParsed(blob: Uint8Array | string, body?: string): unknown {
  if (typeof blob === 'string') return JSON.parse(blob);
  const marker = blob[0];
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
