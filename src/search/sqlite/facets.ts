/**
 * Facet counts and the month histogram of a result set, from the catalog. Up to `exactLimit`
 * hits they are exact; above, they are counted on the hits whose id is a multiple of a step (an
 * even, deterministic sample of about `sampleSize`) and scaled up.
 */
import type { Facets, FacetValue } from '../types.js';
import type { Catalog } from './catalog.js';
import type { IdSet, Scratch } from './sets.js';

export interface FacetResult {
  facets: Facets;
  approximate: boolean;
  histogram: { month: string; count: number }[];
}

const TOP = { tag: 40, origin: 40, marking: 30 };

export function emptyFacets(): Facets {
  return { tag: [], origin: [], classification: [], year: [], marking: [] };
}

/**
 * The sampling step for a set of `total` hits: 1 (every hit) up to `exactLimit`, else the
 * smallest multiple of `base` that leaves at most `sampleSize` (a sample drawn with step `base`
 * can be thinned to it).
 */
export function sampleStep(total: number, exactLimit: number, sampleSize: number, base = 1): number {
  if (total <= exactLimit) return 1;
  return base * Math.max(1, Math.ceil(total / (sampleSize * base)));
}

/** The members of `ids` whose id is a multiple of `step`. */
export function sampleOf(s: Scratch, ids: ArrayLike<number>, step: number): IdSet {
  const out = s.ints(ids.length);
  let n = 0;
  for (let i = 0; i < ids.length; i++) if (ids[i]! % step === 0) out[n++] = ids[i]!;
  return out.subarray(0, n);
}

/** Counts of small integers, listing which were seen (a result holds a few of thousands of tags). */
class Tally {
  readonly counts: Uint32Array;
  readonly seen: number[] = [];
  constructor(s: Scratch, key: string, size: number) {
    this.counts = s.tally(key, size);
  }
  add(k: number): void {
    if (this.counts[k]!++ === 0) this.seen.push(k);
  }
}

/** Facets of `ids`: the whole set of `total` hits, or an even sample of it. */
export function facetsOf(cat: Catalog, s: Scratch, ids: IdSet, total: number): FacetResult {
  const sampled = ids.length < total;
  const year = new Tally(s, 'year', cat.maxYear + 1);
  const origin = new Tally(s, 'origin', cat.maxOrigin + 1);
  const cls = new Tally(s, 'class', cat.classNames.length);
  const month = new Tally(s, 'month', cat.monthNames.length);
  const tag = new Tally(s, 'tag', cat.maxTag + 1);
  const marking = new Tally(s, 'marking', cat.markNames.length);
  const r = cat.facetRecords;
  const tags = cat.tags.values;
  const marks = cat.markings.values;
  for (let i = 0; i < ids.length; i++) {
    const b = ids[i]! * 4;
    const w0 = r[b]!;
    const w1 = r[b + 1]!;
    if (w0 & 0xffff) year.add(w0 & 0xffff);
    if (w0 >>> 16) cls.add(w0 >>> 16);
    if (w1 & 0xffff) month.add(w1 & 0xffff);
    if (w1 >>> 16) origin.add(w1 >>> 16);
    const t0 = r[b + 2]!;
    const t1 = r[b + 6]!;
    for (let j = t0; j < t1; j++) {
      const t = tags[j]!;
      let again = false;
      for (let i = t0; i < j && !again; i++) again = tags[i] === t;
      if (!again) tag.add(t);
    }
    for (let j = r[b + 3]!; j < r[b + 7]!; j++) marking.add(marks[j]!);
  }
  const scale = sampled && ids.length ? total / ids.length : 1;
  const shown = (x: number) => (scale === 1 ? x : Math.max(1, Math.round(x * scale)));
  const values = (t: Tally, name: (k: number) => string, label?: (k: number) => string): FacetValue[] =>
    t.seen.map((k) => {
      const v: FacetValue = { value: name(k), count: shown(t.counts[k]!) };
      if (label) v.label = label(k);
      return v;
    });
  const originName = (k: number) => cat.origins.get(k);
  return {
    facets: {
      tag: top(
        values(tag, (k) => cat.tagNames.get(k) ?? String(k)),
        TOP.tag,
      ),
      origin: top(
        values(
          origin,
          (k) => originName(k)?.slug ?? String(k),
          (k) => originName(k)?.name ?? String(k),
        ),
        TOP.origin,
      ),
      classification: values(cls, (k) => cat.classNames[k]!).sort(byCount),
      year: values(year, String).sort((a, b) => byValue(a.value, b.value)),
      marking: top(
        values(marking, (k) => cat.markNames[k]!),
        TOP.marking,
      ),
    },
    approximate: sampled,
    histogram: values(month, (k) => cat.monthNames[k]!)
      .map((x) => ({ month: x.value, count: x.count }))
      .sort((a, b) => byValue(a.month, b.month)),
  };
}

/** Code-unit order: `localeCompare` costs far more, and the order only has to be stable. */
function byValue(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byCount(a: FacetValue, b: FacetValue): number {
  return b.count - a.count || byValue(a.value, b.value);
}

/** The `k` values with the highest counts, ties by value; only the candidates are sorted. */
function top(all: FacetValue[], k: number): FacetValue[] {
  if (all.length > k) {
    const least = Uint32Array.from(all, (v) => v.count).sort()[all.length - k]!;
    all = all.filter((v) => v.count >= least);
  }
  return all.sort(byCount).slice(0, k);
}
