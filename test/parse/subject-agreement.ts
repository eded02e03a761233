/**
 * Classifies how our subject for a real cable compares with the site's <h3> subject. The h3 is the
 * site's own extraction, so besides `agree` several classes are documented faults of the h3, not
 * of our parser (see isDocumentedSubjectAgreement).
 */
export const normalizeSubject = (s: string) =>
  s
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/\\/g, '')
    .replace(/\s+/g, ' ')
    .trim();

/** Why our subject does not begin with the h3, tried from the most to the least benign. */
export function classifySubjectAgreement(ours: string, h3: string): string {
  if (h3 === '') return ours === '' ? 'agree' : 'h3-empty';
  if (ours.startsWith(h3)) return ours.length > h3.length + 80 ? 'agree-ours-much-longer' : 'agree';
  if (/^[a-z]+>/.test(h3)) return 'h3-html-residue';
  if (ours === '') return 'ours-empty';
  // The site drops a leading `(` or quote; with a portion marking, that leaves `C) `, which
  // clean=true removes from our subject.
  const unquoted = (x: string) => x.replace(/^["“([]+/, '');
  let h = unquoted(h3);
  let cls = 'h3-drops-leading-punct';
  const unmarked = h.replace(/^[A-Za-z/]{1,8}\) /, '');
  if (unmarked !== h) {
    h = unmarked;
    cls = 'h3-marking';
  }
  const o = unquoted(ours);
  if (o.startsWith(h)) return cls;
  // The site's h3 runs on over the end of the subject into the next preamble element.
  if (h.startsWith(o)) {
    const rest = h.slice(o.length).trimStart();
    if (/^(REF|Classified|SENSITIVE|---|[A-Z ]+ \d{5,} +\d{3}|\(|[0-9]+\.)/i.test(rest)) return 'h3-runs-on';
    return 'ours-shorter';
  }
  if (o.toUpperCase().startsWith(h.toUpperCase())) return 'case-only';
  return 'different';
}

/** Classes where the h3 itself is at fault (runs on, keeps a marking, drops punctuation, is empty or has HTML residue). */
const DOCUMENTED = new Set([
  'agree',
  'agree-ours-much-longer',
  'h3-runs-on',
  'h3-marking',
  'h3-drops-leading-punct',
  'h3-empty',
  'h3-html-residue',
]);
export const isDocumentedSubjectAgreement = (cls: string): boolean => DOCUMENTED.has(cls);
