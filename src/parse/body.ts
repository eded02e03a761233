/**
 * Structure of a cable body: classification banner, handling captions, numbered paragraphs with
 * their portion marking, section/page markers and redactions. All offsets are UTF-16 offsets into
 * the body exactly as given (the parser never rewrites the text).
 */
import type { Classification, Marker, Paragraph, Span } from '../cable/types.js';

export interface BodyStructure {
  classification: Classification | null;
  banner: string | null;
  section: { number: number; of: number } | null;
  handling: string[];
  paragraphs: Paragraph[];
  markers: Marker[];
  redactions: Span[];
}

/** The banner normally opens the body; media-partner wrappers push it down a little. */
const BANNER_WINDOW = 4000;
/** Lines after the banner that may still hold handling captions (before TAGS/SUBJECT…). */
const CAPTION_LINES = 30;

/** Spaced banners; the first letter is sometimes lost (`E C R E T`, `O N F I D E N T I A L`). */
const SPACED =
  '((?:S )?E C R E T|(?:C )?O N F I D E N T I A L|(?:U )?N C L A S S I F I E D|L I M I T E D  ?O F F I C I A L  ?U S E)';
const PLAIN = '(SECRET|CONFIDENTIAL|U{0,2}NCLASSIFIED|U{0,2}NCLAS|LIMITED OFFICIAL USE)';
/**
 * Spaced letters are distinctive enough to be found anywhere (even glued to a `Cable dated:`
 * stamp); a plain word must open a line and be followed by a banner-like continuation.
 */
const BANNER = new RegExp(
  `${SPACED}(?![A-Za-z])|(?<=^|[\\n\\t"\\u2028\\u2029])[ \\t\\u2028]*${PLAIN}(?=[ \\t]*(?:$|[\\n\\u2028\\\\]|//|[ \\t]+(?:SECTION|E F T O|EFTO|SENSITIVE|FOR OFFICIAL|NOFORN|SIPDIS|[A-Z][A-Za-z .'-]*[ \\t]+0*[0-9]{1,7}\\b)))`,
  'gi',
);
/**
 * The banner proper, after the classification word: captions, SECTION n OF m, station and serial.
 * Whatever follows on the same line (captions, the text of a flattened cable) is not banner.
 */
