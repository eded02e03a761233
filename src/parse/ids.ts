/**
 * Canonical cable IDs: `YY` + STATION + SERIAL (`09STATE126780`), the station upper-case without
 * spaces, the serial without leading zeros. The release and the REF blocks write IDs and stations
 * in many broken ways: SECTION-line debris (`08SECTIN03OF03KABUL3036`), banner words glued to the
 * station (`08EFTOLONDON2883`), a doubled year (`7575LIBREVILLE1895`), junk after the serial
 * (`90STATE255577TOSEC140323`), misspelt stations (`07SOIA828`), abbreviations (`05RIO123`).
 *
 * Stations are checked against the stations of the release (data/station-counts.txt, generated
 * from all-ids.csv.gz). A name that is not a real station is mapped to a frequent station it is a
 * typo of (one edit away, or a truncation), so the tables only hold facts no rule can find.
 */
import { readFileSync } from 'node:fs';

function dataText(name: string): string {
  return readFileSync(new URL(`./data/${name}`, import.meta.url), 'utf8');
}

function dataLines(name: string): string[] {
  return dataText(name)
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .filter(Boolean);
}

function dataMap(name: string): Map<string, string> {
  const obj = JSON.parse(dataText(name)) as Record<string, string>;
  return new Map(Object.entries(obj).filter(([k]) => !k.startsWith('_')));
}

/** IDs per station in the release, misspellings included. */
const COUNTS = new Map<string, number>();
for (const line of dataLines('station-counts.txt')) {
  const [name, n] = line.split(/\s+/);
  if (name && n) COUNTS.set(name, Number(n));
}
const STATION_ALIASES = dataMap('station-aliases.json');
const REFERENCE_ALIASES = dataMap('reference-aliases.json');
const MALFORMED_IDS = dataMap('malformed-ids.json');
const EXTRA_STATIONS = new Set(dataLines('station-extra.txt'));
const REFERENCE_STATIONS = new Set(dataLines('reference-stations.txt'));
const DEBRIS = dataLines('station-debris.txt');

/** A station with at least this many IDs is frequent enough to be the target of a typo fix. */
const FREQUENT = 40;
/** A station with at most this many IDs may be a typo (all misspellings of the release have ≤ 2). */
const RARE = 3;

const FREQUENT_STATIONS = [...COUNTS.entries()].filter(([, n]) => n >= FREQUENT).map(([s]) => s);

/**
 * Edit cost between two names: Damerau (adjacent transposition) Levenshtein, except that a `Q`
 * stands in for a garbled letter in the release (`BUENOSQRES`, `BRUSSQLS`, `QRIPOLI`), so
 * replacing it costs half. Stops early once `limit` is exceeded.
 */
export function editCost(a: string, b: string, limit = 2): number {
  const n = a.length;
  const m = b.length;
  if (Math.abs(n - m) > limit) return limit + 1;
  let prev2 = new Array<number>(m + 1).fill(0);
  let prev = Array.from({ length: m + 1 }, (_, j) => j);
  let cur = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= m; j++) {
      const cb = b.charCodeAt(j - 1);
      const sub = ca === cb ? 0 : ca === 81 || cb === 81 ? 0.5 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + sub);
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) {
        v = Math.min(v, prev2[j - 2]! + 1);
      }
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[m]!;
}

/**
 * The frequent station `name` is a typo of, or null. One edit (or a `Q` and one edit) away from
 * exactly one frequent station, keeping the closest; or a truncation (page markers cut the station
 * to 10 letters: `BUENOS AIR`, `KUALALUMP`) that only one frequent station starts with.
 */
function typoTarget(name: string, targets: readonly string[]): string | null {
  if (name.length < 3) return null;
  let best: string | null = null;
  let bestCost = 99;
  let tie = false;
  const limit = name.length >= 5 ? 1.5 : 1;
  for (const t of targets) {
    if (t === name || t.length < 4) continue;
    const c = editCost(name, t, limit);
    if (c > limit) continue;
    if (c < bestCost) {
      best = t;
      bestCost = c;
      tie = false;
    } else if (c === bestCost) tie = true;
  }
  if (best && !tie) return best;
  if (name.length >= 6) {
    const starts = targets.filter((t) => t.length > name.length && t.startsWith(name));
    if (starts.length === 1) return starts[0]!;
  }
  return null;
}

