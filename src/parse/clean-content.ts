/**
 * Remove boilerplate from body text so that only the prose remains: paragraph numbers and their
 * classification markings, section rules, page headers of multi-page cables, SUMMARY/COMMENT
 * headings and end marks, SIPDIS lines, and `XXXX` redactions. One pass of one regex.
 */
const BOILERPLATE = new RegExp(
  [
    // `1. (C) `, `3. (SBU/N) `, `2. (C - ENTIRE TEXT) `, and the malformed `1. C) `
    '^[ \\t]*¶?\\d{1,3}\\.[ \\t]*(?:\\([^)\\n]{1,25}\\)|[A-Z]{1,4}(?:/[A-Z]{1,4})?\\))[ \\t]*',
    // page header of a multi-page cable, with the blank lines around it
    "^[ \\t]*[A-Z][A-Z .'-]{0,24}?[ \\t]+\\d{3,}[ \\t]+\\d{3}(?:\\.\\d)?[ \\t]+OF[ \\t]+\\d+\\s*",
    // section rules
    '[-=_/#*]{3,}|\\.{4,}',
    // a bare paragraph number
    '^[ \\t]*¶?\\d{1,3}\\.[ \\t]+',
    '\\b(?:END[ \\t]+)?SUMMARY(?:[ \\t]+AND[ \\t]+(?:COMMENT|ACTION[ \\t]+REQUEST))?\\b[:.]?[ ]?',
    '\\b(?:END[ \\t]+)?COMMENT\\b[:.]?[ ]?',
    // a SIPDIS line, with the blank line before it
    '^\\s*SIPDIS[ \\t]*(?:\\n|$)',
    'x{2,}',
  ].join('|'),
  'gim',
);

export function cleanContent(text: string): string {
  return text.replace(BOILERPLATE, '');
}
