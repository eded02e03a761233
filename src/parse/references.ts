/**
 * The REF block of a cable: `REF: A. STATE 124823 B. 08 RIO DE JAN 138 C. JONES E-MAIL 5/2/09`.
 *
 * The block starts at the first `REF`/`REFS`/`REFTEL`/`REF(S)` marker before the first paragraph
 * and the `Classified By` line, and runs to the first numbered paragraph, `Classified By` or
 * `SUMMARY`. It is split into items at enumeration bullets (`A.`, `(B)`, `C)`, `[D]`, `E:`,
 * `F -`, repeated as `A. A)` or `A. REF A:`), accepted only in sequence so that initials
 * (`E-mails J. Speaks-K. Allen`) are no bullets. Each item is read for cable citations; an item
 * without one becomes an e-mail, telephone call, memo or report reference when it says so.
 *
 * A citation is `[year] STATION [,:] [(yy)] [(C)] SERIAL [year]`, the station being every word
 * between the start of the citation and the serial, so `INCSR BRAZIL 2008` or `UNSCR 1737` are
 * no cables. Stations are checked against the stations of the release (see ids.ts).
 */
import type { Reference, ReferenceKind } from '../cable/types.js';
import { canonicalizeId, fullYear, makeId, resolveStation } from './ids.js';

export interface ReferenceOptions {
  /** Also return the items that are neither cables nor a known kind, as kind `other`. */
  other?: boolean;
}

