/**
 * Restricted entity decoding for Cablegate page text. The site never HTML-escaped the cable
 * text, so a bare `&` or `&para` is cable text, not markup; a generic unescape would turn
 * `&para…` into `¶…`. Only well-formed numeric references and the five XML entities plus
 * `&nbsp;`, each with its semicolon, are decoded.
 */

const NAMED: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
};

const ENTITY = /&(?:#[xX]([0-9A-Fa-f]{1,6})|#([0-9]{1,7})|(amp|lt|gt|quot|apos|nbsp));/g;

function fromCodePoint(cp: number, raw: string): string {
  // Surrogates and out-of-range code points are not characters; keep them as written.
  if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return raw;
  return String.fromCodePoint(cp);
}

export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(
    ENTITY,
    (raw, hex: string | undefined, dec: string | undefined, name: string | undefined) => {
      if (hex !== undefined) return fromCodePoint(Number.parseInt(hex, 16), raw);
      if (dec !== undefined) return fromCodePoint(Number.parseInt(dec, 10), raw);
      return NAMED[name ?? ''] ?? raw;
    },
  );
}
