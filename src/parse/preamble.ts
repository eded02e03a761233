/**
 * Where the preamble of a cable body ends: the first paragraph `1. (C)` / `1. SUMMARY`, or a
 * cancellation notice. Both the TAGS and the SUBJECT readers need it for the same body, so the
 * last answer is kept; and the line starts are visited with a plain newline search instead of a
 * multi-line pattern scan over the whole body.
 */
const PREAMBLE_END = /^[ \t]*¶?1\.?[ \t]*(?:\([^)\n]{0,30}\)|SUMMARY)|"CANCEL THIS/im;
/** The first alternative of PREAMBLE_END at a given line start. */
const FIRST_PARAGRAPH_AT = /[ \t]*¶?1\.?[ \t]*(?:\([^)\n]{0,30}\)|SUMMARY)/iy;
const CANCEL_AT = /"CANCEL THIS/iy;

let lastText: string | null = null;
let lastEnd = -1;

/** Index of the first PREAMBLE_END match in `text`, or -1. */
export function preambleEnd(text: string): number {
  if (text === lastText) return lastEnd;
  // A multi-line `^` also honours `\r`, U+2028 and U+2029: such rare texts take the plain pattern.
  const otherBreaks = text.includes('\r') || text.includes('\u2028') || text.includes('\u2029');
  const end = otherBreaks ? (PREAMBLE_END.exec(text)?.index ?? -1) : scan(text);
  lastText = text;
  lastEnd = end;
  return end;
}

function scan(text: string): number {
  let first = -1;
  for (let at = 0; at < text.length; ) {
    if (opensFirstParagraph(text, at)) {
      first = at;
      break;
    }
    const nl = text.indexOf('\n', at);
    if (nl < 0) break;
    at = nl + 1;
  }
  const limit = first < 0 ? text.length : first;
  for (let q = text.indexOf('"'); q >= 0 && q < limit; q = text.indexOf('"', q + 1)) {
    CANCEL_AT.lastIndex = q;
    if (CANCEL_AT.test(text)) return q;
  }
  return first;
}

function opensFirstParagraph(text: string, at: number): boolean {
  let i = at;
  let c = text.charCodeAt(i);
  while (c === 0x20 || c === 0x09) c = text.charCodeAt(++i);
  if (c !== 0x31 && c !== 0xb6) return false;
  FIRST_PARAGRAPH_AT.lastIndex = at;
  return FIRST_PARAGRAPH_AT.test(text);
}
