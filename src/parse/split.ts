/**
 * Split a plain-text cable into its transmission header and its body. Sources such as a text
 * file hold both in one piece; the header is the routing block before the classification banner.
 */

// A header starts with one of these: the AMHS start-of-message, a precedence + date-time group,
// a routing line, the FM line, or the partial-extract notice that replaces lost headers.
const HEADER_START =
  /^(?:VZCZC|(?:[ZOPRM] ){0,3}[ZOPRM]? ?\d{6}Z [A-Z]{3} \d\d|DE RU|FM |From: |ORIGIN |PAGE 01 |This record is a partial extract)/;
const BANNER =
  /^(?:U?UNCLAS|UNCLASSIFIED|LIMITED OFFICIAL USE|(?:C )?O N F I D E N T I A L|(?:S )?E C R E T|CONFIDENTIAL|SECRET)\b/i;

export interface SplitText {
  header: string;
  body: string;
}

/**
 * The body begins at the classification banner. Without a banner, at the first blank line after
 * the address block (FM/TO/INFO) — headers have blank lines of their own before `DE RU…`.
 */
export function splitHeaderBody(text: string): SplitText {
  const firstLineEnd = text.indexOf('\n');
  const firstLine = (firstLineEnd < 0 ? text : text.slice(0, firstLineEnd)).trimStart();
  if (!HEADER_START.test(firstLine)) return { header: '', body: text };
  let blankAfterAddress = -1;
  // E-mail wrappers put a banner line before the real header; when an address block follows,
  // only a banner after it starts the body.
  const hasAddress = /\n(?:FM|TO) /.test(text.slice(0, 20000));
  let seenAddress = false;
  for (let pos = 0; pos < text.length; ) {
    const end = text.indexOf('\n', pos);
    const line = end < 0 ? text.slice(pos) : text.slice(pos, end);
    // Addressee lines are upper case; after the address block, prose (a media-partner dateline)
    // or a bare number (a pasted metadata record) starts the body too.
    const bodyStart =
      (BANNER.test(line) && (seenAddress || !hasAddress)) ||
      (seenAddress && (/[a-z]/.test(line) || /^\d+\s*$/.test(line)));
    if (pos > 0 && bodyStart) {
      // A blank line between header and banner is a separator, not part of either.
      const header = text.slice(0, pos - 1);
      return { header: header.endsWith('\n') ? header.slice(0, -1) : header, body: text.slice(pos) };
    }
    if (/^(?:FM|TO|INFO) /.test(line)) seenAddress = true;
    else if (seenAddress && blankAfterAddress < 0 && line.trim() === '') blankAfterAddress = pos;
    if (end < 0) break;
    pos = end + 1;
  }
  if (blankAfterAddress < 0) return { header: text, body: '' };
  const next = text.indexOf('\n', blankAfterAddress);
  return { header: text.slice(0, blankAfterAddress - 1), body: next < 0 ? '' : text.slice(next + 1) };
}
