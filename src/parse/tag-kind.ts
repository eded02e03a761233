/**
 * The kind of a TAGS entry, after the State Department TAGS Handbook: two-letter geographic
 * codes, `K…` program tags, four-letter subject tags, organisations, and person tags
 * (`LAST, FIRST`).
 */
import { readFileSync } from 'node:fs';
import type { TagKind } from '../cable/types.js';

function dataWords(name: string): Set<string> {
  const text = readFileSync(new URL(`./data/${name}`, import.meta.url), 'utf8');
  return new Set(
    text
      .split('\n')
      .map((l) => l.replace(/#.*/, '').trim())
      .flatMap((l) => l.split(/\s+/))
      .filter(Boolean),
  );
}

const SUBJECT_TAGS = dataWords('tag-subject.txt');
const ORG_TAGS = dataWords('tag-org.txt');

/** Kind of `tag`; `fallback` when no rule applies. The rules run in a fixed order. */
export function tagKind(tag: string, fallback: TagKind = 'unknown'): TagKind {
  if (typeof tag !== 'string') return fallback;
  if (tag.length === 2) return 'geo';
  if (tag.includes(',')) return 'person';
  const upper = tag.toUpperCase();
  if (tag.length === 4 && upper.startsWith('K')) return 'program';
  if (SUBJECT_TAGS.has(upper)) return 'subject';
  if (ORG_TAGS.has(upper)) return 'org';
  return fallback;
}
