import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { type SummarySpan, summaryAt } from '../parse/summary.js';
import { PARSED_DICTIONARY_V1 } from './parsed-dictionary.js';

/**
 * The parsed fields are kept as deflated JSON, with a preset dictionary of typical parsed cables
 * (`parsed-dictionary.ts`): about a quarter of the size of the plain JSON, where deflate alone
 * gives under a half (each row is too short to find its own repeats). Compressed in the parser
 * threads, so the writer does not pay for it.
 *
 * Format: a first byte of 0x06 marks the dictionary (v1); no raw deflate stream can start with it
 * (block type 3 is reserved), so rows written before the dictionary, plain raw deflate, still read.
 * 0x07 (v2, likewise a reserved block type to raw deflate) is v1 with the `summary` kept as its
 * span in the body (`[from, to, prefix]`): the summary is a tidied copy of body text, a quarter of
 * the JSON and hard to compress (measured on the full-scale corpus: 652 → 412 B a cable, and 72 →
 * 60 µs to encode).
 */
const DICT_V1 = 0x06;
const DICT_V2 = 0x07;

// A smaller window and hash table: zlib sets up (and fills from the dictionary) its state on every
// call, which for rows of ~2 KB costs more than the compression itself — measured 70–110 µs per
// cable with these settings against 190–290 µs at level 9 with the defaults, for 654 B against
// 588 B. Any raw inflate reads it: the window is a subset of the default one.
const DEFLATE_OPTIONS = { level: 6, windowBits: 13, memLevel: 4, dictionary: PARSED_DICTIONARY_V1 };

/**
 * `summarySpan`: where the value's `summary` lies in the cable's body (`parse/summary.ts`). Given,
 * the summary is kept as that span, and `decodeParsed` restores it from the body.
 */
export function encodeParsed(value: unknown, summarySpan?: SummarySpan | null): Buffer {
  const spanned = summarySpan != null && typeof value === 'object' && value !== null;
  // The span takes the summary's own place, so the fields keep their order.
  const json = JSON.stringify(spanned ? { ...value, summary: summarySpan } : value);
  const z = deflateRawSync(json, DEFLATE_OPTIONS);
  const out = Buffer.allocUnsafe(z.length + 1);
  out[0] = spanned ? DICT_V2 : DICT_V1;
  z.copy(out, 1);
  return out;
}

/**
 * `body`: the body of the version the fields were parsed from; without it, a summary kept as a
 * span is left out (callers that show no summary need not read the body).
 */
export function decodeParsed(blob: Uint8Array | string, body?: string): unknown {
  if (typeof blob === 'string') return JSON.parse(blob);
  const dict = blob[0] === DICT_V1 || blob[0] === DICT_V2;
  const json = dict
    ? inflateRawSync(blob.subarray(1), { dictionary: PARSED_DICTIONARY_V1 })
    : inflateRawSync(blob);
  const value = JSON.parse(json.toString('utf8')) as Record<string, unknown>;
  if (blob[0] === DICT_V2) {
    if (body === undefined) delete value['summary'];
    else value['summary'] = summaryAt(body, value['summary'] as SummarySpan);
  }
  return value;
}

/** Structured clone turns a Buffer into a plain Uint8Array, which SQLite bindings refuse. */
export function asBuffer(b: Uint8Array): Buffer {
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}