const BANNER_REST =
  /^(?:[ \t]*\/\/[ \t]*[A-Z]+)?(?:[ \t]+(?:E F T O|EFTO|SENSITIVE|FOR OFFICIAL USE ONLY|NOFORN))*(?:[ \t]+SECTION[ \t]+[0-9]{1,3}[ \t]+OF[ \t]+[0-9]{1,3})?[ \t]+[A-Za-z][A-Za-z .'-]*?[ \t]*[0-9]{1,7}(?![0-9])/i;
const SECTION = /SECTION[ \t]+0*([0-9]{1,3})[ \t]+OF[ \t]+0*([0-9]{1,3})/i;
/** A banner glued to the next line's text (`KAMPALA 001413SIPDISE.O. 12958`) ends at the serial. */
const GLUED_TAIL = /^(.*?[0-9]{3,7})(?=[A-Z][A-Za-z]{2})/;

const CAPTION =
  /(?<![A-Za-z])(SENSITIVE BUT UNCLASSIFIED|FOR OFFICIAL USE ONLY|ROGER CHANNEL|E F T O|EFTO|SIPDIS|NOFORN|SENSITIVE|EXDIS|NODIS|STADIS|LIMDIS|NOCONTRACT|ORCON|PROPIN|FOUO)(?![A-Za-z])/gi;
const CAPTION_NAMES: Readonly<Record<string, string>> = { 'E F T O': 'EFTO', FOUO: 'FOR OFFICIAL USE ONLY' };
const GLUED_CAPTIONS = /^[0-9]*(?:SIPDIS|NOFORN|SENSITIVE|EXDIS|NODIS)/;
const GLUED_SPLIT = /(SIPDIS|NOFORN|SENSITIVE|EXDIS|NODIS|E\.O\.)/g;
/** Inside a caption line, the cable's opening fields end the captions (flattened texts run on). */
const CAPTION_STOP = /E\.?[ ]?O\.?[ ]+1[0-9]{4}|TAGS?:|SUBJECT|SUBJ:|Classified By/i;
/** Where the caption block ends: the opening fields of the cable proper. */
const CAPTION_END =
  /^[ \t]*(?:E\.?[ ]?O\.?[ ]+1|TAGS?\b|SUBJ|REF|Classified|CLASSIFIED|¶?[0-9]{1,2}[ \t]*\.)/i;

/**
 * A numbered paragraph: at a line start, an optional `¶`, the number, a dot (or a portion marking
 * right after the number) and then the marking or the text.
 */
const PARAGRAPH =
  /[ \t]*¶?([0-9]{1,3})(?:[ \t]*(\.)[ \t]*|[ \t]*(?=\())(?:\([ \t]*([A-Za-z]{1,4}(?:[ \t]*\/\/?[ \t]*[A-Za-z]{1,7})*(?:[ \t]*-[ \t]*ENTIRE TEXT)?)[ \t]*\))?/y;
/** After `N.` must come text, not another digit (`1.5(B)`, `2006.`-style dates are not paragraphs). */
const NOT_PARAGRAPH_AFTER = /^[0-9]/;

/** `BUENOS AIR 00000034  002 OF 004`: the station cut to 10 letters, the serial to 8 digits. */
const PAGE_MARKER =
  /[ \t]*([A-Z][A-Z .'-]{0,11}?[ \t]+[0-9]{8}[ \t]+[0-9]{3}(?:\.[0-9])?[ \t]+OF[ \t]+[0-9]{3})\b/y;
/** `PAGE 02 HARARE 05461 01 OF 02 271458Z` of the old MRN printouts. */
const MRN_PAGE_MARKER =
  /[ \t]*(PAGE[ \t]+[0-9]{2,3}[ \t]+[A-Z][A-Z .'-]*?[ \t]+[0-9]{4,6}[ \t]+[0-9]{2}[ \t]+OF[ \t]+[0-9]{2}[ \t]+[0-9]{6}Z)/y;
/** What every section and page marker contains: `01 OF 02`, `002 OF 004`, `001.2 OF 007`. */
const MARKER_PROBE = /[0-9][ \t]+OF[ \t]+[0-9]/g;
/** Redactions are runs of at least this many `X`/`x`. */
const MIN_REDACTION = 5;

interface BannerMatch {
  start: number;
  end: number;
  /** End of the banner's line: the rest of it may hold captions. */
  lineEnd: number;
  text: string;
  base: 'SECRET' | 'CONFIDENTIAL' | 'UNCLASSIFIED' | 'LIMITED OFFICIAL USE';
}

function baseOf(word: string): BannerMatch['base'] {
  const w = word.replace(/ /g, '').toUpperCase();
  if (w.endsWith('ECRET')) return 'SECRET';
  if (w.endsWith('ONFIDENTIAL')) return 'CONFIDENTIAL';
  if (w.startsWith('LIMITED')) return 'LIMITED OFFICIAL USE';
  return 'UNCLASSIFIED';
}

function lineEnd(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  return nl < 0 ? text.length : nl;
}

/** Finds the first banner from `from` on, starting before `limit`. */
function findBanner(body: string, from: number, limit: number): BannerMatch | null {
  // A banner and its lookahead never cross a newline, so the search can stop at the end of the
  // line holding `limit - 1` instead of running on through the rest of a long body.
  const stop = limit >= body.length ? body.length : lineEnd(body, Math.max(0, limit - 1));
  BANNER.lastIndex = from;
  const m = BANNER.exec(stop < body.length ? body.slice(0, stop) : body);
  if (!m || m.index >= limit) return null;
  const word = m[1] ?? m[2]!;
  const start = m.index + m[0].length - word.length;
  const eol = lineEnd(body, start);
  const wordEnd = start + word.length;
  const line = body.slice(wordEnd, eol);
  const shaped = BANNER_REST.exec(line);
  let end: number;
  if (shaped) {
    end = wordEnd + shaped[0].length;
  } else {
    const glued = GLUED_TAIL.exec(line);
    end = wordEnd + (glued ? glued[1]!.length : line.length);
  }
  let text = body.slice(start, end).replace(/[\s\\\u2028]+$/, '');
  if (/<br>$/i.test(text)) text = text.slice(0, -4).trimEnd();
  return { start, end: start + text.length, lineEnd: eol, text, base: baseOf(word) };
}

/** Handling captions in one line of the caption area (`SIPDIS NOFORN`, `Sipdis, isn/mtr…`). */
function lineCaptions(line: string, out: string[]): void {
  const stop = CAPTION_STOP.exec(line);
  const part = stop ? line.slice(0, stop.index) : line;
  CAPTION.lastIndex = 0;
  for (let m = CAPTION.exec(part); m; m = CAPTION.exec(part)) {
    const word = m[1]!.toUpperCase();
    const name = CAPTION_NAMES[word] ?? word;
    if (!out.includes(name)) out.push(name);
  }
}

function bannerCaptions(body: string, banner: BannerMatch, out: string[]): void {
  // `UNCLAS E F T O SECTION 01 OF 02`, `S E C R E T//NOFORN`, then the rest of the banner's line
  lineCaptions(banner.text.replace(/^(?:[A-Za-z] )+[A-Za-z]|^[A-Za-z]+(?: OFFICIAL USE)?/, ''), out);
  const rest = body.slice(banner.end, banner.lineEnd);
  lineCaptions(rest, out);
  // A flattened media-partner text glues the captions together: `003352SIPDISSIPDISNOFORNE.O.`
  if (GLUED_CAPTIONS.test(rest)) lineCaptions(rest.replace(GLUED_SPLIT, ' $1 '), out);
}

function captionBlock(body: string, from: number, out: string[]): void {
  let at = from;
  for (let i = 0; i < CAPTION_LINES && at < body.length; i++) {
    const end = lineEnd(body, at);
    const line = body.slice(at, end);
    if (CAPTION_END.test(line)) return;
    lineCaptions(line, out);
    at = end + 1;
  }
}

export function normaliseClassification(
  base: BannerMatch['base'],
  handling: readonly string[],
): Classification {
  if (base === 'UNCLASSIFIED') {
    const fouo =
      handling.includes('SENSITIVE') ||
      handling.includes('FOR OFFICIAL USE ONLY') ||
      handling.includes('SENSITIVE BUT UNCLASSIFIED');
    // NOFORN on an unclassified cable makes it controlled (SBU) as well.
    return fouo || handling.includes('NOFORN') ? 'UNCLASSIFIED//FOR OFFICIAL USE ONLY' : 'UNCLASSIFIED';
  }
  if (base === 'LIMITED OFFICIAL USE') return 'LIMITED OFFICIAL USE';
  return handling.includes('NOFORN') ? `${base}//NOFORN` : base;
}

function isMarking(m: string): boolean {
  // `(A)`, `(B)` are sub-items; a portion marking is a classification level.
  return /^(?:U|SBU|C|S|TS|LOU|FOUO|NF|U\/\/FOUO)(?:\b|\/)/i.test(m) || /ENTIRE TEXT/i.test(m);
}

interface ParagraphCandidate {
  number: number;
  marking: string | null;
  start: number;
}

/** Largest step between consecutive paragraph numbers (a few paragraphs may be missing). */
const MAX_STEP = 4;
const GAP_COST = 0.6;
const LATE_START_COST = 0.5;
/** A portion-marked candidate is more likely a real paragraph than a numbered list item. */
const MARKING_BONUS = 0.2;
/** How many earlier candidates a paragraph may link to (keeps the search linear in practice). */
const LOOKBACK = 60;

/**
 * The most plausible run of paragraph numbers among the candidates: increasing, normally by one,
 * starting at 1 (partial texts may start later). Dates, list items and quoted numbers fall out.
 */
function bestChain<T extends ParagraphCandidate>(cands: readonly T[]): T[] {
  const score = new Float64Array(cands.length);
  const prev = new Int32Array(cands.length).fill(-1);
  let best = -1;
  for (let i = 0; i < cands.length; i++) {
    const c = cands[i]!;
    const own = 1 + (c.marking ? MARKING_BONUS : 0);
    score[i] = own - (c.number === 1 ? 0 : LATE_START_COST);
    for (let j = Math.max(0, i - LOOKBACK); j < i; j++) {
      const step = c.number - cands[j]!.number;
      if (step < 1 || step > MAX_STEP) continue;
      const s = score[j]! + own - (step - 1) * GAP_COST;
      if (s > score[i]!) {
        score[i] = s;
        prev[i] = j;
      }
    }
    if (best < 0 || score[i]! > score[best]!) best = i;
  }
  const chain: T[] = [];
  for (let i = best; i >= 0; i = prev[i]!) chain.push(cands[i]!);
  chain.reverse();
  // A lone number that is not 1 is more likely a quoted figure than a paragraph.
  if (chain.length === 1 && chain[0]!.number !== 1) return [];
  return chain;
}

/**
 * Numbered paragraphs that really are paragraphs: their numbers must run 1, 2, 3… (a missing
 * number is tolerated when the following one confirms the sequence).
 */
function nextLine(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  return nl < 0 ? text.length : nl + 1;
}

function mayOpenParagraph(text: string, at: number): boolean {
  let c = text.charCodeAt(at);
  while (c === 0x20 || c === 0x09) c = text.charCodeAt(++at);
  return (c >= 0x30 && c <= 0x39) || c === 0xb6;
}

export function findParagraphs(body: string): Paragraph[] {
  const cands: ParagraphCandidate[] = [];
  for (let at = 0; at < body.length; at = nextLine(body, at)) {
    // Only lines that start (after blanks) with a digit or ¶ can open a paragraph.
    if (!mayOpenParagraph(body, at)) continue;
    PARAGRAPH.lastIndex = at;
    const m = PARAGRAPH.exec(body);
    if (!m) continue;
    const after = body.slice(m.index + m[0].length, m.index + m[0].length + 2);
    const dotted = m[2] !== undefined;
    const inParens = m[3];
    const marking = inParens !== undefined && isMarking(inParens) ? inParens.trim() : null;
    if (inParens === undefined && NOT_PARAGRAPH_AFTER.test(after)) continue;
    // `1 (a)` without a dot is a list item; `37. (a)` is a paragraph whose text starts with (a).
    if (!dotted && marking === null) continue;
    const number = Number(m[1]);
    const numberAt = m.index + m[0].indexOf(m[1]!);
    cands.push({ number, marking, start: numberAt });
  }
  const kept = bestChain(cands);
  return kept.map((c, i) => ({
    number: c.number,
    marking: c.marking,
    start: c.start,
    end: kept[i + 1]?.start ?? body.length,
  }));
}

function findMarkers(body: string, firstBanner: BannerMatch | null): Marker[] {
  const markers: Marker[] = [];
  if (firstBanner && SECTION.test(firstBanner.text)) {
    markers.push({ kind: 'section', text: firstBanner.text, start: firstBanner.start, end: firstBanner.end });
  }
  // Every marker holds `n OF m`: one cheap scan for that, then the full patterns at the line start.
  // Later sections of old multi-part cables repeat the banner with their own SECTION number.
  const skipFrom = firstBanner ? firstBanner.start : -1;
  const skipTo = firstBanner ? firstBanner.lineEnd : -1;
  MARKER_PROBE.lastIndex = 0;
  for (let p = MARKER_PROBE.exec(body); p; p = MARKER_PROBE.exec(body)) {
    const lineStart = body.lastIndexOf('\n', p.index) + 1;
    MARKER_PROBE.lastIndex = nextLine(body, p.index);
    if (p.index >= skipFrom && p.index < skipTo) continue;
    const page = pageMarkerAt(body, lineStart);
    if (page) {
      markers.push(page);
      continue;
    }
    const b = findBanner(body, lineStart, p.index);
    if (b && b.start < p.index && b.end > p.index && SECTION.test(b.text)) {
      markers.push({ kind: 'section', text: b.text, start: b.start, end: b.end });
    }
  }
  return markers.sort((a, b) => a.start - b.start);
}

function pageMarkerAt(body: string, lineStart: number): Marker | null {
  for (const re of [PAGE_MARKER, MRN_PAGE_MARKER]) {
    re.lastIndex = lineStart;
    const m = re.exec(body);
    if (m) {
      const text = m[1]!.trimEnd();
      const start = m.index + m[0].indexOf(m[1]!);
      return { kind: 'page', text, start, end: start + text.length };
    }
  }
  return null;
}

function isAsciiLetter(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/**
 * Runs of 5+ `X`/`x` with no letter on either side: exactly the matches of
 * `(?<![A-Za-z])[Xx]{5,}(?![A-Za-z])`, found by checking maximal runs and their neighbours
 * instead of trying a lookbehind at every position of the body.
 */
export function findRedactions(body: string): Span[] {
  const out: Span[] = [];
  const n = body.length;
  // Plain searches for the next `X` and the next `x` find each run's start.
  let upper = body.indexOf('X');
  let lower = body.indexOf('x');
  while (upper >= 0 || lower >= 0) {
    const start = upper < 0 ? lower : lower < 0 ? upper : Math.min(upper, lower);
    let end = start + 1;
    while (end < n && isX(body.charCodeAt(end))) end++;
    if (
      end - start >= MIN_REDACTION &&
      !isAsciiLetter(body.charCodeAt(start - 1)) &&
      !isAsciiLetter(body.charCodeAt(end))
    )
      out.push({ start, end });
    if (upper >= 0 && upper < end) upper = body.indexOf('X', end);
    if (lower >= 0 && lower < end) lower = body.indexOf('x', end);
  }
  return out;
}

function isX(c: number): boolean {
  return c === 0x58 || c === 0x78;
}

export function parseBodyStructure(body: string): BodyStructure {
  const text = body ?? '';
  const banner = findBanner(text, 0, BANNER_WINDOW);
  const handling: string[] = [];
  if (banner) {
    bannerCaptions(text, banner, handling);
    captionBlock(text, banner.lineEnd + 1, handling);
  }
  const sec = banner ? SECTION.exec(banner.text) : null;
  return {
    classification: banner ? normaliseClassification(banner.base, handling) : null,
    banner: banner?.text ?? null,
    section: sec ? { number: Number(sec[1]), of: Number(sec[2]) } : null,
    handling,
    paragraphs: findParagraphs(text),
    markers: findMarkers(text, banner),
    redactions: findRedactions(text),
  };
}
