/**
 * Canonical cable IDs: `YY` + STATION + SERIAL (`09STATE126780`), the station upper-case without
 * spaces, the serial without leading zeros. The release and the REF blocks write IDs and stations
 * in many broken ways: SECTION-line debris (`08SECTIN03OF03KABUL3036`), banner words glued to the
 * station (`08EFTOLONDON2883`), a doubled year (`7575LIBREVILLE1895`), junk after the serial
 * (`90STATE255577TOSEC140323`), misspelt stations (`07SOIA828`), abbreviations (`05RIO123`).
 *
 * Stations are resolved by stations.ts against the stations of the release in the ID's year, so
 * the tables here only hold facts no rule can find (data/malformed-ids.json).
 */
import { readFileSync } from 'node:fs';
import { resolveStation } from './stations.js';

export { editCost, isRealStation, normalizeStationName, resolveStation } from './stations.js';

const MALFORMED_IDS = new Map(
  Object.entries(
    JSON.parse(readFileSync(new URL('./data/malformed-ids.json', import.meta.url), 'utf8')) as Record<
      string,
      string
    >,
  ).filter(([k]) => !k.startsWith('_')),
);
const CACHE_LIMIT = 50000;

/** Two-digit year → four-digit year (66–99 → 19xx, 00–65 → 20xx). */
export function fullYear(yy: number): number {
  return yy >= 66 ? 1900 + yy : 2000 + yy;
}

/** The parts of a canonical-looking ID. */
export interface IdParts {
  year: string;
  station: string;
  serial: string;
}

// The doubled year of `7575LIBREVILLE1895`.
const DOUBLED_YEAR_RE = /^(\d\d)\1(?=[A-Z])/;
const FULL_YEAR_RE = /^(?:19[6-9]\d|20[01]\d)(?=[A-Z])/;
// A SECTION line read into the ID: `SECTIN03OF03`, `SECTIOQ1OF06`, `SECTION01GF02`, `01OF02`.
const SECTION_DEBRIS_RE = /^(?:[SECTIONQK]{3,8})?[0-9Q]{1,2}[A-Z]{1,2}\d{1,2}(?=[A-Z])/;
// The station may hold a `0` typed for `O` (`0TTAWA`, `COTON0U`), never at its end.
const BODY_RE = /^([A-Z0'-]*[A-Z'-])(\d+)/;

/**
 * Splits an ID into year, station as written (debris removed) and serial as written, or null when
 * it has no `YY STATION SERIAL` shape. Whatever follows the serial (`TOSEC140323`, `ZDK164`) is
 * dropped: it belongs to another line of the header.
 */
export function splitId(id: string): IdParts | null {
  // Spaces and dots typed into an ID (`09 STATE 1234`), a four-digit year (`2009STATE1234`).
  let s = id
    .trim()
    .toUpperCase()
    .replace(/[\s.]+/g, '');
  const dy = DOUBLED_YEAR_RE.exec(s) ?? FULL_YEAR_RE.exec(s);
  if (dy) s = s.slice(2);
  const year = s.slice(0, 2);
  if (!/^\d\d$/.test(year)) return null;
  let rest = s.slice(2);
  const sec = SECTION_DEBRIS_RE.exec(rest);
  if (sec) rest = rest.slice(sec[0].length);
  const m = BODY_RE.exec(rest);
  if (!m) return null;
  return { year, station: m[1]!, serial: m[2]! };
}

/** The canonical station of an ID, or null when it cannot be told. */
export function stationOf(id: string): string | null {
  const p = splitId(id);
  return p ? resolveStation(p.station, 'id', fullYear(Number(p.year))) : null;
}

/**
 * Canonicalise a cable reference ID: `08ECTION01OF02MANAMA492` → `08MANAMA492`, `05RIO123` →
 * `05RIODEJANEIRO123`, `05EMBASSYVIENNA1` → `05VIENNA1`. An unknown station passes through
 * (`06SECDEF123` stays); an ID without a serial is returned trimmed.
 */
export function canonicalizeId(id: string): string {
  let out = canonicalCache.get(id);
  if (out === undefined) {
    out = canonicalizeUncached(id);
    if (canonicalCache.size >= CACHE_LIMIT) canonicalCache.clear();
    canonicalCache.set(id, out);
  }
  return out;
}
const canonicalCache = new Map<string, string>();

function canonicalizeUncached(id: string): string {
  const trimmed = id.trim();
  const fixed = MALFORMED_IDS.get(trimmed.toUpperCase());
  if (fixed) return fixed;
  const p = splitId(trimmed);
  if (!p) return trimmed;
  const station = resolveStation(p.station, 'id', fullYear(Number(p.year))) ?? p.station.replace(/['-]/g, '');
  return `${p.year}${station}${serialNumber(p.serial)}`;
}

/** A serial in decimal without leading zeros (`0619` → `619`, `000` → `0`). */
export function serialNumber(serial: string): string {
  return serial.replace(/^0+(?=\d)/, '');
}

/** Build a canonical ID from a year (2 or 4 digits), a canonical station and a serial. */
export function makeId(year: number, station: string, serial: string): string {
  return `${String(year % 100).padStart(2, '0')}${station}${serialNumber(serial)}`;
}
