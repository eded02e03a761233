/**
 * The store contract, public read side, on the real dev cables in thirds (released, scheduled for
 * a later time, never released) with a clock that moves past the scheduled release. Every fast
 * path (kept listing orders visited out of order, the cost model's walks and gathers, the cable
 * page in one call, the aggregates) is checked against a brute force over what the reader itself
 * lists (`contract-model.ts`), and every reader method against the embargo.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ListingKind } from '../../src/store/types.js';
import {
  AFTER_SCHEDULED,
  type ArchiveFactory,
  devThirds,
  load,
  releaseTimes,
  type TestArchive,
  TestClock,
} from './contract-fixture.js';
import {
  BEFORE,
  bruteForce,
  keyOf,
  listingKeys,
  MOMENTS,
  type ReaderFixture,
  type Shown,
  shown,
  sorted,
} from './contract-model.js';
import { pageTests } from './contract-pages.js';

export function readerContract(factory: ArchiveFactory): void {
  describe('public reads', () => {
    const clock = new TestClock();
    let t: TestArchive;
    const fx: ReaderFixture = {
      reader: null as never,
      released: new Map(),
      clock,
      at: async (moment, fn) => {
        clock.set(moment);
        try {
          return await fn();
        } finally {
          clock.set(BEFORE);
        }
      },
      isPublic: (id) => {
        const r = fx.released.get(id);
        return r !== null && r !== undefined && Date.parse(r) <= clock.at.getTime();
      },
    };
    const { at, isPublic } = fx;

    before(async () => {
      t = await factory(clock.now);
      const items = await devThirds();
      await load(t.archive.store, items);
      fx.released = releaseTimes(items);
      fx.reader = t.archive.reader;
    });
    after(async () => {
      await t.archive.close();
      await t.dispose();
    });

    test('the public cables are the released ones, in write order, paged by offset', async () => {
      const { reader, released } = fx;
      for (const moment of MOMENTS) {
        await at(moment, async () => {
          const want = [...released.keys()].filter(isPublic);
          const all = await reader.cableIds(0, 1_000_000);
          assert.deepEqual(
            all.map((x) => x.id),
            want,
          );
          assert.deepEqual(await reader.cableIds(100, 50), all.slice(100, 150));
          for (const x of all.slice(0, 50)) assert.ok(x.released <= clock.at.toISOString(), x.id);
          const c = await reader.counts();
          assert.deepEqual(c, { total: released.size, released: want.length });
        });
      }
    });

    test('counts, calendars and indexes agree with each other', async () => {
      const { reader } = fx;
      for (const moment of MOMENTS) {
        await at(moment, async () => {
          const c = await reader.counts();
          const sum = (xs: { count: number }[]) => xs.reduce((a, x) => a + x.count, 0);
          assert.equal(sum(await reader.releaseCalendar()), c.released);
          assert.equal(sum(await reader.origins()), c.released);
          assert.equal(sum(await reader.classifications()), c.released);
          assert.equal(sum(await reader.creationCalendar()), c.released);
          const tag = await reader.tag('PGOV');
          assert.equal(tag?.count, (await reader.tags()).find((t) => t.name === 'PGOV')?.count);
        });
      }
    });

    test('origins, tags, classifications and calendars are those of the public cables', async () => {
      const { reader } = fx;
      for (const moment of MOMENTS) {
        await at(moment, async () => {
          const cs = await shown(reader);
          const count = (kind: ListingKind) => {
            const m = new Map<string, number>();
            for (const c of cs) for (const k of keyOf[kind](c)) m.set(k, (m.get(k) ?? 0) + 1);
            return [...m].sort();
          };
          const pairs = (xs: { key: string; count: number }[]) => xs.map((x) => [x.key, x.count]).sort();
          const origins = await reader.origins();
          assert.deepEqual(pairs(origins.map((o) => ({ key: o.slug, count: o.count }))), count('origin'));
          const names = origins.map((o) => o.name.toLowerCase());
          assert.deepEqual(names, [...names].sort(), 'origins by name');
          for (const o of origins.slice(0, 5)) assert.deepEqual(await reader.origin(o.slug), o);
          assert.equal(await reader.origin('no-such-origin'), null);
          const tags = await reader.tags();
          assert.deepEqual(pairs(tags.map((x) => ({ key: x.name, count: x.count }))), count('tag'));
          for (const x of tags.slice(0, 5)) assert.deepEqual(await reader.tag(x.name), x);
          assert.equal(await reader.tag('NOSUCHTAG'), null);
          const classes = await reader.classifications();
          assert.deepEqual(
            pairs(classes.map((x) => ({ key: x.slug, count: x.count }))),
            count('classification'),
          );
          assert.deepEqual(
            classes.map((x) => x.count),
            classes.map((x) => x.count).sort((a, b) => b - a),
          );
          const days = (await reader.releaseCalendar()).flatMap((m) => m.days.map((d) => [d.day, d.count]));
          assert.deepEqual([...days].sort(), count('reldate'));
          assert.deepEqual(
            days.map(([d]) => d),
            [...days.map(([d]) => d)].sort().reverse(),
            'newest first',
          );
          const months = (await reader.creationCalendar()).flatMap((y) =>
            y.months.map((m) => [m.month, m.count]),
          );
          assert.deepEqual(months, count('date'));
        });
      }
    });

    test('a tag only embargoed cables carry is not shown', async () => {
      const { reader } = fx;
      const everyTag = new Set<string>();
      await at(AFTER_SCHEDULED, async () => {
        for (const x of await reader.tags()) everyTag.add(x.name);
      });
      const now = new Set((await reader.tags()).map((x) => x.name));
      const hiddenOnly = [...everyTag].filter((x) => !now.has(x));
      assert.ok(hiddenOnly.length > 0, 'some tag is carried by scheduled cables only');
      for (const name of hiddenOnly.slice(0, 5)) assert.equal(await reader.tag(name), null, name);
    });

    test('charts: public cables per year by classification, releases per day', async () => {
      const { reader } = fx;
      for (const moment of MOMENTS) {
        await at(moment, async () => {
          const cs = await shown(reader);
          const ch = await reader.charts();
          const want = new Map<string, number>();
          for (const c of cs) {
            const k = `${c.created?.slice(0, 4)}:${c.classification ?? 'UNKNOWN'}`;
            want.set(k, (want.get(k) ?? 0) + 1);
          }
          const got = new Map<string, number>();
          for (const y of ch.years)
            ch.classifications.forEach((cl, i) => {
              if (y.counts[i]) got.set(`${y.year}:${cl}`, y.counts[i]!);
            });
          assert.deepEqual([...got].sort(), [...want].sort());
          const days = (await reader.releaseCalendar()).flatMap((m) => m.days);
          assert.deepEqual(
            ch.releasesPerDay,
            [...days].sort((a, b) => (a.day < b.day ? -1 : 1)),
          );
        });
      }
    });

    test('listings sort both ways by created and released, and page', async () => {
      const { reader } = fx;
      const total = (await reader.tag('PGOV'))?.count ?? 0;
      assert.ok(total >= 100, `PGOV has ${total} public cables`);
      for (const sort of ['created', 'released'] as const) {
        for (const dir of ['asc', 'desc'] as const) {
          const l = await reader.listing({ kind: 'tag', key: 'PGOV', sort, dir, page: 2, pageSize: 50 });
          assert.equal(l.rows.length, 50);
          const vals = l.rows.map((r) => (sort === 'created' ? r.created : r.released) ?? '');
          const sorted = [...vals].sort();
          assert.deepEqual(vals, dir === 'asc' ? sorted : sorted.reverse());
        }
      }
    });

    test('every page of every kind and order is the brute-force order, visited out of order, before and after a release', async () => {
      const { reader } = fx;
      for (const moment of MOMENTS) {
        await at(moment, async () => {
          const cs = await shown(reader);
          let checked = 0;
          for (const { kind, key } of listingKeys(cs)) {
            for (const sort of ['released', 'created'] as const) {
              for (const dir of ['desc', 'asc'] as const) {
                const expected = bruteForce(cs, kind, key, sort, dir);
                const pageSize = 7;
                const pages = Math.max(1, Math.ceil(expected.length / pageSize));
                // Out of order: the last page first, then from the second, then the first.
                const order = [
                  pages,
                  ...Array.from({ length: pages - 1 }, (_, i) => i + 2).filter((p) => p !== pages),
                  1,
                ];
                const got = new Map<number, string[]>();
                for (const page of order) {
                  const l = await reader.listing({ kind, key, sort, dir, page, pageSize });
                  assert.equal(l.total, expected.length, `${kind} ${key} total`);
                  got.set(
                    page,
                    l.rows.map((r) => r.id),
                  );
                }
                const all = [...got.keys()].sort((a, b) => a - b).flatMap((p) => got.get(p)!);
                assert.deepEqual(all, expected, `${kind} ${key} ${sort} ${dir}`);
                const beyond = await reader.listing({ kind, key, sort, dir, page: pages + 1, pageSize });
                assert.deepEqual(beyond.rows, [], `${kind} ${key}: past the last page`);
                checked++;
              }
            }
          }
          assert.ok(checked >= 50, `${checked} listings`);
          assert.deepEqual(
            await reader.listing({
              kind: 'tag',
              key: 'NOSUCHTAG',
              sort: 'created',
              dir: 'asc',
              page: 1,
              pageSize: 7,
            }),
            { total: 0, rows: [] },
          );
        });
      }
    });

    test('the latest releases, overall, by tag and by origin, newest first', async () => {
      const { reader } = fx;
      for (const moment of MOMENTS) {
        await at(moment, async () => {
          const cs = await shown(reader);
          const newest = (xs: Shown[]) => sorted(xs, 'released', 'desc').map((c) => c.id);
          assert.deepEqual(
            (await reader.latest(10)).map((r) => r.id),
            newest(cs).slice(0, 10),
          );
          for (const { kind, key } of listingKeys(cs)) {
            if (kind !== 'tag' && kind !== 'origin') continue;
            const filter = kind === 'tag' ? { tag: key } : { origin: key };
            assert.deepEqual(
              (await reader.latest(5, filter)).map((r) => r.id),
              newest(cs.filter((c) => keyOf[kind](c).includes(key))).slice(0, 5),
              `${kind} ${key}`,
            );
          }
        });
      }
    });

    pageTests(fx);
  });
}
