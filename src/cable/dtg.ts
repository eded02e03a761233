/**
 * The date-time group of a message (`110944Z SEP 07`, ACP 121): day, hour and minute in UTC, month
 * and year. The one reader of DTGs for every layer: the source readers take the created minute
 * from it, the parser the header's group and its UTC instant.
 */
import type { DateTimeGroup } from './types.js';

/** The parts of a date-time group as written. */
export interface DtgParts {
  text: string;
  day: number;
  hour: number;
  minute: number;
  /** 1–12, or null when the three letters name no month. */
  month: number | null;
  /** The year as written: two or four digits. */
  year: string;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/** A header's group; partial extracts write the month in title case (`291359Z Nov 00`). */
const STRICT =
  /(?<![0-9A-Za-z])([0-9]{2})([0-9]{2})([0-9]{2})Z[ \t]+([A-Za-z]{3})[ \t]+([0-9]{4}|[0-9]{2})(?![0-9A-Za-z])/;
/** As the site records carry it: the space before and after `Z` may be missing (`281848ZDEC66`). */
const LOOSE =
  /(?<![0-9])([0-3][0-9])([0-2][0-9])([0-5][0-9]) ?Z ?(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC) ?([0-9]{2})(?![0-9])/;

/** The first date-time group in `text`, or null. `loose` reads the spacing the site records allow. */
export function findDtgParts(text: string, opts: { loose?: boolean } = {}): DtgParts | null {
  if (!text) return null;
  const m = (opts.loose ? LOOSE : STRICT).exec(text);
  if (!m) return null;
  const month = MONTHS.indexOf(m[4]!.toUpperCase()) + 1;
  return {
    text: m[0],
    day: Number(m[1]),
    hour: Number(m[2]),
    minute: Number(m[3]),
    month: month || null,
    year: m[5]!,
  };
}

/** The four-digit year of a DTG's two-digit year: the cable's own year (hint) decides the century. */
export function dtgYear(yy: number, yearHint?: number | null): number {
  if (yearHint != null && Number.isFinite(yearHint)) {
    // A DTG may fall in the year before the cable's (31 DEC).
    const century = Math.floor(yearHint / 100) * 100;
    let y = century + yy;
    if (y > yearHint + 50) y -= 100;
    else if (y < yearHint - 50) y += 100;
    return y;
  }
  // The release spans 1966–2010.
  return yy >= 66 ? 1900 + yy : 2000 + yy;
}

/** The UTC instant of a group, or null when it denotes no real time (31 SEP, hour 24…). */
export function dtgUtc(p: DtgParts, yearHint?: number | null): string | null {
  const year = p.year.length === 4 ? Number(p.year) : dtgYear(Number(p.year), yearHint);
  if (p.month === null || p.hour >= 24 || p.minute >= 60 || p.day < 1) return null;
  const d = new Date(Date.UTC(year, p.month - 1, p.day, p.hour, p.minute));
  if (d.getUTCDate() !== p.day || d.getUTCMonth() !== p.month - 1) return null;
  return isoMinute(d);
}

/** `d.toISOString()` without its `.000` milliseconds (d lies on a whole minute). */
function isoMinute(d: Date): string {
  const y = d.getUTCFullYear();
  // Formatting by hand is much cheaper; toISOString writes other years in its extended form.
  if (y < 0 || y > 9999) return d.toISOString().replace('.000Z', 'Z');
  const p2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);
  return `${String(y).padStart(4, '0')}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}T${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:00Z`;
}

/** The first date-time group of `text` as written, with its UTC instant. */
export function parseDtg(text: string, yearHint?: number | null): DateTimeGroup | null {
  const p = findDtgParts(text);
  return p ? { text: p.text, utc: dtgUtc(p, yearHint) } : null;
}
