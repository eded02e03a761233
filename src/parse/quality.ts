/**
 * Quality flags: what a reader should know before trusting a cable's text (partial extracts,
 * records pasted from elsewhere, media-partner re-flows, redactions, missing fields).
 */
import type { QualityFlag, Span } from '../cable/types.js';

const PARTIAL_NOTE = 'This record is a partial extract of the original cable';
/** The partial-extract note is sometimes carried inside a media partner's metadata block. */
const PARTIAL_BODY_WINDOW = 2000;
const HEAD_WINDOW = 3000;

/** Literal traces of a record pasted into the text (media metadata block, dump marker, AMHS header). */
const PASTED_LITERALS = ['refid:', 'Cable dated:', 'header ends', 'VZCZC'];
/** Where each literal must stand to count (a block or header line, not a word in the prose). */
const PASTED_LINE: Readonly<Record<string, RegExp>> = {
  'refid:': /\nrefid:[ \t]*\S/,
  'Cable dated:': /Cable dated:[ \t]*[0-9]{4}-[0-9]{2}-[0-9]{2}/,
  'header ends': /-{5,} header ends -{5,}/,
  VZCZC: /\nVZCZC[A-Z0-9]/,
};
/**
 * A row of another listing at a line start: a cables.csv row (possibly cut before its time),
 * a tab-separated record, or `09STATE49854,Secretary of State,…`.
 */
