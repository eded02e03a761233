/**
 * Station names: which names are stations of the release, and which station a name as written
 * (misspelt, cut short, qualified, with a location or an agency code) stands for.
 *
 * The tables are the release's own (data/station-counts.txt: every station of all-ids.csv.gz with
 * its IDs and years; data/station-affixes.txt: qualifiers, agency codes and location suffixes of
 * routing-indicators.csv), so a garbled name is resolved by rule: the one well-attested station of
 * the cable's year it is a typo or a truncation of, and no station when two are as close.
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

/** IDs per station in the release, misspellings included, and the years each occurs in. */
const COUNTS = new Map<string, number>();
const YEARS = new Map<string, Set<number>>();
for (const line of dataLines('station-counts.txt')) {
  const [name, n, years] = line.split(/\s+/);
  if (!name || !n) continue;
  COUNTS.set(name, Number(n));
  const ys = new Set<number>();
  for (const r of (years ?? '').split(',').filter(Boolean)) {
    const [a, b] = r.split('-').map(Number);
    for (let y = a!; y <= (b ?? a!); y++) ys.add(y);
  }
  YEARS.set(name, ys);
}
const AFFIXES = dataLines('station-affixes.txt').map((l) => l.split(/\s+/) as [string, string]);
const affixes = (kind: string) => AFFIXES.filter(([k]) => k === kind).map(([, w]) => w);
// Written with or without the `AM` of American, consulates in full too (`CONSULATEHONGKONG`).
const QUALIFIERS = new RegExp(
  affixes('qualifier')
    .map((q) => q.replace(/^AM/, '(?:AM)?').replace(/CONSUL$/, 'CONSUL(?:ATE)?'))
    .join('|'),
  'g',
);
const AGENCIES = affixes('agency');
const SUFFIXES = affixes('suffix');

export const STATION_ALIASES = dataMap('station-aliases.json');
export const REFERENCE_ALIASES = dataMap('reference-aliases.json');
const EXTRA_STATIONS = new Set(dataLines('station-extra.txt'));
const REFERENCE_STATIONS = new Set(dataLines('reference-stations.txt'));
const DEBRIS = dataLines('station-debris.txt');

/** A station with at least this many IDs is frequent enough to be the target of a typo fix. */
const FREQUENT = 40;
/** Within the cable's own years, a station with this many IDs may be one too. */
const FREQUENT_IN_YEAR = 10;
/** A station with at most this many IDs may be a typo (all misspellings of the release have ≤ 2). */
const RARE = 3;
/** A debris word's tail of at least this many letters is debris too (`SIFIED` of CLASSIFIED). */
const DEBRIS_TAIL = 5;

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
 * The station `name` is a typo of, or null: one edit (or a `Q` and one edit) away from exactly one
 * target, keeping the closest; two edits for a long name when the cable's year narrows the
 * targets; or a truncation (page markers cut the station to 10 letters: `BUENOS AIR`, `KUALALUMP`)
 * that only one target starts with. Null when a typo and a truncation point to different ones.
 */
function typoTarget(name: string, targets: readonly string[], narrowed = false): string | null {
  if (name.length < 3) return null;
  let best: string | null = null;
  let bestCost = 99;
  let tie = false;
  const limit = narrowed && name.length >= 8 ? 2 : name.length >= 5 ? 1.5 : 1;
  for (const t of targets) {
    if (t === name || t.length < 4) continue;
    const c = editCost(name, t, limit);
    // Two edits are a typo, not two letters more or fewer (`UNVIENNA` is no VIENNA).
    if (c > limit || (c >= 2 && Math.abs(t.length - name.length) > 1)) continue;
    if (c < bestCost) {
      best = t;
      bestCost = c;
      tie = false;
    } else if (c === bestCost) tie = true;
  }
  const starts = targets.filter((t) => t.length > name.length && t.startsWith(name) && t !== best);
  // A name one edit off a station that another station begins with could be either (`JAKAR`).
  if (best && !tie) return starts.length === 0 ? best : null;
  if (!best && starts.length === 1 && name.length >= (narrowed ? 5 : 6)) return starts[0]!;
  return null;
}

const TYPO_TARGETS = [...FREQUENT_STATIONS, ...[...STATION_ALIASES.keys()].filter((k) => k.length >= 5)];

