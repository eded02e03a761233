/**
 * Transmission header of a cable: transmission ID, precedence, date-time group, originator and
 * addressees. Headers come in AMHS form (`VZCZC…`, `DE RUEHLO #2178 2611508`, `O 181508Z SEP 09`),
 * old form (`P R 281848Z DEC 66`), MRN printouts of partial extracts, and e-mail forwards.
 */
import { readFileSync } from 'node:fs';
import type { Cable, DateTimeGroup, Precedence } from '../cable/types.js';
import { parseAddressees } from './recipients.js';

/** The header's share of a `Cable`. */
export type Header = Pick<
  Cable,
  'transmissionId' | 'precedence' | 'dtg' | 'from' | 'recipients' | 'infoRecipients'
>;

const MONTHS: Readonly<Record<string, number>> = {
  JAN: 1,
  FEB: 2,
  MAR: 3,
  APR: 4,
  MAY: 5,
  JUN: 6,
  JUL: 7,
  AUG: 8,
  SEP: 9,
  OCT: 10,
  NOV: 11,
  DEC: 12,
};

/** Precedence prosigns of the DTG line (ACP 121): the first one is the action precedence. */
const PROSIGNS: Readonly<Record<string, Precedence>> = {
  Z: 'FLASH',
  O: 'IMMEDIATE',
  P: 'PRIORITY',
  R: 'ROUTINE',
};

/** `110944Z SEP 07`; partial extracts write the month in title case (`291359Z Nov 00`). */
const DTG =
  /(?<![0-9A-Za-z])([0-9]{2})([0-9]{2})([0-9]{2})Z[ \t]+([A-Za-z]{3})[ \t]+([0-9]{4}|[0-9]{2})(?![0-9A-Za-z])/;
const DTG_LINE = /((?:[ZOPR][ \t]+){1,2})?[0-9]{6}Z[ \t]+[A-Za-z]{3}[ \t]+[0-9]{2}/y;
const TRANSMISSION_ID = /^(VZCZC[A-Z0-9]+)/m;
const FROM = /^FM[ \t]+(\S.*?)[ \t]*$/m;

function twoDigitYear(yy: number, yearHint?: number | null): number {
  if (yearHint != null && Number.isFinite(yearHint)) {
    // The cable's own year decides the century; a DTG may fall in the previous year (31 DEC).
    const century = Math.floor(yearHint / 100) * 100;
    let y = century + yy;
    if (y > yearHint + 50) y -= 100;
    else if (y < yearHint - 50) y += 100;
    return y;
  }
  // The release spans 1966–2010.
  return yy >= 66 ? 1900 + yy : 2000 + yy;
}

/**
 * Parses the first date-time group in `text`. `utc` is null when the group does not denote a
 * real time (day 31 of a 30-day month, hour 24…).
 */
export function parseDtg(text: string, yearHint?: number | null): DateTimeGroup | null {
  if (!text) return null;
  const m = DTG.exec(text);
  if (!m) return null;
  const [whole, dd, hh, mi, mon, yy] = m;
  const month = MONTHS[mon!.toUpperCase()];
  const day = Number(dd);
  const hour = Number(hh);
  const minute = Number(mi);
  const year = yy!.length === 4 ? Number(yy) : twoDigitYear(Number(yy), yearHint);
  let utc: string | null = null;
  if (month !== undefined && hour < 24 && minute < 60 && day >= 1) {
    const t = Date.UTC(year, month - 1, day, hour, minute);
    const d = new Date(t);
    if (d.getUTCDate() === day && d.getUTCMonth() === month - 1) utc = isoMinute(d);
  }
  return { text: whole, utc };
}

/** `d.toISOString()` without its `.000` milliseconds (d lies on a whole minute). */
function isoMinute(d: Date): string {
  const y = d.getUTCFullYear();
  // Formatting by hand is much cheaper; toISOString writes other years in its extended form.
  if (y < 0 || y > 9999) return d.toISOString().replace('.000Z', 'Z');
  const p2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);
  return `${String(y).padStart(4, '0')}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}T${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:00Z`;
}

/** Precedence from the prosigns before the DTG (`O P 190243Z DEC 89` → IMMEDIATE). */
export function parsePrecedence(header: string): Precedence | null {
  // The pattern never crosses a newline, so trying it at each line start of the header is the
  // same as trying it on each line, without splitting the header.
  for (let at = 0; at <= header.length; ) {
    DTG_LINE.lastIndex = at;
    const m = DTG_LINE.exec(header);
    if (m) return m[1] ? (PROSIGNS[m[1].trim().charAt(0)] ?? null) : null;
    const nl = header.indexOf('\n', at);
    if (nl < 0) break;
    at = nl + 1;
  }
  return null;
}

export function parseTransmissionId(header: string): string | null {
  return TRANSMISSION_ID.exec(header)?.[1] ?? null;
}

export function parseFrom(header: string): string | null {
  const m = FROM.exec(header);
  return m ? m[1]!.replace(/\s+/g, ' ') : null;
}

export function parseHeader(header: string, yearHint?: number | null): Header {
  const text = header ?? '';
  const { to, info } = parseAddressees(text);
  return {
    transmissionId: parseTransmissionId(text),
    precedence: parsePrecedence(text),
    dtg: parseDtg(text, yearHint),
    from: parseFrom(text),
    recipients: to,
    infoRecipients: info,
  };
}

/** Routing indicator → station (`RUEHBU` → `AMEMBASSY BUENOS AIRES`), from cablemap's table. */
const ROUTES: ReadonlyMap<string, string> = loadRoutes();

function loadRoutes(): Map<string, string> {
  const map = new Map<string, string>();
  const text = readFileSync(new URL('./data/routing-indicators.csv', import.meta.url), 'utf8');
  for (const line of text.split('\n')) {
    const comma = line.indexOf(',');
    if (comma <= 0) continue;
    const route = line.slice(0, comma).trim();
    let name = line.slice(comma + 1).trim();
    if (name.startsWith('"') && name.endsWith('"')) name = name.slice(1, -1);
    // Some indicators are listed twice with different stations; the first listing wins.
    if (!map.has(route)) map.set(route, name);
  }
  return map;
}

export function decodeRoute(route: string): string | null {
  return ROUTES.get(route.trim().toUpperCase()) ?? null;
}
