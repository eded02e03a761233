/**
 * The summary paragraph(s): from a `SUMMARY:` heading (or the first paragraph) to `END SUMMARY`,
 * or, without an end marker, the `SUMMARY:` paragraph alone.
 *
 * Whitespace: line breaks are kept as written (`On 28 July 2008\n…`), one newline for a run of
 * blank lines; spaces are collapsed; paragraph numbers and rules of dashes are dropped.
 */
const END_SUMMARY = /\bEND[ \t]*\r?\n?[ \t]*(?:OF[ \t]+)?SUMMARY/i;
const START_SUMMARY =
  /\bSUMMARY(?:[ \t]+AND[ \t]+(?:COMMENT|ACTION[ \t]+REQUEST|INTRODUCTION|TABLE[ \t]+OF[ \t]+CONTENTS))?(?=[ \t]*[-:.\r\n])[ \t\-:.\r\n]*/gi;
const OPEN_SUMMARY = /\bSUMMARY[ \t]*[:.][ \t]*/i;
const OPEN_END = /\n[ \t]*\r?\n|\bEND[ \t]+SUMMARY|----/i;
const FIRST_PARAGRAPH = /\n[ \t]*¶?1\.[ \t]*\([^)\n]{1,20}\)[ \t]*/;

function start(text: string, before: number): number | null {
  START_SUMMARY.lastIndex = 0;
  for (let m = START_SUMMARY.exec(text); m && m.index < before; m = START_SUMMARY.exec(text)) {
    if (!/END[ \t]*\r?\n?[ \t]*$/i.test(text.slice(Math.max(0, m.index - 6), m.index)))
      return m.index + m[0].length;
  }
  const p = FIRST_PARAGRAPH.exec(text.slice(0, before));
  return p ? p.index + p[0].length : null;
}

/** A portion marking: `(C)`, `(S/NF)`, `(C/REL NATO and AUS)`, in lower case too (`(c)`, `(sbu)`). */
const MARKING =
  /^\((?:[A-Z]{1,4}(?:[/ -]{1,2}[A-Z]{1,8}|[ \t]+and[ \t]+[A-Z]{1,8})*|[a-z]{1,3}(?:\/[a-z]{1,2})?|[CSU]\/{1,2}Rel[ A-Za-z,/]{0,20})\)[ \t]*/;
/**
 * The heading repeated after the paragraph number: `1. (C) Summary:`, `Summary/Introduction:`,
 * `SUMMARY, COMMENT, AND ACTION REQUEST:`, or a capitals `SUMMARY` run into the text.
 */
const HEADING =
  /^Summary(?:[ \t]*(?:\/|,|and)[ \t]*(?:and[ \t]+)?(?:introduction|comment|background|action[ \t]+requests?))*[ \t]*[:.][ \t]*/i;
const CAPS_HEADING = /^SUMMARY[ \t]+(?=[A-Z][a-z])/;
const PARAGRAPH = /(?:^|\n)[ \t]*¶?\d{1,2}\.[ \t]*(?:\([A-Z/ -]{1,12}\)[ \t]*)?(?=\S)/g;

function tidy(raw: string): string {
  let s = raw;
  for (let prev = ''; prev !== s; ) {
    prev = s;
    s = s
      .replace(/^\s+/, '')
      .replace(MARKING, '')
      .replace(/^1\.[ \t]*Summary[ \t]*:?[ \t]*/i, '')
      .replace(HEADING, '')
      .replace(CAPS_HEADING, '')
      .replace(/^¶?\d{1,2}\.(?=[ \t(])[ \t]*/, '')
      .replace(/^(?:and action request|and comment)\.[ \t]*/i, '');
  }
  // Rules of dashes or equals signs decorate headings; they are not part of the text.
  s = s.replace(/[=]{3,}|-{3,}/g, ' ').replace(PARAGRAPH, (m) => (m.startsWith('\n') ? '\n' : ''));
  // Line breaks are kept as written, blank lines and the spaces around a break are not.
  return s
    .split(/\r?\n/)
    .map((l) =>
      l
        .replace(/[ \t]+/g, ' ')
        .replace(/\\$/, '')
        .trim(),
    )
    .filter(Boolean)
    .join('\n');
}

/**
 * Where the summary lies in `text`: `[from, to)`, and how many characters precede `from` on its
 * line (archives keep this span instead of the text; the tidying no longer needs the third part).
 */
export type SummarySpan = [from: number, to: number, prefix: number];

export function summarySpan(text: string): SummarySpan | null {
  const end = END_SUMMARY.exec(text);
  let from: number | null;
  let to: number;
  if (end) {
    from = start(text, end.index);
    to = end.index;
  } else {
    const open = OPEN_SUMMARY.exec(text);
    if (!open) return null;
    from = open.index + open[0].length;
    const stop = OPEN_END.exec(text.slice(from));
    to = stop ? from + stop.index : text.length;
  }
  if (from === null || from > to) return null;
  return [from, to, from - (text.lastIndexOf('\n', from - 1) + 1)];
}

/** The summary text at a span of `text`. */
export function summaryAt(text: string, [from, to]: SummarySpan): string | null {
  return tidy(text.slice(from, to)) || null;
}

export function parseSummary(text: string): string | null {
  const span = summarySpan(text);
  return span ? summaryAt(text, span) : null;
}
