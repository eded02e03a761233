/**
 * Quality flags: what a reader should know before trusting a cable's text (partial extracts,
 * records pasted from elsewhere, media-partner re-flows, redactions, missing fields).
 */
import type { QualityFlag, Span } from '../cable/types.js';

const PARTIAL = /This record is a partial extract of the original cable/;
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
const PASTED_ROW_PROBE = /\n(?:[0-9]+[,:-]|[0-9]{2}[A-Z])/g;
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
  if (header && PARTIAL.test(header)) return true;
  return !!body && PARTIAL.test(body.slice(0, PARTIAL_BODY_WINDOW));
}

/** A second cable's banner: its serial differs from the first banner's. */
function hasForeignBanner(body: string): boolean {
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
  // A leading newline lets the line-start patterns match the very first line too.
  for (const lit of PASTED_LITERALS) {
    if (body.includes(lit) && PASTED_LINE[lit]!.test(`\n${body}`)) return true;
  }
  return hasPastedRow(`\n${body.slice(0, 200)}`) || hasPastedRow(body) || hasForeignBanner(body);
}

/** The cheap probe finds candidate line starts; the full row pattern is checked only there. */
function hasPastedRow(text: string): boolean {
  PASTED_ROW_PROBE.lastIndex = 0;
  for (let p = PASTED_ROW_PROBE.exec(text); p; p = PASTED_ROW_PROBE.exec(text)) {
    PASTED_ROW.lastIndex = p.index;
    if (PASTED_ROW.test(text)) return true;
    PASTED_ROW_PROBE.lastIndex = p.index + 1;
  }
  return false;
}

export function isMediaPartnerText(body: string): boolean {
  const head = body.slice(0, HEAD_WINDOW);
  return (
    DATELINE.test(head) ||
    (body.includes('date:') && MEDIA_METADATA.test(body)) ||
    LOWER_SPACED.test(head) ||
    body.includes('Cable dated:') ||
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