const PASTED_ROW =
  /\n(?:[0-9]+,[0-9]{1,2}\/[0-9]{1,2}\/[0-9]{4} [0-9]{1,2}:[0-9]{2},|[0-9]{1,2}:[0-9]{2},[0-9]{2}[A-Z]+[0-9]+,|[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\t|[0-9]{2}[A-Z]+[0-9]+,[A-Z][a-z])/y;
/** Spaced banner with its serial: `S E C R E T THE HAGUE 000174`. */
const SERIAL_BANNER =
  /(?:S E C R E T|C O N F I D E N T I A L|U N C L A S S I F I E D)(?:[ \t]+SECTION[ \t]+[0-9]+[ \t]+OF[ \t]+[0-9]+)?[ \t]+([A-Z][A-Z .'-]*?)[ \t]+0*([0-9]{1,7})\b/g;

const DATELINE =
  /^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), [0-9]{1,2} [A-Z][a-z]+ [0-9]{4}, [0-9]{2}:[0-9]{2}/m;
/** A media partner's metadata block (`id: 15777` / `date: …`), at the top or after a cut text. */
const MEDIA_METADATA = /^id:[ \t]*[0-9]+\s*\ndate:/m;
/** HTML typed into the text by a newspaper (the site did not escape it). */
const TYPED_HTML = /<\/?(?:br|strong|em|td|tr|table|p|b|i)>/;
const LOWER_SPACED = /C o n f i d e n t i a l|S e c r e t|U n c l a s s i f i e d/;
/** Fallbacks when no parsed value is given; flattened texts glue `TAGS:` to the line before. */
const REDACTION = /(?<![A-Za-z])[Xx]{5,}(?![A-Za-z])/;
const TAGS_LINE = /^[ \t]*(?:TAGS?|TAGES|TGS)\b|TAGS?[ \t]*:/im;
const SUBJECT_LINE = /^[ \t]*(?:SUBJECT|SUBJ)\b|SUBJ(?:ECT)?[ \t]*:/im;

export function isPartialExtract(
  header: string | null | undefined,
  body: string | null | undefined,
): boolean {
  if (header?.includes(PARTIAL_NOTE)) return true;
  return !!body && body.slice(0, PARTIAL_BODY_WINDOW).includes(PARTIAL_NOTE);
}

/** The spaced words that open every SERIAL_BANNER match. */
const SPACED_WORDS = ['S E C R E T', 'C O N F I D E N T I A L', 'U N C L A S S I F I E D'];

/** Are there at least two spaced banner words? (Fewer cannot hold a second, foreign banner.) */
function hasTwoSpacedWords(body: string): boolean {
  let n = 0;
  for (const w of SPACED_WORDS) {
    for (let at = body.indexOf(w); at >= 0; at = body.indexOf(w, at + w.length)) if (++n >= 2) return true;
  }
  return false;
}

/** A second cable's banner: its serial differs from the first banner's. */
function hasForeignBanner(body: string): boolean {
  // A plain substring search rules out most bodies far faster than the banner pattern.
  if (!hasTwoSpacedWords(body)) return false;
  SERIAL_BANNER.lastIndex = 0;
  const first = SERIAL_BANNER.exec(body);
  if (!first) return false;
  const serial = Number(first[2]);
  for (let m = SERIAL_BANNER.exec(body); m; m = SERIAL_BANNER.exec(body)) {
    if (Number(m[2]) !== serial) return true;
  }
  return false;
}

export function hasForeignRecord(body: string): boolean {
  for (const lit of PASTED_LITERALS) if (hasPastedLine(body, lit)) return true;
  return hasPastedRow(`\n${body.slice(0, 200)}`) || hasPastedRow(body) || hasForeignBanner(body);
}

/**
 * PASTED_LINE[lit] tested against `\n` + body: the patterns are tried only where their literal
 * stands (at a line start, for the line-start ones), which avoids copying the body and scanning
 * all of it with a regex.
 */
function hasPastedLine(body: string, lit: string): boolean {
  const re = PASTED_LINE[lit]!;
  const lineStart = re.source.startsWith('\\n');
  const sticky = PASTED_LINE_AT[lit]!;
  const k = COLON_NEEDLES.indexOf(lit);
  if (k >= 0) {
    for (const at of colonHits(body)[k]!) {
      if (lineStart && at > 0 && body.charCodeAt(at - 1) !== 0x0a) continue;
      sticky.lastIndex = at;
      if (sticky.test(body)) return true;
    }
    return false;
  }
  if (!lineStart) return body.includes(PASTED_PROBE[lit] ?? lit) && re.test(body);
  // Searching for the newline and the literal together skips the literal's many mid-line uses.
  const nlLit = `\n${lit}`;
  sticky.lastIndex = 0;
  if (body.startsWith(lit) && sticky.test(body)) return true;
  for (let nl = body.indexOf(nlLit); nl >= 0; nl = body.indexOf(nlLit, nl + 1)) {
    sticky.lastIndex = nl + 1;
    if (sticky.test(body)) return true;
  }
  return false;
}

/**
 * Needles that end in a colon. A body has few colons, so visiting them finds all of these at
 * once, far faster than one substring search per needle. Kept for the last body, which both
 * hasForeignRecord and isMediaPartnerText ask about.
 */
const COLON_NEEDLES = ['refid:', 'Cable dated:', '\ndate:'];
let colonBody: string | null = null;
let colonFound: number[][] = [];

/** Start offsets of each COLON_NEEDLES entry in `body`. */
function colonHits(body: string): number[][] {
  if (body === colonBody) return colonFound;
  const hits = COLON_NEEDLES.map((): number[] => []);
  for (let i = body.indexOf(':'); i >= 0; i = body.indexOf(':', i + 1)) {
    for (let k = 0; k < COLON_NEEDLES.length; k++) {
      const at = i + 1 - COLON_NEEDLES[k]!.length;
      if (at >= 0 && body.startsWith(COLON_NEEDLES[k]!, at)) hits[k]!.push(at);
    }
  }
  colonBody = body;
  colonFound = hits;
  return hits;
}

/** A longer literal that every match holds: a longer needle is found faster. */
const PASTED_PROBE: Readonly<Record<string, string>> = { 'header ends': ' header ends -----' };

/** PASTED_LINE patterns as sticky patterns starting at their literal (the `\n` dropped). */
const PASTED_LINE_AT: Readonly<Record<string, RegExp>> = Object.fromEntries(
  Object.entries(PASTED_LINE).map(([lit, re]) => [
    lit,
    new RegExp(re.source.startsWith('\\n') ? re.source.slice(2) : re.source, 'y'),
  ]),
);

/**
 * Every PASTED_ROW starts with a newline and a digit, so only those line starts are checked
 * (a plain search for the newline is far cheaper than a pattern scan over the whole body).
 */
function hasPastedRow(text: string): boolean {
  for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', nl + 1)) {
    const c = text.charCodeAt(nl + 1);
    if (c < 0x30 || c > 0x39) continue;
    PASTED_ROW.lastIndex = nl;
    if (PASTED_ROW.test(text)) return true;
  }
  return false;
}

export function isMediaPartnerText(body: string): boolean {
  const head = body.slice(0, HEAD_WINDOW);
  return (
    // Every weekday name ends in `day`, and the metadata block has `\ndate:`: cheap searches first.
    (head.includes('day, ') && DATELINE.test(head)) ||
    (colonHits(body)[2]!.length > 0 && MEDIA_METADATA.test(body)) ||
    LOWER_SPACED.test(head) ||
    colonHits(body)[1]!.length > 0 ||
    (body.includes('<') && TYPED_HTML.test(body))
  );
}

/** Parsed values, when the caller has them; otherwise the TAGS/SUBJECT lines are looked for. */
export interface ParsedParts {
  tags?: readonly string[] | null;
  subject?: string | null;
  redactions?: readonly Span[] | null;
}

export function qualityFlags(
  header: string | null | undefined,
  body: string | null | undefined,
  parsed: ParsedParts = {},
): QualityFlag[] {
  const text = body ?? '';
  const flags: QualityFlag[] = [];
  if (isPartialExtract(header, text)) flags.push('partial-extract');
  const head = text.slice(0, HEAD_WINDOW);
  const missingTags = parsed.tags != null ? parsed.tags.length === 0 : !TAGS_LINE.test(head);
  if (missingTags) flags.push('missing-tags');
  const missingSubject = parsed.subject != null ? parsed.subject.trim() === '' : !SUBJECT_LINE.test(head);
  if (missingSubject) flags.push('missing-subject');
  if (hasForeignRecord(text)) flags.push('foreign-record-in-body');
  const redacted = parsed.redactions != null ? parsed.redactions.length > 0 : REDACTION.test(text);
  if (redacted) flags.push('redactions');
  if (isMediaPartnerText(text)) flags.push('media-partner-text');
  return flags;
}
