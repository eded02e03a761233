/**
 * Split a plain-text cable into its transmission header and its body. Sources such as a text
 * file hold both in one piece; the header is the routing block before the classification banner.
 */

// A header starts with one of these: the AMHS start-of-message, a precedence + date-time group,
// a routing line, the FM line, or the partial-extract notice that replaces lost headers.
const HEADER_START =
  /^(?:VZCZC|(?:[ZOPRM] ){0,3}[ZOPRM]? ?\d{6}Z [A-Z]{3} \d\d|DE RU|FM |This record is a partial extract)/;
const BANNER =
  /^(?:UNCLAS|UNCLASSIFIED|LIMITED OFFICIAL USE|C ?O ?N ?F ?I ?D ?E ?N ?T ?I ?A ?L|S ?E ?C ?R ?E ?T|CONFIDENTIAL|SECRET)\b/i;

export interface SplitText {
  header: string;
  body: string;
}

export function splitHeaderBody(text: string): SplitText {
  const firstLineEnd = text.indexOf('\n');
  const firstLine = (firstLineEnd < 0 ? text : text.slice(0, firstLineEnd)).trimStart();
  if (!HEADER_START.test(firstLine)) return { header: '', body: text };
  let pos = 0;
  while (pos < text.length) {
    const end = text.indexOf('\n', pos);
    const line = end < 0 ? text.slice(pos) : text.slice(pos, end);
    if (pos > 0 && (line.trim() === '' || BANNER.test(line))) {
      // The separator (a newline, plus a blank line if that is what ended the header) belongs
      // to neither part, so header + '\n' + body rebuilds simple files.
      const header = text.slice(0, pos - 1);
      const body = line.trim() === '' ? text.slice(end < 0 ? text.length : end + 1) : text.slice(pos);
      return { header, body };
    }
    if (end < 0) break;
    pos = end + 1;
  }
  return { header: text, body: '' };
}
