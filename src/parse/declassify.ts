/**
 * The declassification date of the `E.O. 12958: DECL: 09/10/2027` line. Real cables spell the
 * line many ways (`EO 12958 decl 6/3/08`, `E.0. 12958`, `E.O. 13526`, `DECL:11/15/17`), so the
 * executive-order part is optional and only the `DECL` keyword anchors the match.
 */
const DECL_MDY = /\bDECL(?:ASSIFY(?:\s+ON)?)?\b[ \t]*:?[ \t]*(\d{1,2})\/(\d{1,2})\/(\d{2,4})(?!\d)/i;
/** Newer cables write ISO-like dates: `DECL: 2019/09/22`. */
const DECL_YMD = /\bDECL(?:ASSIFY(?:\s+ON)?)?\b[ \t]*:?[ \t]*(\d{4})\/(\d{1,2})\/(\d{1,2})(?!\d)/i;
const ANY_YMD = /\b(\d{4})\/(\d\d)\/(\d\d)\b/;
/** The DECL line sits in the preamble; an ISO-like date further down is body text, not a deadline. */
const PREAMBLE = 5000;

function isoDate(year: string, month: string, day: string): string | null {
  const y = year.length === 4 ? Number(year) : 2000 + Number(year);
  const m = Number(month);
  const d = Number(day);
  if (m < 1 || m > 12 || d < 1 || d > 31) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** `E.O. 12958: DECL: 09/10/2027` → `2027-09-10`. */
export function parseDeclassifyOn(text: string): string | null {
  const head = text.slice(0, PREAMBLE);
  const mdy = DECL_MDY.exec(head);
  if (mdy) return isoDate(mdy[3]!, mdy[1]!, mdy[2]!);
  const ymd = DECL_YMD.exec(head) ?? ANY_YMD.exec(head);
  if (ymd) return isoDate(ymd[1]!, ymd[2]!, ymd[3]!);
  return null;
}
