import { deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * The parsed fields are kept as deflated JSON: about a third of the size of the plain JSON, which
 * keeps the archive within 1.2× a bare table + index of the same texts. Compressed in the parser
 * threads, so the writer does not pay for it.
 */
export function encodeParsed(value: unknown): Buffer {
  return deflateRawSync(JSON.stringify(value), { level: 6 });
}

export function decodeParsed(blob: Uint8Array | string): unknown {
  if (typeof blob === 'string') return JSON.parse(blob);
  return JSON.parse(inflateRawSync(blob).toString('utf8'));
}

/** Structured clone turns a Buffer into a plain Uint8Array, which SQLite bindings refuse. */
export function asBuffer(b: Uint8Array): Buffer {
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}