/** Parse the REF block. `year` is the four-digit year of the citing cable. */
export function parseReferences(
  text: string,
  year: number | null,
  referenceId: string | null = null,
  options: ReferenceOptions = {},
): Reference[] {
  if (!text) return [];
  const block = findBlock(text);
  if (!block) return [];
  const own = referenceId ? canonicalizeId(referenceId) : null;
  const citingYear = year ?? (own && /^\d\d/.test(own) ? fullYear(Number(own.slice(0, 2))) : null);
  const out: Reference[] = [];
  const seen = new Set<string>();
  const push = (r: Reference) => {
    if (r.kind === 'cable' && r.id === own) return;
    const key = `${r.kind}\u0000${r.id ?? r.value}\u0000${r.bullet ?? ''}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(r);
  };
  for (const item of splitItems(block)) {
    for (const seg of splitSegments(item.text)) {
      const cites = readCitations(seg, item.bullet, citingYear);
      if (cites.length > 0) {
        for (const c of cites) push(c);
        continue;
      }
      const value = seg.replace(/^[\s,;:.-]+|[\s,;:-]+$/g, '');
      if (!value || !/[A-Za-z]/.test(value)) continue;
      const kind = classify(value);
      if (kind !== 'other' || options.other) push({ kind, id: null, bullet: item.bullet, value });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The block

const HEADER_LINE_RE = /-{3,}[ \t]*header/iy;
// A REF marker as a word of its own: not `REFORM`, `REFUGEE` or the `refid:` of media texts.
const MARKER_RE = /(?<![A-Za-z])(?:REF(?:S|TELS?|\(S\))?(?![A-Za-z(])|REF\(S\)|REFERENCES?(?=\s*:))/i;
const ANY_REF_RE = /REF/i;
const PRE_STOP_RE = /classified\s+by|\n[ \t¶]*1\s*\.(?=\s|\()/i;
// Media-partner pages cut the text with `...` and append a metadata record (`... id: 138753
// date:`, `...\n\n15650\n\n2004-04-02`) that repeats the references.
const STOP_RE =
  /classified\s+by|\bsummary\b|\n[ \t¶\\]*\d{1,2}\s*\.(?=\s|\()|VZCZC|\bid:\s*\d+\s+date:|\.\.\.\s*id:|\.\.\.\s+\d+\s+\d{1,4}[-/]\d{1,2}[-/]\d{2,4}/i;
const MAX_START = 3000;
const MAX_BLOCK = 2500;

// `PAGE 02 ROME 01196 01 OF 02 082030Z`, `MADRID 00000869 001.2 OF 003`, the spaced banner
// `C O N F I D E N T I A L RIGA 000472` of a following section.
const PAGE_OLD_RE = /PAGE\s+\d+\s+[A-Z][A-Z ]*?\s+\d+\s+(?:\d+\s+OF\s+\d+\s+)?\d{6}Z/g;
const PAGE_NEW_RE = /\b[A-Z]+(?: [A-Z]+){0,2} +\d{6,8}\s+\d{3}(?:\.\d+)?\s+OF\s+\d{3}/g;
const BANNER_RE =
  /\b(?:[A-Z] ){4,}[A-Z]\b(?:\s+(?:SECTION\s+\d+\s+OF\s+\d+\s+)?[A-Z][A-Z ]{1,30}?\s+\d{3,8}\b)?/g;

/**
 * The first HEADER_LINE_RE match. A match starts where a run of dashes starts (the whole run
 * belongs to it), so only the runs found by a plain `---` search need the pattern.
 */
function headerLine(text: string): RegExpExecArray | null {
  for (let at = text.indexOf('---'); at >= 0; ) {
    HEADER_LINE_RE.lastIndex = at;
    const m = HEADER_LINE_RE.exec(text);
    if (m) return m;
    let end = at + 3;
    while (text.charCodeAt(end) === 0x2d) end++;
    at = text.indexOf('---', end);
  }
  return null;
}

function findBlock(text: string): string | null {
  let from = 0;
  const header = headerLine(text);
  if (header) from = header.index + header[0].length;
  const head = text.slice(from, from + MAX_START);
  // Every marker spells `REF`: most cables without a REF block are settled by this cheap test.
  if (!ANY_REF_RE.test(head)) return null;
  const pre = PRE_STOP_RE.exec(head);
  const scope = pre ? head.slice(0, pre.index) : head;
  const m = MARKER_RE.exec(scope);
  if (!m) return null;
  const start = from + m.index;
  const rest = text.slice(start + m[0].length, start + m[0].length + MAX_BLOCK);
  const stop = STOP_RE.exec(rest);
  const raw = stop ? rest.slice(0, stop.index) : rest;
  return raw
    .replace(PAGE_OLD_RE, ' ')
    .replace(PAGE_NEW_RE, ' ')
    .replace(BANNER_RE, ' ')
    .replace(/[¶\\]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

// ---------------------------------------------------------------------------------------------
// Items

interface Item {
  bullet: string | null;
  text: string;
}

// `(A)`, `[A]`, `A)`, `A.)`, `A.` (not `U.S.`), `A:`, `A -`, each maybe after `REF `; `(1)`.
const BULLET_RE =
  /(?<=^|[\s;,])(?:REF\s+)?(?:\(([A-Z]|\d)\)|\[([A-Z])\]|([A-Z])\.?\)|([A-Z])\.(?![A-Z]\.)|([A-Z]):(?=\s)|([A-Z]) -(?=\s))/g;
const LEADING_REF_RE = /^(?:\s*(?:REF(?:S|TELS?|ERENCES?|\(S\))?)\b\s*[:.]?)+/i;

function nextBullet(b: string): string {
  return String.fromCharCode(b.charCodeAt(0) + 1);
}

function splitItems(block: string): Item[] {
  const upper = asciiUpper(block);
  const items: Item[] = [];
  let cur: string | null = null;
  let itemStart = 0;
  let lastEnd = 0;
  BULLET_RE.lastIndex = 0;
  for (let m = BULLET_RE.exec(upper); m; m = BULLET_RE.exec(upper)) {
    const letter = m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5] ?? m[6] ?? '';
    const between = upper.slice(lastEnd, m.index);
    let accept = false;
    if (cur === null) {
      accept = letter === 'A' || letter === '1' || /^[\s:.-]*$/.test(upper.slice(0, m.index));
    } else if (letter === cur) {
      if (/^\s*$/.test(between)) {
        lastEnd = m.index + m[0].length;
        itemStart = lastEnd;
        continue;
      }
      accept = true;
    } else accept = letter === nextBullet(cur);
    if (!accept) continue;
    if (m.index > itemStart || cur !== null)
      items.push({ bullet: cur, text: block.slice(itemStart, m.index) });
    cur = letter;
    itemStart = m.index + m[0].length;
    lastEnd = itemStart;
  }
  items.push({ bullet: cur, text: block.slice(itemStart) });
  for (const it of items) it.text = it.text.replace(LEADING_REF_RE, '');
  return items.filter((it) => it.text.trim() !== '');
}

function splitSegments(text: string): string[] {
  return text.split(';').filter((s) => s.trim() !== '');
}

const KIND_RES: [ReferenceKind, RegExp][] = [
  ['email', /E-?MAILS?\b|\bEMAIL|\bMAIL\b/i],
  ['tel', /\bTEL(?:E)?CONS?\b|\bTELEPHONE\b|\bPHONE(?:CON| CALL)?\b|\bTELCON/i],
  ['memo', /\bMEMO|\bMEMCON|\bMEMORANDUM/i],
  ['report', /\bREPORTS?\b|\bIIR\b|\bINCSR\b/i],
  ['book', /\bBOOK\b/i],
];

function classify(value: string): ReferenceKind {
  for (const [kind, re] of KIND_RES) if (re.test(value)) return kind;
  return 'other';
}

// ---------------------------------------------------------------------------------------------
// Citations

type TokKind = 'num' | 'word' | 'punct';
interface Tok {
  k: TokKind;
  s: string;
  start: number;
  end: number;
  /** Whitespace before the token. */
  sp: boolean;
}

const TOKEN_RE =
  /(\s*)(?:(\d+)(?![A-Za-z0-9])|([A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*(?:['’][A-Za-z0-9]+)*)|(\S))/y;

function tokenize(seg: string): Tok[] {
  const toks: Tok[] = [];
  TOKEN_RE.lastIndex = 0;
  for (let m = TOKEN_RE.exec(seg); m; m = TOKEN_RE.exec(seg)) {
    const start = m.index + m[1]!.length;
    const s = m[2] ?? m[3] ?? m[4];
    if (s === undefined) break;
    toks.push({
      k: m[2] ? 'num' : m[3] ? 'word' : 'punct',
      s: asciiUpper(s),
      start,
      end: start + s.length,
      sp: !!m[1],
    });
  }
  return toks;
}

function asciiUpper(s: string): string {
  // For pure ASCII text toUpperCase does the same, far cheaper than a replace with a callback.
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0x7f) return s.replace(/[a-z]+/g, (w) => w.toUpperCase());
  }
  return s.toUpperCase();
}

/** A word that can be part of a station name: letters, apostrophes, a `0` typed for `O`. */
const STATION_WORD_RE = /^[A-Z0]*[A-Z][A-Z0'’]*$/;
/** `HK05511`, `STATE085363`, `CAIRO0561`: station and serial glued. */
const GLUED_SERIAL_RE = /^([A-Z][A-Z'’]*[A-Z])(\d{1,8})$/;
/** `2005PANAMA2342`, `09CAIRO0561`. */
const GLUED_ID_RE = /^(\d{2}|\d{4})([A-Z][A-Z'’]*[A-Z])(\d{1,8})$/;
const MONTH_RE = /^(?:JAN|FEB|MAR|APR|MAY|JUNE?|JUL|JULY|AUG|SEPT?|OCT|NOV|DEC)[A-Z]*$/;
const MAX_STATION_WORDS = 6;

interface Ctx {
  toks: Tok[];
  seg: string;
  citingYear: number | null;
  bullet: string | null;
}

/** Two-digit year of a year token as written (`05`, `2005`, `094`), or null. */
function yearOf(s: string): number | null {
  if (s.length === 2) return Number(s);
  if (s.length === 4) {
    const y = Number(s);
    return y >= 1966 && y <= 2010 ? y % 100 : null;
  }
  if (s.length === 3 && s.startsWith('0')) return Number(s.slice(1));
  return null;
}

function isPunct(t: Tok | undefined, p: string): boolean {
  return t?.k === 'punct' && t.s === p;
}

function readCitations(seg: string, bullet: string | null, citingYear: number | null): Reference[] {
  const ctx: Ctx = { toks: tokenize(seg), seg, citingYear, bullet };
  const out: Reference[] = [];
  const { toks } = ctx;
  let i = 0;
  while (i < toks.length) {
    const r = citationAt(ctx, i);
    if (r) {
      out.push(...r.refs);
      i = r.next;
      continue;
    }
    // Restart only where a citation can begin: after punctuation, a number or `AND`.
    i++;
    while (i < toks.length) {
      const p = toks[i - 1]!;
      if (p.k !== 'word' || p.s === 'AND') break;
      i++;
    }
  }
  return out;
}

interface Parsed {
  refs: Reference[];
  next: number;
}

function citationAt(ctx: Ctx, i: number): Parsed | null {
  const { toks } = ctx;
  const t = toks[i];
  if (!t || (t.k === 'punct' && !["'", '('].includes(t.s))) return null;
  if (t.k === 'word') {
    const g = GLUED_ID_RE.exec(t.s);
    if (g) {
      const st = resolveStation(g[2]!, 'ref');
      const yy = yearOf(g[1]!);
      if (st && yy !== null) return finish(ctx, i, i + 1, st, yy, g[3]!, t.start);
    }
  }
  const r = normalCitation(ctx, i) ?? serialFirst(ctx, i);
  if (r) return r;
  // `C 05 Ottawa 2970`: a bullet letter without punctuation before a year.
  if (t.k === 'word' && /^[A-Z]$/.test(t.s) && toks[i + 1]?.k === 'num')
    return normalCitation(ctx, i + 1, t.s);
  return null;
}

/** `[bullet] [year] STATION [, :] [(yy)] [(C)] SERIAL …` */
function normalCitation(ctx: Ctx, i: number, letter: string | null = null): Parsed | null {
  const { toks } = ctx;
  let j = i;
  let bullet: string | null = letter;
  let yy: number | null = null;
  const start = toks[i]!.start;
  // Year before the station: `05`, `2005`, `'08`, `(99)`, `O4` (letter O), `10-OTTAWA-57`.
  const t = toks[j]!;
  if (t.k === 'num') {
    yy = yearOf(t.s);
    if (yy === null) return null;
    j++;
    if (isPunct(toks[j], '-') && !toks[j]!.sp) j++;
  } else if (isPunct(t, "'") && toks[j + 1]?.k === 'num' && toks[j + 1]!.s.length === 2) {
    yy = Number(toks[j + 1]!.s);
    j += 2;
  } else if (isPunct(t, '(')) {
    const n = toks[j + 1];
    if (n?.k !== 'num' || n.s.length !== 2 || !isPunct(toks[j + 2], ')')) return null;
    yy = Number(n.s);
    j += 3;
  } else if (t.k === 'word' && /^O\d$/.test(t.s) && toks[j + 1]?.k === 'word') {
    yy = Number(t.s[1]);
    j++;
  }
  // The station: every word up to the serial.
  const words: Tok[] = [];
  let k = j;
  while (k < toks.length && words.length <= MAX_STATION_WORDS) {
    const w = toks[k]!;
    if (w.k === 'word' && (STATION_WORD_RE.test(w.s) || GLUED_SERIAL_RE.test(w.s))) {
      words.push(w);
      k++;
      if (GLUED_SERIAL_RE.test(w.s) && !STATION_WORD_RE.test(w.s)) break;
      continue;
    }
    // `ST. PETERSBURG`, `PORT-AU-PRINCE`, `N' DJAMENA`: joiners inside a name.
    if (w.k === 'punct' && /^[.\-'’]$/.test(w.s) && words.length > 0 && toks[k + 1]?.k === 'word') {
      k++;
      continue;
    }
    break;
  }
  if (words.length === 0 || words.length > MAX_STATION_WORDS) return null;
  let serial: string | null = null;
  const last = words[words.length - 1]!;
  const glued = STATION_WORD_RE.test(last.s) ? null : GLUED_SERIAL_RE.exec(last.s);
  const nameOf = (ws: Tok[]) => ws.map((w, n) => (n === ws.length - 1 && glued ? glued[1]! : w.s)).join(' ');
  let nameWords = words;
  if (glued) serial = glued[2]!;
  let station = resolveStation(nameOf(nameWords), 'ref');
  if (!station && yy === null && nameWords.length > 1 && /^[A-Z]$/.test(nameWords[0]!.s)) {
    // `A Montreal 365`: a bullet letter without punctuation.
    bullet = nameWords[0]!.s;
    nameWords = nameWords.slice(1);
    station = resolveStation(nameOf(nameWords), 'ref');
  }
  if (!station) return null;
  let midYear: number | null = null;
  if (serial === null) {
    // Between station and serial: `,` `:` a glued `-`, `(01)` (year), `(C)` (classification).
    if (toks[k]?.k === 'punct' && [',', ':'].includes(toks[k]!.s)) k++;
    else if (isPunct(toks[k], '-') && !toks[k]!.sp) k++;
    if (
      isPunct(toks[k], '(') &&
      toks[k + 1]?.k === 'num' &&
      toks[k + 1]!.s.length === 2 &&
      isPunct(toks[k + 2], ')')
    ) {
      midYear = Number(toks[k + 1]!.s);
      k += 3;
    }
    if (isPunct(toks[k], '(') && toks[k + 1]?.k === 'word' && /^(?:U|C|S|SBU|NF)$/.test(toks[k + 1]!.s)) {
      const close = isPunct(toks[k + 2], ')') ? k + 3 : -1;
      if (close > 0) k = close;
    }
    const s = toks[k];
    if (s?.k !== 'num' || s.s.length > 8) return null;
    serial = s.s;
    k++;
  }
  return finish(ctx, i, k, station, midYear ?? yy, serial, start, bullet);
}

/** `377 KATHMANDU`, `870 Ulaanbaatar`: serial before the station, nothing after it. */
function serialFirst(ctx: Ctx, i: number): Parsed | null {
  const { toks } = ctx;
  const n = toks[i]!;
  if (n.k !== 'num' || n.s.length < 3 || n.s.length > 7 || (n.s.length === 4 && yearOf(n.s) !== null))
    return null;
  const words: string[] = [];
  let k = i + 1;
  while (toks[k]?.k === 'word' && STATION_WORD_RE.test(toks[k]!.s) && words.length < MAX_STATION_WORDS) {
    words.push(toks[k]!.s);
    k++;
  }
  if (words.length === 0) return null;
  const after = toks[k];
  if (after && !(after.k === 'punct' && [',', ';', ')', '.'].includes(after.s))) return null;
  const station = resolveStation(words.join(' '), 'ref');
  if (!station || ctx.citingYear === null) return null;
  const ref = cable(
    ctx,
    station,
    ctx.citingYear % 100,
    n.s,
    ctx.bullet,
    ctx.seg.slice(n.start, toks[k - 1]!.end),
  );
  return ref ? { refs: [ref], next: k } : null;
}

/**
 * After the serial: a year (`-91`, `/08`, ` 99`, `(08)`) and further serials of the same station
 * (`AND 2764`, `& 511`, `/935`, `, 12155` when the list also has an `AND`).
 */
function finish(
  ctx: Ctx,
  i: number,
  k: number,
  station: string,
  yy: number | null,
  serial: string,
  start: number,
  plainBullet: string | null = null,
): Parsed | null {
  const { toks } = ctx;
  const serialTok = toks[k - 1]!;
  // `123..` is a truncated number; `12/15/08` a date; `12 MARCH` a date too.
  if (isPunct(toks[k], '.') && isPunct(toks[k + 1], '.') && !toks[k]!.sp) return null;
  if (isDate(toks, k)) return null;
  if (toks[k]?.k === 'word' && MONTH_RE.test(toks[k]!.s)) return null;
  let post = postYear(ctx, k);
  let end = serialTok.end;
  if (post) {
    k = post.next;
    end = toks[k - 1]!.end;
  }
  const bullet = plainBullet ?? ctx.bullet;
  if (plainBullet) ctx.bullet = plainBullet;
  const stationText = ctx.seg.slice(start, serialTok.start).trim();
  const first = cable(ctx, station, post?.yy ?? yy, serial, bullet, ctx.seg.slice(start, end));
  if (!first) return null;
  const refs = [first];
  const more: { ref: Reference; comma: boolean; next: number }[] = [];
  let m = k;
  for (;;) {
    const sep = toks[m];
    let n = m + 1;
    if (!sep) break;
    const isAnd = sep.k === 'word' && sep.s === 'AND';
    const isSep = isAnd || (sep.k === 'punct' && ['&', '/', ','].includes(sep.s));
    if (!isSep) break;
    const s = toks[n];
    if (s?.k !== 'num' || s.s.length > 8) break;
    // `/08` after a serial is its year, handled above; `/15/2008` a date.
    if (sep.s === '/' && s.s.length <= 2) break;
    n++;
    if (isDate(toks, n) || (toks[n]?.k === 'word' && MONTH_RE.test(toks[n]!.s))) break;
    post = postYear(ctx, n);
    if (post) n = post.next;
    const ref = cable(ctx, station, post?.yy ?? yy, s.s, bullet, `${stationText} ${s.s}`);
    if (!ref) break;
    more.push({ ref, comma: sep.s === ',', next: n });
    m = n;
  }
  // A bare list of numbers after a comma is only read when the list also says `AND`/`&`/`/`:
  // `State 188314, 259032` cites one cable, `11657 and 7743, 12155` four.
  let take = more.length;
  if (more.every((x) => x.comma)) take = 0;
  for (let x = 0; x < take; x++) refs.push(more[x]!.ref);
  const next = take > 0 ? more[take - 1]!.next : k;
  return { refs, next: Math.max(next, i + 1) };
}

/** Is the number before `toks[k]` the start of a date `12/15/08`? */
function isDate(toks: Tok[], k: number): boolean {
  const d = toks[k - 1];
  const m = toks[k + 1];
  const y = toks[k + 3];
  return (
    d?.k === 'num' &&
    d.s.length <= 2 &&
    isPunct(toks[k], '/') &&
    m?.k === 'num' &&
    m.s.length <= 2 &&
    isPunct(toks[k + 2], '/') &&
    y?.k === 'num' &&
    (y.s.length === 2 || y.s.length === 4)
  );
}

/** A year written after the serial, as a two-digit number. */
function postYear(ctx: Ctx, k: number): { yy: number; next: number } | null {
  const { toks } = ctx;
  const a = toks[k];
  const b = toks[k + 1];
  if (!a) return null;
  const two = b?.k === 'num' && b.s.length === 2;
  if (two && !a.sp && (a.s === '-' || a.s === '/') && a.k === 'punct') {
    if (a.s === '/' && isPunct(toks[k + 2], '/')) return null;
    return { yy: Number(b.s), next: k + 2 };
  }
  if (isPunct(a, '(') && two && isPunct(toks[k + 2], ')')) return { yy: Number(b.s), next: k + 3 };
  // `AMMAN 07718 99,`: only a year no later than the citing cable, and only before a separator.
  if (a.k === 'num' && a.s.length === 2 && ctx.citingYear !== null) {
    const after = toks[k + 1];
    if (after && !(after.k === 'punct' && [',', ';'].includes(after.s))) return null;
    if (fullYear(Number(a.s)) <= ctx.citingYear) return { yy: Number(a.s), next: k + 1 };
  }
  return null;
}

function cable(
  ctx: Ctx,
  station: string,
  yy: number | null,
  serial: string,
  bullet: string | null,
  value: string,
): Reference | null {
  const y = yy ?? (ctx.citingYear === null ? null : ctx.citingYear % 100);
  if (y === null) return null;
  if (!/^\d{1,8}$/.test(serial) || /^0+$/.test(serial)) return null;
  const id = makeId(y, station, serial);
  if (id.length < 7 || id.length > 25) return null;
  return { kind: 'cable', id, bullet, value: value.trim() };
}
