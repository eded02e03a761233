/**
 * Title case for the upper-case subject lines of cables: `PM BROWN DOES THE UNEXPECTED` →
 * `PM Brown Does the Unexpected`. Acronyms stay upper-case (a data list derived from the cables),
 * surnames keep their joined particle (`McCain`), small words are lower-cased inside the title,
 * every other word is capitalised after each non-letter (`DUAL-USE` → `Dual-Use`), and the part
 * after an apostrophe is lower-cased once the word has begun (`DRIVER'S` → `Driver's`, but
 * `D'IVOIRE` → `D'Ivoire`).
 */
import { readFileSync } from 'node:fs';

function dataWords(name: string): string[] {
  return readFileSync(new URL(`./data/${name}`, import.meta.url), 'utf8')
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .flatMap((l) => l.split(/\s+/))
    .filter(Boolean);
}

const ACRONYMS = new Set([...dataWords('titlefy-acronyms.txt'), ...dataWords('titlefy-acronyms-extra.txt')]);
const SPECIAL_WORDS: Record<string, string> = JSON.parse(
  readFileSync(new URL('./data/titlefy-special-words.json', import.meta.url), 'utf8'),
) as Record<string, string>;
/** Surnames with a joined particle, as the cables' prose writes them (`MCCAIN` → `McCain`). */
const NAMES = new Map(
  readFileSync(new URL('./data/titlefy-names.txt', import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split(' ') as [string, string]),
);

const SMALL_WORDS = new Set(
  'a an and as at but by en for if in of on or the to v. via vs.'.split(' ').map((w) => w.toUpperCase()),
);

const ORDINAL_RE = /^(\W*)(\d+(?:ST|ND|RD|TH))(\W*)$/i;
const REDACTED_RE = /^\W*XX+\W*$/i;
const PAREN_ACRONYM_RE = /^\([A-Z]{2,}\)\W*$/;
/** Leading and trailing punctuation around the word proper. */
const AFFIX_RE = /^([^\p{L}\p{N}]*)(.*?)([^\p{L}\p{N}]*)$/u;
const LETTER_RE = /\p{L}/u;

/** Python's str.title(): upper-case a letter after a non-letter, lower-case the others. */
function pythonTitle(s: string): string {
  let out = '';
  let prevLetter = false;
  for (const ch of s) {
    const isLetter = LETTER_RE.test(ch);
    out += isLetter ? (prevLetter ? ch.toLowerCase() : ch.toUpperCase()) : ch;
    prevLetter = isLetter;
  }
  return out;
}

/** `DRIVER'S` → `Driver's`, `PNG'ing`; a one-letter prefix (`D'Ivoire`, `O'Neill`) keeps the capital. */
function lowerAfterApostrophe(s: string): string {
  return s.replace(/(\p{L}{2,})(['’])(\p{L}+)/gu, (_m, head: string, apo: string, tail: string) => {
    return head + apo + tail.toLowerCase();
  });
}

/** One part of a word (words are split at `-` and `/`). */
function titlePart(part: string): string {
  const m = AFFIX_RE.exec(part);
  const lead = m?.[1] ?? '';
  const core = m?.[2] ?? part;
  const trail = m?.[3] ?? '';
  const upper = core.toUpperCase();
  const special = SPECIAL_WORDS[upper];
  if (special) return lead + special + trail;
  if (ACRONYMS.has(upper)) return lead + upper + trail;
  const name = /^(\p{L}+)(['’]S)?$/u.exec(upper);
  const written = name ? NAMES.get(name[1]!) : undefined;
  if (written) return lead + written + (name![2]?.toLowerCase() ?? '') + trail;
  const apo = /^(\p{L}+)(['’])(\p{L}+)$/u.exec(core);
  if (apo && ACRONYMS.has((apo[1] ?? '').toUpperCase())) {
    return lead + (apo[1] ?? '').toUpperCase() + (apo[2] ?? '') + (apo[3] ?? '').toLowerCase() + trail;
  }
  return lowerAfterApostrophe(pythonTitle(part));
}

function titleWord(word: string, inTitle: boolean): string {
  const upper = word.toUpperCase();
  const special = SPECIAL_WORDS[upper];
  if (special) return special;
  if (inTitle && SMALL_WORDS.has(upper)) return word.toLowerCase();
  const ordinal = ORDINAL_RE.exec(word);
  if (ordinal) return word.toLowerCase();
  if (REDACTED_RE.test(word) || PAREN_ACRONYM_RE.test(upper)) return upper;
  const stripped = AFFIX_RE.exec(word)?.[2] ?? word;
  if (ACRONYMS.has(stripped.toUpperCase())) return word.toUpperCase();
  // Compounds are cased part by part: `US-EU`, `UK-Based`, `DROC--Vatican`, `Afghanistan/Yemen`.
  return word
    .split(/(-+|\/)/)
    .map((p, i) => (i % 2 === 1 ? p : titlePart(p)))
    .join('');
}

/** Title-case an upper-case subject line, keeping acronyms. */
export function titlefy(text: string): string {
  if (typeof text !== 'string') return '';
  const pieces = text.split(/(\s+)/);
  let prevWord = '';
  let out = '';
  for (const piece of pieces) {
    if (piece === '' || /^\s+$/.test(piece)) {
      out += piece;
      continue;
    }
    const inTitle = prevWord !== '' && !/[:-]$/.test(prevWord);
    out += titleWord(piece, inTitle);
    prevWord = piece;
  }
  return out;
}
