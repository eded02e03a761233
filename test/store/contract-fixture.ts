/** What the store contract suite writes: small hand-made cables, and the real dev cables in thirds. */

import { textHash } from '../../src/ingest/hash.js';
import { prepareItem } from '../../src/ingest/prepare.js';
import { openSource } from '../../src/source/detect.js';
import { pageFieldsJson } from '../../src/store/parsed.js';
import type {
  Archive,
  ArchiveStore,
  BatchOptions,
  PreparedCable,
  PreparedItem,
} from '../../src/store/types.js';
import { fixture } from '../fixtures.js';

/** A new archive that can be written. */
export interface WritableArchive extends Archive {
  store: ArchiveStore;
}

/** One archive made by a backend's factory for the suite. */
export interface TestArchive {
  archive: WritableArchive;
  /** The same archive opened again (the caller closed the last one): what is durable is there. */
  reopen(): Promise<WritableArchive>;
  /** Deletes the archive (every handle closed). */
  dispose(): Promise<void>;
}

/** Makes a new, empty archive whose public side judges release times by `clock`. */
export type ArchiveFactory = (clock: () => Date) => Promise<TestArchive>;

/** A clock the tests move. */
export class TestClock {
  at = new Date('2024-01-01T00:00:00Z');
  readonly now = () => this.at;
  set(iso: string): void {
    this.at = new Date(iso);
  }
}

export const HEADER = 'R 241520Z NOV 09\nFM AMEMBASSY PARIS\nTO SECSTATE WASHDC 7596';
export const BODY =
  'C O N F I D E N T I A L PARIS 001234 \n \nSIPDIS \n \nTAGS: PREL, FR \nSUBJECT: FRENCH VIEWS ON IRAN \n';

/** A hand-made prepared cable (`09PARIS1234` from `a.csv` row 1 unless overridden). */
export function cable(over: Partial<PreparedCable> = {}): PreparedItem & PreparedCable {
  const header = over.header ?? HEADER;
  const body = over.body ?? BODY;
  return {
    kind: 'record',
    at: { source: 'a.csv', row: 1, line: 1, offset: 0 },
    referenceId: '09PARIS1234',
    canonicalId: '09PARIS1234',
    aliases: [],
    created: '2009-11-24T15:20:00Z',
    createdAsShown: '11/24/2009 15:20',
    released: null,
    origin: 'Embassy Paris',
    classification: 'CONFIDENTIAL',
    parsedClassification: 'CONFIDENTIAL',
    subject: 'FRENCH VIEWS ON IRAN',
    year: 2009,
    tags: [
      { name: 'PREL', kind: 'subject' },
      { name: 'FR', kind: 'geo' },
    ],
    references: [{ kind: 'cable', target: '09STATE100', bullet: 'A', value: 'STATE 100' }],
    paragraphs: [{ number: 1, marking: 'C', start: 80, end: 90 }],
    parsed: pageFieldsJson({ dtg: null, flags: [], redactions: [] }),
    extra: '{}',
    variant: false,
    signers: ['RIVKIN'],
    recipients: ['SECSTATE WASHDC'],
    ...over,
    header,
    body,
    hash: textHash(header, body),
  };
}

export const batch = (o: Partial<BatchOptions> = {}): BatchOptions => ({
  releasedAt: null,
  now: '2024-01-01T00:00:00.000Z',
  checkpoint: null,
  ...o,
});

export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** The release time of the scheduled third, and a moment after it. */
export const SCHEDULED = '2030-01-01T00:00:00.000Z';
export const AFTER_SCHEDULED = '2031-01-01T00:00:00Z';

let devCache: PreparedItem[] | null = null;

/**
 * The real dev cables as the ingest prepares them, in thirds by canonical ID in order of first
 * appearance: released as their page says, scheduled for `SCHEDULED`, never released.
 */
export async function devThirds(): Promise<PreparedItem[]> {
  if (devCache) return devCache;
  const third = new Map<string, number>();
  const out: PreparedItem[] = [];
  for await (const item of await openSource(fixture('corpus', 'cables.dev.jsonl.gz'))) {
    const p = prepareItem(item);
    if (p.kind === 'record') {
      if (!third.has(p.canonicalId)) third.set(p.canonicalId, third.size % 3);
      const t = third.get(p.canonicalId);
      if (t === 1) p.released = SCHEDULED;
      if (t === 2) p.released = null;
    }
    out.push(p);
  }
  devCache = out;
  return out;
}

/** Writes items in batches of `size` within one load, as an ingest does. */
export async function load(store: ArchiveStore, items: PreparedItem[], size = 500): Promise<void> {
  const l = await store.beginLoad();
  try {
    for (let i = 0; i < items.length; i += size) await store.writeBatch(items.slice(i, i + size), batch());
    await l.finish();
  } catch (e) {
    await l.stop();
    throw e;
  }
}

/** Each canonical ID's release time, as the first of its records gives it. */
export function releaseTimes(items: PreparedItem[]): Map<string, string | null> {
  const m = new Map<string, string | null>();
  for (const it of items)
    if (it.kind === 'record' && !m.has(it.canonicalId)) m.set(it.canonicalId, it.released);
  return m;
}

/** `on(fn)`: runs `fn` on a new archive of `factory`, closed and deleted after; `clock` starts at 2024. */
export function newArchives(factory: ArchiveFactory, clock: TestClock) {
  return async (fn: (a: WritableArchive, t: TestArchive) => Promise<void>): Promise<void> => {
    clock.set('2024-01-01T00:00:00Z');
    const t = await factory(clock.now);
    try {
      await fn(t.archive, t);
    } finally {
      await t.archive.close();
      await t.dispose();
    }
  };
}
