import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { PARSED_DICTIONARY_V1 } from './parsed-dictionary.js';

/**
 * The parsed fields are kept as deflated JSON, with a preset dictionary of typical parsed cables
 * (`parsed-dictionary.ts`): about a quarter of the size of the plain JSON, where deflate alone
 * gives under a half (each row is too short to find its own repeats). Compressed in the parser
 * threads, so the writer does not pay for it.
 *
 * Format: a first byte of 0x06 marks the dictionary (v1); no raw deflate stream can start with it
 * (block type 3 is reserved), so rows written before the dictionary, plain raw deflate, still read.
 */
const DICT_V1 = 0x06;

// A smaller window and hash table: zlib sets up (and fills from the dictionary) its state on every
// call, which for rows of ~2 KB costs more than the compression itself — measured 70–110 µs per
// cable with these settings against 190–290 µs at level 9 with the defaults, for 654 B against
// 588 B. Any raw inflate reads it: the window is a subset of the default one.
const DEFLATE_OPTIONS = { level: 6, windowBits: 13, memLevel: 4, dictionary: PARSED_DICTIONARY_V1 };

export function encodeParsed(value: unknown): Buffer {
  const z = deflateRawSync(JSON.stringify(value), DEFLATE_OPTIONS);
  const out = Buffer.allocUnsafe(z.length + 1);
  out[0] = DICT_V1;
  z.copy(out, 1);
  return out;
}

export function decodeParsed(blob: Uint8Array | string): unknown {
  if (typeof blob === 'string') return JSON.parse(blob);
  const json =
    blob[0] === DICT_V1
      ? inflateRawSync(blob.subarray(1), { dictionary: PARSED_DICTIONARY_V1 })
      : inflateRawSync(blob);
  return JSON.parse(json.toString('utf8'));
}

/** Structured clone turns a Buffer into a plain Uint8Array, which SQLite bindings refuse. */
export function asBuffer(b: Uint8Array): Buffer {
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}
