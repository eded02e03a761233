import { readFileSync } from 'node:fs';
import { isCompoundTitle, isMisspeltTitle, isOneWordTitle, key, TITLES } from './titles.js';

/**
 * The `Classified By:` line: who classified the cable, and for which reasons of E.O. 12958.
 * The line names the official behind a free-form job title (`Acting Deputy Chief of Mission Marc
 * Wall for reasons 1.4 (b) and (d)`), often misspelt or wrapped mid-word, so the title is stripped
 * token by token against a table of title words (src/parse/data/titles.txt) and the name is what
 * follows, read as name-shaped tokens up to the first word that cannot belong to a name.
 */
export interface ClassifiedBy {
  names: string[];
  reasons: string | null;
}

interface NameFixes {
  fixes: Record<string, string>;
}
const NAME_FIXES = (
  JSON.parse(readFileSync(new URL('./data/person-name-fixes.json', import.meta.url), 'utf8')) as NameFixes
).fixes;
const NAME_FIX_RE = new RegExp(
  `\\b(?:${Object.keys(NAME_FIXES)
    .map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|')})\\b`,
  'gi',
);
const NAME_FIX_LOOKUP = new Map(Object.entries(NAME_FIXES).map(([k, v]) => [k.toLowerCase(), v]));

/** The label, also misspelt with a letter dropped or doubled (`Classfied By`, `Clasified by`). */
const LABEL = 'cl?a?s{1,2}i?f{1,2}i?e?d\\s+by\\b';
// Not inside a word (`declassified by`), but maybe glued to a REF serial (`MANAMA 510Classified By`).
const MARKER = new RegExp(`(?<![A-Za-z])${LABEL}[ \\t]*:?`, 'i');
/**
 * `Classified By: (C) CLASSIFIED BY …`, `… This message classified by …`, `… CLASSIFIED
 * CONFIDENTIAL BY …`, and the label's `by` doubled (`Classified By: by CDA …`).
 */
const NESTED_MARKER = new RegExp(
  `^\\s*(?:(?:\\([A-Za-z/ ]{1,8}\\)\\s*)?(?:this\\s+message\\s+)?(?:${LABEL}|classified\\s+(?:confidential|secret)\\s+by\\b)|by\\b)[ \\t]*:?`,
  'i',
);
/** The line sits in the preamble or the first paragraph; later mentions are body text. */
const SEARCH_LIMIT = 6000;
const REGION_LIMIT = 400;
const BLANK_LINE = /\n[ \t]*\n/;

