/**
 * Sets of cable ids as ascending Int32Arrays, the algebra a query's parts are combined with, and
 * the working memory a query's sets are cut from: reused from query to query, since memory the
 * process has not touched yet costs more to fill than the counting done in it.
 */

export type IdSet = Int32Array;

export class Scratch {
  private arena = new Int32Array(0);
  private used = 0;
  private bits = new Uint8Array(0);
  private readonly tallies = new Map<string, Uint32Array>();

  /** Starts a query over cable ids below `size`: what the previous one cut out is free again. */
  reset(size: number): void {
    if (this.arena.length < size * 4) this.arena = new Int32Array(size * 4);
    if (this.bits.length < size) this.bits = new Uint8Array(size);
    this.used = 0;
  }

  /** Room for `n` ids, valid until the next `reset`. */
  ints(n: number): Int32Array {
    if (this.used + n > this.arena.length) return new Int32Array(n);
    const a = this.arena.subarray(this.used, this.used + n);
    this.used += n;
    return a;
  }

  /** `fn` with a mask of the members of `sets` (1 at each); cleared again afterwards. */
  withMask<T>(sets: ArrayLike<number>[], fn: (mask: Uint8Array) => T): T {
    const m = this.bits;
    const mark = (v: 0 | 1) => {
      for (const ids of sets) for (let i = 0; i < ids.length; i++) m[ids[i]!] = v;
    };
    mark(1);
    try {
      return fn(m);
    } finally {
      mark(0);
    }
  }

  /** A zeroed counter array of at least `size`, one per `key`. */
  tally(key: string, size: number): Uint32Array {
    let t = this.tallies.get(key);
    if (!t || t.length < size) {
      t = new Uint32Array(size);
      this.tallies.set(key, t);
    } else t.fill(0, 0, size);
    return t;
  }
}

export function intersect(s: Scratch, a: IdSet, b: IdSet): IdSet {
  if (a.length > b.length) [a, b] = [b, a];
  const out = s.ints(a.length);
  let n = 0;
  // A much smaller set gallops through the larger one by binary search.
  if (a.length * 16 < b.length) {
    let lo = 0;
    for (let i = 0; i < a.length; i++) {
      const x = a[i]!;
      let hi = b.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (b[mid]! < x) lo = mid + 1;
        else hi = mid;
      }
      if (lo < b.length && b[lo] === x) out[n++] = x;
    }
    return out.subarray(0, n);
  }
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      out[n++] = x;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return out.subarray(0, n);
}

/** The union of sets of ids below `size`. */
export function union(s: Scratch, parts: IdSet[], size: number): IdSet {
  if (parts.length === 1) return parts[0]!;
  let total = 0;
  for (const p of parts) total += p.length;
  if (parts.length === 2) return merge(s, parts[0]!, parts[1]!);
  if (total * 8 < size) {
    const all = s.ints(total);
    let at = 0;
    for (const p of parts) {
      all.set(p, at);
      at += p.length;
    }
    return unique(all.sort());
  }
  // Many ids: marked in a mask and read back in order, in time linear in the archive.
  return s.withMask(parts, (m) => {
    const out = s.ints(Math.min(total, size));
    let n = 0;
    for (let id = 0; id < size; id++) if (m[id]) out[n++] = id;
    return out.subarray(0, n);
  });
}

/** Two ascending sets merged, in one pass. */
function merge(s: Scratch, a: IdSet, b: IdSet): IdSet {
  const out = s.ints(a.length + b.length);
  let n = 0;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x <= y) i++;
    if (y <= x) j++;
    out[n++] = x < y ? x : y;
  }
  while (i < a.length) out[n++] = a[i++]!;
  while (j < b.length) out[n++] = b[j++]!;
  return out.subarray(0, n);
}

/** `a` without the members of `b`. */
export function subtract(s: Scratch, a: IdSet, b: ArrayLike<number>): IdSet {
  const out = s.ints(a.length);
  let n = 0;
  for (let i = 0, j = 0; i < a.length; i++) {
    const x = a[i]!;
    while (j < b.length && b[j]! < x) j++;
    if (j >= b.length || b[j] !== x) out[n++] = x;
  }
  return out.subarray(0, n);
}

/** Ascending ids with duplicates removed (in place). */
export function unique(sorted: Int32Array): IdSet {
  let n = 0;
  for (let i = 0; i < sorted.length; i++)
    if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[n++] = sorted[i]!;
  return sorted.subarray(0, n);
}

/** The ids of `ids` (ascending) at which `mask` is set. */
export function masked(s: Scratch, ids: ArrayLike<number>, mask: Uint8Array): IdSet {
  const out = s.ints(ids.length);
  let n = 0;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (id >= 0 && id < mask.length && mask[id]) out[n++] = id;
  }
  return out.subarray(0, n);
}
