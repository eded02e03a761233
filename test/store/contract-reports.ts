/**
 * The store contract, what operators read (`ArchiveReports`): stats and the release state, the
 * rejects, the lossless export, the content digest. Each test on a new archive.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parsedFields } from '../../src/store/parsed.js';
import {
  type ArchiveFactory,
  BODY,
  batch,
  cable,
  collect,
  HEADER,
  newArchives,
  TestClock,
} from './contract-fixture.js';

export function reportContract(factory: ArchiveFactory): void {
  const clock = new TestClock();
  const on = newArchives(factory, clock);

  describe('reports', () => {
    test('rejects are listed in the order recorded, with file, row, line, offset, reason and raw text', () =>
      on(async ({ store }) => {
        const at = (row: number) => ({ source: 'bad.csv', row, line: row * 2, offset: row * 100 });
        await store.writeBatch(
          [
            { kind: 'reject', at: at(3), reason: 'invalid date', raw: 'RAW 3' },
            cable(),
            { kind: 'reject', at: at(1), reason: '7 fields', raw: 'RAW 1' },
          ],
          batch({ now: '2024-05-01T00:00:00.000Z' }),
        );
        assert.deepEqual(await collect(store.rejects()), [
          {
            ...at(3),
            source: 'bad.csv',
            reason: 'invalid date',
            raw: 'RAW 3',
            recordedAt: '2024-05-01T00:00:00.000Z',
          },
          {
            ...at(1),
            source: 'bad.csv',
            reason: '7 fields',
            raw: 'RAW 1',
            recordedAt: '2024-05-01T00:00:00.000Z',
          },
        ]);
        assert.deepEqual(await collect(store.rejects()), await collect(store.rejects()));
      }));

    test('release state: source release time, --released-at, and embargo otherwise', () =>
      on(async ({ store }) => {
        await store.writeBatch([cable({ released: '2010-12-09T21:00:00Z' })], batch());
        await store.writeBatch(
          [cable({ canonicalId: '09PARIS1', referenceId: '09PARIS1' })],
          batch({ releasedAt: '2024-05-01T00:00:00.000Z' }),
        );
        await store.writeBatch([cable({ canonicalId: '09PARIS2', referenceId: '09PARIS2' })], batch());
        clock.set('2024-06-01T00:00:00Z');
        const st = await store.stats();
        assert.deepEqual([st.cables, st.released, st.embargoed], [3, 2, 1]);
        const released = await collect(store.exportCables({ releasedOnly: true }));
        assert.deepEqual(released.map((c) => c.canonicalId).sort(), ['09PARIS1', '09PARIS1234']);
      }));

    test('a release time still ahead is embargoed (and scheduled) until it passes, in stats and export', () =>
      on(async ({ store, reader }) => {
        await store.writeBatch(
          [
            cable({ released: '2010-12-09T21:00:00Z' }),
            cable({ canonicalId: '09PARIS9', referenceId: '09PARIS9', released: '2030-01-01T00:00:00Z' }),
          ],
          batch(),
        );
        const state = async () => {
          const st = await store.stats();
          const out = await collect(store.exportCables({ releasedOnly: true }));
          return [st.released, st.embargoed, st.scheduled, out.length, (await reader.counts()).released];
        };
        assert.deepEqual(await state(), [1, 1, 1, 1, 1]);
        assert.deepEqual(await reader.cable('09PARIS9'), { kind: 'missing' });
        clock.set('2030-01-01T00:00:01Z');
        assert.deepEqual(await state(), [2, 0, 0, 2, 2]);
        assert.equal((await reader.cable('09PARIS9')).kind, 'found');
        // A release is set once: a later source's release time does not move it.
        await store.writeBatch([cable({ released: '2031-01-01T00:00:00Z' })], batch());
        const [e] = await collect(store.exportCables({ releasedOnly: true }));
        assert.equal(e?.releasedAt, '2010-12-09T21:00:00Z');
      }));

    test('the export carries every field, the versions, and the whole parse again from the text', () =>
      on(async ({ store }) => {
        const c = cable({
          released: '2010-12-09T21:00:00Z',
          aliases: ['09PARIS1234X'],
          extra: '{"subjectH3":"X"}',
        });
        await store.writeBatch([c], batch());
        // The current text's own fields are the cable's.
        const edited = cable({
          body: `${BODY}1. (C) MORE.\n`,
          extra: '{"variantOf":null}',
          at: { source: 'b.jsonl', row: 5, line: 6, offset: 7 },
        });
        await store.writeBatch([edited], batch({ now: '2024-02-01T00:00:00.000Z' }));
        const [e] = await collect(store.exportCables({ releasedOnly: false }));
        assert.deepEqual(e, {
          canonicalId: '09PARIS1234',
          referenceId: '09PARIS1234',
          aliases: ['09PARIS1234X'],
          created: c.created,
          createdAsShown: c.createdAsShown,
          origin: 'Embassy Paris',
          references: ['09STATE100'],
          originSlug: 'embassy-paris',
          classification: 'CONFIDENTIAL',
          releasedAt: '2010-12-09T21:00:00Z',
          header: HEADER,
          body: edited.body,
          parsed: parsedFields({
            header: HEADER,
            body: edited.body,
            referenceId: '09PARIS1234',
            created: c.created,
          }),
          extra: { variantOf: null },
          versions: [
            {
              hash: c.hash,
              source: 'a.csv',
              sourceRow: 1,
              sourceTime: '2010-12-09T21:00:00Z',
              ingestedAt: '2024-01-01T00:00:00.000Z',
              current: false,
            },
            {
              hash: edited.hash,
              source: 'b.jsonl',
              sourceRow: 5,
              sourceTime: null,
              ingestedAt: '2024-02-01T00:00:00.000Z',
              current: true,
            },
          ],
        });
      }));

    test('the content digest: the same for the same content ingested at other times, else not', async () => {
      const digestOf = async (items: ReturnType<typeof cable>[], now: string) => {
        let d = '';
        await on(async ({ store }) => {
          await store.writeBatch(items, batch({ now }));
          d = await store.contentDigest();
        });
        return d;
      };
      const two = [cable(), cable({ canonicalId: '09PARIS2', referenceId: '09PARIS2', body: 'TWO' })];
      const a = await digestOf(two, '2024-01-01T00:00:00.000Z');
      assert.equal(await digestOf(two, '2025-06-01T00:00:00.000Z'), a);
      assert.notEqual(
        await digestOf([two[0]!, cable({ ...two[1], body: 'TWO.' })], '2024-01-01T00:00:00.000Z'),
        a,
      );
      assert.notEqual(await digestOf([two[0]!], '2024-01-01T00:00:00.000Z'), a);
    });
  });
}