/** Words that end a name when written in capitals (`DCM ROBERT E. WHITEHEAD DUE TO 1,4`). */
const STOP = new Set([
  'derived',
  'for',
  'fo',
  'fr',
  'per',
  'under',
  'due',
  'based',
  'and',
  'e.o.',
  'eo',
  'e.o',
  'by',
  'on',
  'to',
  're',
]);
const PARTICLES = new Set([
  'de',
  'da',
  'del',
  'della',
  'di',
  'du',
  'van',
  'von',
  'der',
  'den',
  'la',
  'le',
  'st.',
]);
const SUFFIX = /^(?:jr|sr|ii|iii|iv)\.?$/i;
const REASONISH = /^(?:rea|reas|r?e?asons?|reason\(s\)|1[.,]\d?|12958)/i;
/** `Pflaumer`, `O'DONOHUE`, `B0HLEN`, and initials glued on: `C.GREENE`, `N.S.`. */
const NAME_WORD = /^(?:\p{Lu}\.){0,3}\p{Lu}[\p{L}0-9'’-]*\.?$/u;
const INITIAL = /^(?:[\p{Lu}0]\.?|(?:\p{Lu}\.){2,3})$/u;
/** Offices written in capitals (AIT, ISN, USDEL); longer capital words are more likely surnames. */
const ALL_CAPS = /^[A-Z]{2,5}\.?$/;
/** A redaction stands for the name. */
const REDACTED = /^X{4,}$/i;

interface Token {
  text: string;
  /** Whether a line break came right before the token (a wrap may have split a word there). */
  afterNewline: boolean;
}

function tokenize(region: string): Token[] {
  const out: Token[] = [];
  const re = /[(),;:]|[^\s(),;:]+/g;
  for (let m = re.exec(region); m; m = re.exec(region)) {
    const before = region.slice(Math.max(0, m.index - 4), m.index);
    out.push({ text: m[0], afterNewline: before.includes('\n') });
  }
  return out;
}

/** Whether a single token is a title word; `mixed` says the line is not written all in capitals. */
function isTitleWord(tok: string, mixed: boolean): boolean {
  if (REDACTED.test(tok)) return false;
  const k = key(tok);
  const bare = k.replace(/[.:]+$/, '');
  if (isOneWordTitle(k) || isOneWordTitle(bare)) return true;
  // Names never hold a slash or ampersand: `Pol/Econ`, `A/LEGATT`, `S/CT`, `EST&H`.
  if (/[/&]/.test(k) && /[a-z]/.test(k)) return true;
  if (bare.includes('-') && bare.split('-').every((p) => p !== '' && isTitleWord(p, mixed))) return true;
  // In a mixed-case line, names are capitalised words, so a word in capitals is an office (AIT, ISN).
  if (mixed && ALL_CAPS.test(tok) && !SUFFIX.test(bare)) return true;
  return isMisspeltTitle(bare) || isCompoundTitle(bare);
}

/** Length (in tokens) of the title phrase starting at `i`, or 0. */
function titleAt(toks: Token[], i: number, mixed: boolean): number {
  const t = toks[i];
  if (!t) return 0;
  const k = key(t.text);
  for (const p of TITLES.phrases.get(k) ?? []) {
    if (p.length > 1 && p.every((w, j) => toks[i + j] && key(toks[i + j]!.text) === w)) return p.length;
  }
  // A wrap may split a title word: `ECONOMIC AFFAIR \nS`, `Se \nction`.
  const next = toks[i + 1];
  if (next?.afterNewline && /^\p{L}+$/u.test(next.text) && isTitleWord(t.text + next.text, false)) return 2;
  return isTitleWord(t.text, mixed) ? 1 : 0;
}

/** Skips the title before a name; returns the index of the first token after it. */
function skipTitle(toks: Token[], i: number, mixed: boolean): { end: number; titles: number } {
  let titles = 0;
  while (i < toks.length) {
    const t = toks[i]!;
    if (/^[,:;?-]$|^[-–]+$/.test(t.text)) {
      i++;
      continue;
    }
    if (t.text === '(') {
      const close = toks.findIndex((x, j) => j > i && x.text === ')');
      if (close > i && close - i <= 4) {
        i = close + 1;
        continue;
      }
    }
    const n = titleAt(toks, i, mixed);
    if (n) {
      i += n;
      titles++;
      continue;
    }
    if (TITLES.glue.has(key(t.text))) {
      // `Counselor for for Economic and Political Affairs`: glue runs up to the next title word.
      let j = i + 1;
      while (j < toks.length && TITLES.glue.has(key(toks[j]!.text))) j++;
      if (titleAt(toks, j, mixed)) {
        i = j;
        continue;
      }
    }
    break;
  }
  return { end: i, titles };
}

/** Reads a name from `i`; returns it and the index after it. */
function readName(toks: Token[], i: number): { name: string; end: number } {
  const words: string[] = [];
  while (i < toks.length) {
    const t = toks[i]!;
    const k = key(t.text).replace(/\.$/, '');
    // `Blah \na,` — a wrap split the surname.
    if (
      words.length &&
      t.afterNewline &&
      /^\p{Ll}+[.]?$/u.test(t.text) &&
      !STOP.has(k) &&
      !(TITLES.glue.has(k) && k.length > 1) &&
      !PARTICLES.has(k) &&
      !REASONISH.test(t.text)
    ) {
      words[words.length - 1] += t.text;
      i++;
      if (t.text.endsWith('.')) break;
      continue;
    }
    if (t.text === ',' && words.length && SUFFIX.test(toks[i + 1]?.text ?? '')) {
      words[words.length - 1] += ',';
      words.push(toks[i + 1]!.text);
      i += 2;
      continue;
    }
    if (words.length && SUFFIX.test(t.text)) {
      words.push(t.text);
      i++;
      continue;
    }
    // A particle inside a name, or opening one after a title (`Ambassador van Voorst`).
    if (PARTICLES.has(key(t.text)) && NAME_WORD.test(toks[i + 1]?.text ?? '')) {
      words.push(t.text);
      i++;
      continue;
    }
    if (!NAME_WORD.test(t.text) && !INITIAL.test(t.text)) break;
    if (STOP.has(k) || REASONISH.test(t.text)) break;
    if (words.length && titleAt(toks, i, false) && !INITIAL.test(t.text)) break;
    words.push(t.text);
    i++;
    // A full stop ends the name, unless a stray one before an initial (`Anne. E. Derse`).
    const straysDot = INITIAL.test(toks[i]?.text ?? '') && NAME_WORD.test(toks[i + 1]?.text ?? '');
    if (t.text.endsWith('.') && !INITIAL.test(t.text) && !SUFFIX.test(t.text) && !straysDot) break;
  }
  return { name: words.join(' '), end: i };
}

function tidyName(name: string, normalize: boolean): string {
  let s = name
    .replace(/\s+/g, ' ')
    .replace(/[ \-:]+$/, '')
    .trim();
  if (s.endsWith('.') && !/JR\.$/i.test(s)) s = s.slice(0, -1);
  s = s.replace(NAME_FIX_RE, (m) => {
    const fix = NAME_FIX_LOOKUP.get(m.toLowerCase()) ?? m;
    return m === m.toUpperCase() && /[a-z]/i.test(m) ? fix.toUpperCase() : fix;
  });
  if (normalize) {
    s = s
      .replace(/0/g, 'O')
      .replace(/\p{L}+/gu, (w) => w[0]!.toUpperCase() + w.slice(1).toLowerCase())
      .replace(/\bIi+\b/g, (m) => m.toUpperCase());
  }
  return s;
}

/** The names of the region, in mixed- or capitals mode. */
function namesIn(toks: Token[], mixed: boolean, normalize: boolean): string[] {
  const names: string[] = [];
  const first = skipTitle(toks, 0, mixed);
  let { name, end } = readName(toks, first.end);
  if (!name) return names;
  // A name that runs into a title word was an unknown office (`Somalia Unit Counselor Bob
  // Patterson`, `T U/S Ellen O. Tauscher`): the official is the name after that title.
  while (end < toks.length && titleAt(toks, end, mixed) && !TITLES.glue.has(key(toks[end]!.text))) {
    const again = skipTitle(toks, end, mixed);
    const next = readName(toks, again.end);
    if (!next.name) break;
    ({ name, end } = next);
  }
  names.push(tidyName(name, normalize));
  // `AF KARL WYCOFF, ACTING AND S/CT DAS SHARI VILLAROSA`: a second official joined by AND.
  let i = end;
  while (i < toks.length && toks[i]!.text !== ';') {
    const t = toks[i]!;
    if (t.text === ',') {
      i++;
      continue;
    }
    const n = titleAt(toks, i, mixed);
    if (n && !TITLES.glue.has(key(t.text))) {
      i += n;
      continue;
    }
    if (/^(?:and|&)$/i.test(t.text)) {
      const second = skipTitle(toks, i + 1, mixed);
      if (second.titles === 0) break;
      const more = readName(toks, second.end);
      if (more.name) names.push(tidyName(more.name, normalize));
    }
    break;
  }
  return names;
}

const REASONS = /\b1\s?[.,]\s?[45]\b/;

const REASONS_END =
  /\.\s(?!\s*(?:and|&)\s)|\n\s*\n|\s\d{1,2}\.(?:\s|\(|[A-Z])|\s-{3,}|\s(?!(?:and|an|nd|or|reasons?|section|sec)\b)[A-Za-z]{2,}|$/i;
/**
 * A paragraph's marking after the reasons: `(S//NF)`, or `(C)` after reasons in lower case
 * (`1.4 (b) and (d) (C) HMG is…`).
 */
const TRAILING_MARKING =
  /\s*\([A-Z]{1,3}\/{1,2}[A-Z]{1,4}\)$|(?<=(?:\([a-h]\)|\b[b-h]\b).*)\s*\([A-Z]{1,3}\)$/;

function parseReasons(region: string): string | null {
  const m = REASONS.exec(region);
  if (!m) return null;
  const rest = region.slice(m.index, m.index + 80);
  // Reasons are letters, numbers and `and`: a word (`Summary`, `HMG`, `REF`) or a full stop ends
  // them, unless more reasons follow (`1.4 b. and d.`); so do a rule and a new paragraph.
  const end = REASONS_END.exec(rest.slice(3));
  const text = rest
    .slice(0, end ? end.index + 3 : rest.length)
    .replace(/\\/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/[ .;]+$/, '')
    .replace(TRAILING_MARKING, '')
    .trim();
  return text || null;
}

function region(text: string): string | null {
  const head = text.slice(0, SEARCH_LIMIT);
  const m = MARKER.exec(head);
  if (!m) return null;
  let rest = head.slice(m.index + m[0].length, m.index + m[0].length + REGION_LIMIT);
  for (let n = NESTED_MARKER.exec(rest); n; n = NESTED_MARKER.exec(rest)) rest = rest.slice(n[0].length);
  const blank = BLANK_LINE.exec(rest);
  if (blank) rest = rest.slice(0, blank.index);
  return (
    rest
      // Keeps the letter's case: a lower-case `d'` would make a line in capitals look mixed.
      .replace(/\bd(?:e\s*[,'’`\\]*|\s*[,'’`\\]+)\s*(?=af)/gi, (m) => `${m[0]}'`)
      .replace(/-(?=reas)/gi, ' ')
      .replace(/\bF0R\b/g, 'FOR')
  );
}

export function parseClassifiedBy(text: string, opts: { normalize?: boolean } = {}): ClassifiedBy {
  const reg = region(text);
  if (reg === null) return { names: [], reasons: null };
  const toks = tokenize(reg);
  const reasonAt = toks.findIndex((t) => REASONISH.test(t.text));
  const nameZone = toks.slice(0, reasonAt < 0 ? 12 : reasonAt);
  const mixed = nameZone.some((t) => /\p{Ll}/u.test(t.text));
  const normalize = opts.normalize === true;
  let names = namesIn(toks, mixed, normalize);
  // `Ambassador JOHN SMITH, reasons…`: a name in capitals inside a mixed-case line.
  if (names.length === 0 && mixed) names = namesIn(toks, false, normalize);
  return { names, reasons: parseReasons(reg) };
}