const TYPO_TARGETS = [...FREQUENT_STATIONS, ...[...STATION_ALIASES.keys()].filter((k) => k.length >= 5)];

function debrisRest(name: string): string | null {
  for (const d of DEBRIS) if (name.length > d.length + 2 && name.startsWith(d)) return name.slice(d.length);
  return null;
}

/**
 * Real stations: the frequent ones, and a rare one only if it is not a typo or debris-prefixed
 * form of a frequent one (so `BONN`, `LENINGRAD`, `KRAKOW` stay, `SOIA` and `EFTOLONDON` do not).
 */
const REAL = new Set<string>(EXTRA_STATIONS);
for (const [s, n] of COUNTS) {
  if (n > RARE || (debrisRest(s) === null && typoTarget(s, FREQUENT_STATIONS) === null)) REAL.add(s);
}
// Debris-prefixed stations are never real, however often the release repeats them (EFTOLONDON 16).
for (const s of [...REAL]) {
  const rest = debrisRest(s);
  if (rest && REAL.has(rest)) REAL.delete(s);
}

/** Is `station` (canonical form) a station of the release or a known issuing office? */
export function isRealStation(station: string): boolean {
  return REAL.has(station);
}

/** Upper-case, drop spaces, dots, hyphens and apostrophes, and read a `0` among letters as `O`. */
export function normalizeStationName(name: string): string {
  return name
    .toUpperCase()
    .replace(/[\s.'’-]+/g, '')
    .replace(/0/g, 'O');
}

const resolveCache = new Map<string, string | null>();
const CACHE_LIMIT = 50000;

/**
 * The canonical station for a station name as written, or null when it is no known station.
 * `mode` picks the alias table: canonical IDs (`TAIPEI` → `AITTAIPEI`) or REF citations, which
 * keep the names the citations use (`AITTAIPEI` → `TAIPEI`, `ADDIS`).
 */
export function resolveStation(name: string, mode: 'id' | 'ref' = 'id'): string | null {
  const key = `${mode}:${name}`;
  const hit = resolveCache.get(key);
  if (hit !== undefined) return hit;
  const out = resolveUncached(normalizeStationName(name), mode);
  // Starting afresh when full (rather than no longer caching) keeps a long ingest's working set
  // cached: the reference reader tries many word runs, and a miss costs a fuzzy station search.
  if (resolveCache.size >= CACHE_LIMIT) resolveCache.clear();
  resolveCache.set(key, out);
  return out;
}

function resolveUncached(raw: string, mode: 'id' | 'ref'): string | null {
  let n = raw.replace(/USMISSION|AMEMBASSY|EMBASSY/g, '');
  if (!n) n = raw;
  if (mode === 'ref') {
    const r = REFERENCE_ALIASES.get(n);
    if (r) return r;
    if (REFERENCE_STATIONS.has(n) || REAL.has(n)) return n;
  }
  const a = STATION_ALIASES.get(n);
  if (a) return mode === 'ref' ? (REFERENCE_ALIASES.get(a) ?? a) : a;
  if (REAL.has(n)) return n;
  const rest = debrisRest(n);
  if (rest) {
    const r = resolveUncached(rest, mode);
    if (r) return r;
  }
  // In running REF text a short word one letter off a station is more often a word (`Part 1`).
  const t = mode === 'ref' && n.length < 5 ? null : typoTarget(n, TYPO_TARGETS);
  if (!t) return null;
  const alias = STATION_ALIASES.get(t) ?? t;
  return mode === 'ref' ? (REFERENCE_ALIASES.get(alias) ?? alias) : alias;
}

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
  let s = id.trim().toUpperCase();
  const dy = DOUBLED_YEAR_RE.exec(s);
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
  return p ? resolveStation(p.station, 'id') : null;
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
  const station = resolveStation(p.station, 'id') ?? p.station.replace(/['-]/g, '');
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
