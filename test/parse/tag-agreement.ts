import { parseTags } from '../../src/parse/tags.js';

/**
 * Classifies how our tags for a real cable compare with the tags the Cablegate site linked.
 * Any class other than `exact`, `order` and `other` is a documented normalisation:
 *
 * - dedupe: the site linked repeated tags (`OPRC OPRC`, a TAGS line repeated on page 2);
 * - multiword: the site linked each word of a multi-word or person tag (`HUMAN` `RIGHTS`);
 * - glued: the site linked glued tags as one (`ITPHUM`), we split them into known tags;
 * - fix: a typo / retired code mapped by tag-fixes.json (`RU` → `RS`, `MOPPS` → `MOPS`);
 * - continuation: the site linked only the first line of a wrapped TAGS list.
 */
const eq = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const dedupe = (a: string[]) => [...new Set(a)];

export function classifyTagAgreement(site: string[], ours: string[]): string {
  if (eq(site, ours)) return 'exact';
  // Each normalisation the parser applies, tried on the site's own tokens.
  const d = dedupe(site);
  if (eq(d, ours)) return 'dedupe';
  const viaParser = parseTags(`TAGS: ${site.join(' ')}`).tags;
  const raw = dedupe(parseTags(`TAGS: ${site.join(' ')}`, { canonicalize: false }).tags);
  if (eq(viaParser, ours)) {
    const classes: string[] = [];
    if (raw.length !== d.length) classes.push('multiword');
    if (raw.some((t) => /^[A-Z]{5,}$/.test(t) && !viaParser.includes(t))) classes.push('glued');
    if (classes.length === 0) classes.push('fix');
    return classes.join('+');
  }
  if (ours.length > viaParser.length && eq(ours.slice(0, viaParser.length), viaParser)) return 'continuation';
  // A multi-word tag wrapped onto the next line (`COUNTRY\nCLEARANCE`): the site linked its first word.
  const head = viaParser.slice(0, -1);
  const last = viaParser[viaParser.length - 1] ?? '';
  const wrapped = ours[head.length];
  if (eq(ours.slice(0, head.length), head) && wrapped?.startsWith(`${last} `)) return 'continuation';
  const siteSet = new Set(viaParser);
  if (ours.length > 0 && ours.every((t) => siteSet.has(t)) && viaParser.every((t) => ours.includes(t))) {
    return 'order';
  }
  return 'other';
}

export const isDocumentedTagAgreement = (cls: string): boolean => cls !== 'other' && cls !== 'order';
