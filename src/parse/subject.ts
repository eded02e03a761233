/**
 * The SUBJECT line of a cable. The subject sits in the preamble, before the first numbered
 * paragraph, and is often wrapped over several lines; it ends where the next preamble element
 * (REF block, Classified-By line, page header, blank line…) or the text proper begins.
 */
import { resolveStation } from './ids.js';
import { preambleEnd } from './preamble.js';

const DEFAULT_WINDOW = 1200;

/** `SUBJECT:` and its truncated spellings, at a line start or after spaces, not `SUBJECT LINE`. */
const MARKER =
  /(?:^|(?<=[ \t]))U?BJ(?:ECT)?(?=[:\s])(?![ \t]*LINE)|(?:^|(?<=[ \t]))SUBJ(?:ECT)?(?=[:\s])(?![ \t]*LINE)/im;

/**
 * Where the subject stops. Each alternative is the start of something that is not the subject:
 * spaced-letter banners, REF blocks (even glued: `EGYPTREF:`), Classified-By lines, paragraph
 * numbers, page headers of multi-page cables, rules, media-partner datelines.
 */
const END = new RegExp(
  [
    'C O N',
    'SENSITIVE BUT',
    'REF(?:S|TELS?|\\(S\\))?[ \\t]*:',
    '^[ \\t]*REF(?:S|TELS?|\\(S\\))?\\b',
    '\\n[ \\t]*\\r?\\n',
    // Also misspelt, or glued to a serial: `Classfied By`, `…CAIRO 1725Classified By`.
    '(?:\\b\\d{1,2}\\.[ \\t]*)?(?<![A-Za-z])Cl?a?s{1,2}i?f{1,2}i?e?d[ \\t]*(?:By\\b|\\n)',
    '\\b\\d{1,2}\\.[ \\t]*\\([A-Z/ -]{1,12}\\)',
    '\\b1\\.[ \\t]*Summary',
    '-----',
    'Friday',
    '\\bPAGE[ \\t]+\\d',
    'This is an Action Req',
    // Tokyo's daily press summaries follow the subject directly with their index.
    '^[ \\t]*INDEX:',
  ].join('|'),
  'im',
);

/**
 * Page header of a multi-page cable (`BUENOS AIR 00000034  002 OF 004`), always on a line of its
 * own; case-sensitive, so a mixed-case subject word is never taken for the station.
 */
