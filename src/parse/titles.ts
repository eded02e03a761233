/**
 * The table of job titles, offices and ranks (data/titles.txt) that precede or follow an official's
 * name: on Classified-By lines (classified-by.ts) and on signature lines (signers.ts).
 */
import { readFileSync } from 'node:fs';

export interface TitleTable {
  /** First token → the phrases (token lists) starting with it, longest first. */
  phrases: Map<string, string[][]>;
  /** Words that are titles only between two title words (`Deputy Chief of Mission`). */
  glue: Set<string>;
  /** Long single-word titles, matched with one typo. */
  fuzzy: string[];
}

function loadTitles(): TitleTable {
  const phrases = new Map<string, string[][]>();
  const glue = new Set<string>();
  const fuzzy: string[] = [];
  const lines = readFileSync(new URL('./data/titles.txt', import.meta.url), 'utf8').split('\n');
  for (const line of lines) {
    const entry = line.trim();
    if (!entry || entry.startsWith('#')) continue;
    if (entry.startsWith('glue:')) {
      glue.add(key(entry.slice(5)));
      continue;
    }
    const words = entry.split(/\s+/).map(key);
    const list = phrases.get(words[0]!) ?? [];
    list.push(words);
    list.sort((a, b) => b.length - a.length);
    phrases.set(words[0]!, list);
    if (words.length === 1 && words[0]!.length >= 7 && /^[a-z'-]+$/.test(words[0]!)) fuzzy.push(words[0]!);
  }
  return { phrases, glue, fuzzy };
}

/** Comparison form of a token: lower case, `0` read as `O` (AMBASSAD0R), plain apostrophes. */
export function key(tok: string): string {
  let k = keyCache.get(tok);
  if (k === undefined) {
    k = tok.toLowerCase().replace(/0/g, 'o').replace(/[’`]/g, "'").replace(/\\/g, '');
    // Tokens repeat from cable to cable (titles, names); a bounded memo keeps memory flat.
    if (keyCache.size >= KEY_CACHE_SIZE) keyCache.clear();
    keyCache.set(tok, k);
  }
  return k;
}
const keyCache = new Map<string, string>();
const KEY_CACHE_SIZE = 20000;

export const TITLES = loadTitles();

/** Is the comparison form `k` (see `key`) a title of one word: `ambassador`, `dcm`? */
export function isOneWordTitle(k: string): boolean {
  return TITLES.phrases.get(k)?.some((p) => p.length === 1) ?? false;
}

function damerauAtMostOne(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/** A long title word with one typo (`ambassaor`, `counsleor`). */
export function isMisspeltTitle(bare: string): boolean {
  return bare.length >= 6 && /^[a-z'-]+$/.test(bare) && TITLES.fuzzy.some((f) => damerauAtMostOne(bare, f));
}

/** Title words written as one (`PolCouns`, `DepPolCouns`, `ECONMIN`): parts of three letters or more. */
export function isCompoundTitle(word: string, from = 0): boolean {
  if (from === 0 && (word.length < 6 || !/^[a-z]+$/.test(word))) return false;
  for (let end = word.length; end >= from + 3; end--) {
    const part = word.slice(from, end);
    if (!TITLES.phrases.get(part)?.some((p) => p.length === 1)) continue;
    if (end === word.length ? from > 0 : isCompoundTitle(word, end)) return true;
  }
  return false;
}
