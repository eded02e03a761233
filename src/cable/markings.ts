/** Paragraph markings in one spelling each, as filters and facets compare them. */

/** `S//NF`, `s/noforn`, `S / NF` → `S/NF`. */
export function normalizeMarking(m: string): string {
  return m
    .normalize('NFKC')
    .toUpperCase()
    .replace(/NOFORN/g, 'NF')
    .replace(/\s*\/+\s*/g, '/')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The distinct normalised markings of a cable's paragraphs. */
export function cableMarkings(markings: Iterable<string | null>): string[] {
  const out = new Set<string>();
  for (const m of markings) {
    const n = m === null ? '' : normalizeMarking(m);
    if (n) out.add(n);
  }
  return [...out];
}