const PAGE_HEADER = /^[ \t]*[A-Z][A-Z .'-]{0,24}?[ \t]+\d{3,}[ \t]+\d{3}(?:\.\d)?[ \t]+OF\b/m;

const NUMERIC_ENTITY = /&#(?:[xX]([0-9a-fA-F]{1,6})|(\d{1,7}));/g;

function decodeEntities(s: string): string {
  return s.replace(NUMERIC_ENTITY, (whole, hex: string | undefined, dec: string | undefined) => {
    const cp = hex ? Number.parseInt(hex, 16) : Number(dec);
    return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : whole;
  });
}

/** Portion marking of a subject: `(S)`, `(C/NF)`, `(SBU)`, `(U//FOUO)`… but not `(Iceland)`. */
const MARKING =
  '\\((?:U|C|S|TS|SBU|FOUO|NF|UNCLAS(?:SIFIED)?|CONFIDENTIAL|SECRET)(?:[ ]*[/-]{1,2}[ ]*(?:NF|NOFORN|SBU|FOUO|REL[A-Z ,]*|PR|ORCON))*\\)';
const LEADING_MARKING = new RegExp(`^${MARKING}[ ]*`, 'i');
const TRAILING_MARKING = new RegExp(`[ ]+${MARKING}$`, 'i');
/** Media-partner pages carry HTML typed into the text (`SUBJECT:</strong> GENERAL…`, `<br>`). */
const HTML_TAG = /<\/?[A-Za-z][A-Za-z0-9]{0,9}(?:\s[^<>\n]{0,80})?\/?>/g;

function window(text: string): string {
  // The preamble ends at the first paragraph `1. (C)` / `1. SUMMARY`, or at a cancellation notice.
  const end = preambleEnd(text);
  return end >= 0 ? text.slice(0, end) : text.slice(0, DEFAULT_WINDOW);
}

/**
 * A page marker inside a line of the subject (`…US-LIBYA TRIPOLI 00000583 001.2 OF 003`): the
 * page break fell inside the subject, so the marker is cut out and the subject goes on. Its
 * station is the longest run of the words before the numbers that names a station.
 */
const MID_PAGE_MARK = /((?:[A-Z][A-Z'.-]*[ \t]+){1,3})\d{8}[ \t]+\d{3}(?:\.\d)?[ \t]+OF[ \t]+\d{3}\b[ \t]*/g;

function cutPageMarks(s: string): string {
  return s.replace(MID_PAGE_MARK, (whole, words: string, at: number) => {
    const ws = words.trim().split(/[ \t]+/);
    for (let k = ws.length; k >= 1; k--) {
      if (!resolveStation(ws.slice(-k).join(' '))) continue;
      // A marker on a line of its own ends the subject (PAGE_HEADER).
      if (k === ws.length && (at === 0 || s[at - 1] === '\n')) return whole;
      return `${ws.slice(0, -k).join(' ')} `.trimStart();
    }
    return words;
  });
}

/**
 * Words that cannot end a title: a subject line ending in one (or a comma, colon, hyphen or
 * possessive) goes on after a blank line, as in double-spaced texts (`…COHEN'S \n\nVISIT TO…`).
 */
const OPEN_END =
  /(?:\b(?:A|AN|AND|AS|AT|BY|FOR|FROM|IN|OF|ON|OR|THE|TO|WITH|VERSUS|VS\.?)|[,:&-]|['’]S)[ \t]*$/;
const OPEN_START = /^(?:AND|OF|ON|TO|WITH|FOR|IN|AS|AT|BY|OR)\b/;
/** A continuation is a line in capitals that is not a routing, handling or classification line. */
const CONTINUATION = /^[A-Z0-9][A-Z0-9 ,.'’:;()/&?-]*$/;
const NOT_CONTINUATION =
  /^(?:REF|CLASSIFIED|SENSITIVE|SIPDIS|NOFORN|TAGS|E\.? ?O\.?|SUMMARY|CONFIDENTIAL|SECRET|UNCLAS|PAGE|THIS|[A-Z/]+ FOR\b|PASS\b|\d)/;

/** The raw subject text: from after the marker to the first terminator. */
function rawSubject(text: string): string | null {
  const win = window(text);
  const marker = MARKER.exec(win);
  if (!marker) return null;
  let start = marker.index + marker[0].length;
  if (win[start] === ':') start++;
  const rest = win.slice(start);
  // A terminator right at the start (`SUBJECT: \n\nREF`) must not hide a subject on the next
  // line, so skip the leading whitespace first.
  const lead = /^\s*/.exec(rest)![0].length;
  const body = cutPageMarks(rest.slice(lead));
  const page = PAGE_HEADER.exec(body)?.index ?? body.length;
  let from = 0;
  for (;;) {
    const m = END.exec(body.slice(from));
    const end = m ? from + m.index : body.length;
    if (end >= page || !m || !/^\n[ \t]*\r?\n$/.test(m[0])) return body.slice(0, Math.min(end, page));
    const next = /^\s*([^\n]*)/.exec(body.slice(end))![1]!.trim();
    const goesOn =
      (OPEN_END.test(body.slice(from, end)) || OPEN_START.test(next)) &&
      CONTINUATION.test(next) &&
      !NOT_CONTINUATION.test(next) &&
      !END.test(next);
    if (!goesOn) return body.slice(0, end);
    from = body.indexOf(next, end);
  }
}

export function parseSubject(text: string, opts: { clean?: boolean } = {}): string {
  const raw = rawSubject(text);
  if (raw === null) return '';
  let s = raw.trim().replace(/\r?\n/g, ' ').replace(/ {2,}/g, ' ').replace(/US- /g, 'US-');
  s = decodeEntities(s).replace(HTML_TAG, ' ').replace(/ {2,}/g, ' ').trim();
  if (opts.clean !== false) {
    s = s
      .replace(LEADING_MARKING, '')
      .replace(TRAILING_MARKING, '')
      .replace(/\\/g, '')
      .replace(/\s{2,}/g, ' ')
      .trim();
  }
  return s;
}
