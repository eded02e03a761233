/**
 * The summary paragraph(s): from a `SUMMARY:` heading (or the first paragraph) to `END SUMMARY`,
 * or, without an end marker, the `SUMMARY:` paragraph alone.
 *
 * Whitespace: line wraps become spaces, but deliberate line structure is kept as single newlines:
 * a blank line between paragraphs, a line break before a `--` bullet, or after a short line that
 * is not a wrap (`On 28 July 2008\n…`). A new numbered paragraph joins with a space, since its
 * number is removed.
 */
const END_SUMMARY = /\bEND[ \t]*\r?\n?[ \t]*(?:OF[ \t]+)?SUMMARY/i;
const START_SUMMARY =
  /\bSUMMARY(?:[ \t]+AND[ \t]+(?:COMMENT|ACTION[ \t]+REQUEST|INTRODUCTION|TABLE[ \t]+OF[ \t]+CONTENTS))?(?=[ \t]*[-:.\r\n])[ \t\-:.\r\n]*/gi;
const OPEN_SUMMARY = /\bSUMMARY[ \t]*[:.][ \t]*/i;
const OPEN_END = /\n[ \t]*\r?\n|\bEND[ \t]+SUMMARY|----/i;
const FIRST_PARAGRAPH = /\n[ \t]*¶?1\.[ \t]*\([^)\n]{1,20}\)[ \t]*/;
/** A line at least this long that breaks without punctuation is a wrap of a fixed-width text. */
const WRAP_WIDTH = 50;

function start(text: string, before: number): number | null {
  START_SUMMARY.lastIndex = 0;
  for (let m = START_SUMMARY.exec(text); m && m.index < before; m = START_SUMMARY.exec(text)) {
    if (!/END[ \t]*\r?\n?[ \t]*$/i.test(text.slice(Math.max(0, m.index - 6), m.index)))
      return m.index + m[0].length;
  }
  const p = FIRST_PARAGRAPH.exec(text.slice(0, before));
  return p ? p.index + p[0].length : null;
}

const MARKING = /^\((?:[A-Z]{1,4}(?:[/ -]{1,2}[A-Z]{1,8})*)\)[ \t]*/;
const PARAGRAPH = /(?:^|\n)[ \t]*¶?\d{1,2}\.[ \t]*(?:\([A-Z/ -]{1,12}\)[ \t]*)?(?=\S)/g;

function tidy(raw: string, firstLinePrefix: number): string {
  let s = raw;
  for (let prev = ''; prev !== s; ) {
    prev = s;
    s = s
      .replace(/^\s+/, '')
      .replace(MARKING, '')
      .replace(/^1\.[ \t]*Summary[ \t]*:?[ \t]*/i, '')
      .replace(/^¶?\d{1,2}\.(?=[ \t(])[ \t]*/, '')
      .replace(/^(?:and action request|and comment)\.[ \t]*/i, '');
  }
  s = s.replace(/[=]{3,}|-{3,}/g, ' ').replace(PARAGRAPH, ' \u0000');
  // Decide line by line whether a line break is kept.
  const lines = s.includes('\r') ? s.split(/\r?\n/) : s.split('\n');
  let out = '';
  let pendingBlank = false;
  let prevLen = firstLinePrefix;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const len = (i === 0 ? prevLen : 0) + line.length;
    if (line.trim() === '') {
      if (out) pendingBlank = true;
      continue;
    }
    if (out) {
      const newPara = line.trimStart().startsWith('\u0000');
      const bullet = /^[ \t]*(?:--|-[ \t]|\*|•)/.test(line);
      const deliberate = pendingBlank || bullet || prevLen < WRAP_WIDTH;
      out += newPara || !deliberate ? ' ' : '\n';
    }
    out += line;
    pendingBlank = false;
    prevLen = len;
  }
  // Same as replacing `[ \t]+` by a space and ` ?\n ?` by `\n`, but leaves the (many) single
  // spaces and bare newlines alone instead of rewriting each of them.
  return out
    .replace(/\u0000/g, ' ')
    .replace(/ [ \t]+|\t[ \t]*/g, ' ')
    .replace(/ \n ?|\n /g, '\n')
    .trim();
}

/**
 * Where the summary lies in `text`: `[from, to)`, and how many characters precede `from` on its
 * line (the tidying judges line wraps by length). The archive keeps this span instead of the text.
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
export function summaryAt(text: string, [from, to, prefix]: SummarySpan): string | null {
  return tidy(text.slice(from, to), prefix) || null;
}

export function parseSummary(text: string): string | null {
  const span = summarySpan(text);
  return span ? summaryAt(text, span) : null;
}
