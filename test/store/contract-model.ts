/** The brute force of the reader contract: the public cables as the reader itself lists them. */
import assert from 'node:assert/strict';
import type { ArchiveReader, CableDetail, ListingKind, SortDir, SortKey } from '../../src/store/types.js';
import { AFTER_SCHEDULED, type TestClock } from './contract-fixture.js';

/** The archive the reader tests share, and its clock. */
export interface ReaderFixture {
  reader: ArchiveReader;
  /** Each canonical ID's release time, as written. */
  released: Map<string, string | null>;
  clock: TestClock;
  /** Runs `fn` with the clock at `moment`, then sets it back. */
  at<T>(moment: string, fn: () => Promise<T>): Promise<T>;
  isPublic(id: string): boolean;
}

/** A public cable as the reader shows it, and its place among the public cables in write order. */
export type Shown = CableDetail & { rank: number };

export const BEFORE = '2024-01-01T00:00:00Z';
export const MOMENTS = [BEFORE, AFTER_SCHEDULED];

/** Every public cable at the reader's clock, through `cableIds` and `cable`. */
export async function shown(reader: ArchiveReader): Promise<Shown[]> {
  const ids = await reader.cableIds(0, 1_000_000);
  const out: Shown[] = [];
  for (const [rank, x] of ids.entries()) {
    const c = await reader.cable(x.id);
    assert.equal(c.kind, 'found', x.id);
    if (c.kind === 'found') out.push({ ...c.cable, rank });
  }
  return out;
}

export const keyOf: Record<ListingKind, (c: Shown) => string[]> = {
  reldate: (c) => [c.released.slice(0, 10)],
  date: (c) => (c.created ? [c.created.slice(0, 7)] : []),
  origin: (c) => (c.originSlug ? [c.originSlug] : []),
  tag: (c) => [...new Set(c.tags.map((t) => t.name))],
  classification: (c) => (c.classificationSlug ? [c.classificationSlug] : []),
};

/** SQL's order: NULL first ascending, ties by write order; descending the exact reverse. */
export function sorted(cs: Shown[], sort: SortKey, dir: SortDir): Shown[] {
  const v = (c: Shown) => (sort === 'created' ? c.created : c.released);
  const out = [...cs].sort((a, b) => {
    const x = v(a);
    const y = v(b);
    if (x !== y) return x === null ? -1 : y === null || x < y ? -1 : 1;
    return a.rank - b.rank;
  });
  return dir === 'asc' ? out : out.reverse();
}

export function bruteForce(
  cs: Shown[],
  kind: ListingKind,
  key: string,
  sort: SortKey,
  dir: SortDir,
): string[] {
  return sorted(
    cs.filter((c) => keyOf[kind](c).includes(key)),
    sort,
    dir,
  ).map((c) => c.id);
}

/** Per kind: the two busiest keys and one with a few cables. */
export function listingKeys(cs: Shown[]): { kind: ListingKind; key: string }[] {
  const out: { kind: ListingKind; key: string }[] = [];
  for (const kind of Object.keys(keyOf) as ListingKind[]) {
    const n = new Map<string, number>();
    for (const c of cs) for (const k of keyOf[kind](c)) n.set(k, (n.get(k) ?? 0) + 1);
    const byCount = [...n].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const small = byCount.find(([, count]) => count >= 3 && count <= 10);
    for (const [key] of [...byCount.slice(0, 2), ...(small ? [small] : [])]) out.push({ kind, key });
  }
  return out;
}