/** The typo targets of a year: its frequent stations, and those well attested in it. */
const yearTargets = new Map<number, string[]>();
function targetsOf(year: number | null): { targets: readonly string[]; narrowed: boolean } {
  if (year === null) return { targets: TYPO_TARGETS, narrowed: false };
  let t = yearTargets.get(year);
  if (!t) {
    const inYear = new Set(
      [...COUNTS.entries()]
        .filter(([s, n]) => n >= FREQUENT_IN_YEAR && isReal(s) && YEARS.get(s)?.has(year))
        .map(([s]) => s),
    );
    // Spellings of the aliases table count as their station's (`RIODEJAN`, `USUNESCOPARISFR`).
    const aliases = [...STATION_ALIASES].filter(([k, v]) => k.length >= 5 && inYear.has(v)).map(([k]) => k);
    t = [...inYear, ...aliases];
    yearTargets.set(year, t);
  }
  return t.length ? { targets: t, narrowed: true } : { targets: TYPO_TARGETS, narrowed: false };
}

function debrisRest(name: string): string | null {
  for (const d of DEBRIS) {
    for (let cut = 0; cut <= d.length - DEBRIS_TAIL || cut === 0; cut++) {
      const tail = d.slice(cut);
      if (name.length > tail.length + 2 && name.startsWith(tail)) return name.slice(tail.length);
    }
  }
  return null;
}

/** `MEXICOCITY` → MEXICO, `UNESCOPARIS` → UNESCOPARISFR: a location written or left out. */
function suffixVariant(name: string, isStation: (s: string) => boolean): string | null {
  for (const sfx of SUFFIXES) {
    if (name.endsWith(sfx) && isStation(name.slice(0, -sfx.length))) return name.slice(0, -sfx.length);
    if (isStation(name + sfx)) return name + sfx;
  }
  return null;
}

const frequent = (s: string) => (COUNTS.get(s) ?? 0) > RARE || EXTRA_STATIONS.has(s);

/**
 * Real stations: the frequent ones, and a rare one only if it is not a typo, debris-prefixed or
 * suffixed form of a frequent one (so `BONN`, `LENINGRAD`, `KRAKOW` stay, `SOIA`, `EFTOLONDON`
 * and `UNESCOPARIS` do not).
 */
const REAL = new Set<string>(EXTRA_STATIONS);
for (const [s, n] of COUNTS) {
  if (n > RARE) REAL.add(s);
  else if (debrisRest(s) === null && suffixVariant(s, frequent) === null) {
    if (typoTarget(s, FREQUENT_STATIONS) === null) REAL.add(s);
  }
}
// Debris-prefixed stations are never real, however often the release repeats them (EFTOLONDON 16).
for (const s of [...REAL]) {
  const rest = debrisRest(s);
  if (rest && REAL.has(rest)) REAL.delete(s);
}

function isReal(station: string): boolean {
  return REAL.has(station);
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
 * keep the names the citations use (`AITTAIPEI` → `TAIPEI`, `ADDIS`). `year`, the cable's, narrows
 * the stations a misspelt or truncated name may stand for.
 */
export function resolveStation(
  name: string,
  mode: 'id' | 'ref' = 'id',
  year: number | null = null,
): string | null {
  const key = `${mode}:${year ?? ''}:${name}`;
  const hit = resolveCache.get(key);
  if (hit !== undefined) return hit;
  const out = resolveUncached(normalizeStationName(name), mode, year);
  // Starting afresh when full (rather than no longer caching) keeps a long ingest's working set
  // cached: the reference reader tries many word runs, and a miss costs a fuzzy station search.
  if (resolveCache.size >= CACHE_LIMIT) resolveCache.clear();
  resolveCache.set(key, out);
  return out;
}

function finalName(station: string, mode: 'id' | 'ref'): string {
  const alias = STATION_ALIASES.get(station) ?? station;
  return mode === 'ref' ? (REFERENCE_ALIASES.get(alias) ?? alias) : alias;
}

function resolveUncached(raw: string, mode: 'id' | 'ref', year: number | null): string | null {
  let n = raw.replace(QUALIFIERS, '');
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
    const r = resolveUncached(rest, mode, year);
    if (r) return r;
  }
  // In running REF text a short word one letter off a station is more often a word (`Part 1`).
  if (mode === 'ref' && n.length < 5) return null;
  const { targets, narrowed } = targetsOf(year);
  const t = typoTarget(n, targets, narrowed) ?? (narrowed ? typoTarget(n, TYPO_TARGETS) : null);
  if (t) return finalName(t, mode);
  const sfx = suffixVariant(n, (s) => REAL.has(s) || STATION_ALIASES.has(s));
  if (sfx) return finalName(sfx, mode);
  // Last: an agency code before a station (`FSCCHARLESTON`).
  for (const ag of AGENCIES) {
    if (n.length < ag.length + 4 || !n.startsWith(ag)) continue;
    const r = resolveUncached(n.slice(ag.length), mode, year);
    if (r) return r;
  }
  return null;
}
