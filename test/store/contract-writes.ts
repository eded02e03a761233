/**
 * The store contract, write side: batches (new cables, versions, variants, duplicates, aliases,
 * derived rows), checkpoints, loads. Each test on a new archive.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
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

export function writeContract(factory: ArchiveFactory): void {
  const clock = new TestClock();
  const on = newArchives(factory, clock);

  describe('writes', () => {
    test('inserts a cable with aliases, origin slug, tags, references and paragraphs', () =>
      on(async ({ store, reader }) => {
        const r = await store.writeBatch([cable({ referenceId: '09PARIS01234' })], batch());
        assert.equal(r.inserted, 1);
        const st = await store.stats();
        assert.equal(st.cables, 1);
        assert.equal(st.embargoed, 1);
        assert.equal(st.aliases, 2);
        assert.equal(st.tags, 2);
        assert.deepEqual(st.references, { total: 1, resolved: 0, dangling: 1 });
        const [e] = await collect(store.exportCables({ releasedOnly: false }));
        assert.equal(e?.originSlug, 'embassy-paris');
        assert.deepEqual(e?.aliases, ['09PARIS01234']);
        assert.deepEqual(e?.references, ['09STATE100']);
        // Embargoed: the public side has nothing of it.
        assert.deepEqual(await reader.counts(), { total: 1, released: 0 });
        assert.deepEqual(await reader.cable('09PARIS1234'), { kind: 'missing' });
        assert.deepEqual(await reader.cable('09PARIS01234'), { kind: 'missing' });
        await store.writeBatch(
          [
            cable({
              referenceId: '09STATE100',
              canonicalId: '09STATE100',
              body: 'UNCLAS STATE 100',
              references: [],
            }),
          ],
          batch({}),
        );
        assert.deepEqual((await store.stats()).references, { total: 1, resolved: 1, dangling: 0 });
      }));

    test('a released cable reads back as written, and its aliases redirect to it', () =>
      on(async ({ store, reader }) => {
        const dtg = { text: '241520Z NOV 09', utc: '2009-11-24T15:20:00Z' };
        const page = { dtg, flags: ['no-subject' as const], redactions: [{ start: 3, end: 9 }] };
        const c = cable({
          referenceId: '09PARIS01234',
          aliases: ['09PARIS1234A'],
          released: '2010-12-09T21:00:00Z',
          parsed: JSON.stringify(page),
          paragraphs: [
            { number: 1, marking: 'C', start: 80, end: 90 },
            { number: 2, marking: null, start: 91, end: 99 },
          ],
        });
        await store.writeBatch([c], batch());
        const got = await reader.cable('09PARIS1234');
        assert.deepEqual(got, {
          kind: 'found',
          cable: {
            id: '09PARIS1234',
            subject: 'FRENCH VIEWS ON IRAN',
            created: '2009-11-24T15:20:00Z',
            released: '2010-12-09T21:00:00Z',
            classification: 'CONFIDENTIAL',
            classificationSlug: 'confidential',
            origin: 'Embassy Paris',
            originSlug: 'embassy-paris',
            referenceId: '09PARIS01234',
            createdAsShown: '11/24/2009 15:20',
            dtg,
            header: HEADER,
            body: BODY,
            tags: c.tags,
            paragraphs: c.paragraphs,
            flags: page.flags,
            redactions: page.redactions,
            aliases: ['09PARIS01234', '09PARIS1234A'],
            versionCount: 1,
          },
        });
        for (const alias of ['09PARIS01234', '09PARIS1234A'])
          assert.deepEqual(await reader.cable(alias), {
            kind: 'redirect',
            id: '09PARIS1234',
            created: '2009-11-24T15:20:00Z',
          });
        assert.deepEqual(await reader.cable('09NOSUCH1'), { kind: 'missing' });
      }));

    test('two origins whose names fold to one slug get two slugs', () =>
      on(async ({ store }) => {
        await store.writeBatch(
          [
            cable({ origin: 'Embassy Sao Paulo' }),
            cable({ canonicalId: '09PARIS2', referenceId: '09PARIS2', origin: 'Embassy São Paulo' }),
          ],
          batch(),
        );
        const out = await collect(store.exportCables({ releasedOnly: false }));
        assert.deepEqual(
          out.map((c) => [c.origin, c.originSlug]),
          [
            ['Embassy Sao Paulo', 'embassy-sao-paulo'],
            ['Embassy São Paulo', 'embassy-sao-paulo-2'],
          ],
        );
      }));

    test('same text again changes nothing; a different text from another source adds a version', () =>
      on(async ({ store }) => {
        await store.writeBatch([cable()], batch());
        const before = await store.contentDigest();
        const again = await store.writeBatch([cable()], batch({ now: '2025-01-01T00:00:00Z' }));
        assert.deepEqual([again.inserted, again.unchanged, again.versionsAdded], [0, 1, 0]);
        assert.equal(await store.contentDigest(), before);
        const edited = cable({
          body: `${BODY}1. (C) NEW TEXT.\n`,
          at: { source: 'b.jsonl', row: 3, line: 3, offset: 9 },
        });
        const v = await store.writeBatch([edited], batch());
        assert.equal(v.versionsAdded, 1);
        const st = await store.stats();
        assert.equal(st.cables, 1);
        assert.equal(st.versions, 2);
        const [exported] = await collect(store.exportCables({ releasedOnly: false }));
        assert.equal(exported?.body, `${BODY}1. (C) NEW TEXT.\n`);
        assert.equal(exported?.versions.length, 2);
      }));

    test('an earlier variant is kept as a version but does not replace the final text', () =>
      on(async ({ store }) => {
        await store.writeBatch([cable()], batch());
        const variant = cable({
          body: 'Friday, 27 August 2004\nSECRET',
          variant: true,
          at: { source: 'v.jsonl', row: 1, line: 1, offset: 0 },
        });
        const variant2 = cable({
          body: 'Friday, 27 August 2004\nSECRET.',
          variant: true,
          at: { source: 'v.jsonl', row: 2, line: 2, offset: 9 },
        });
        const r = await store.writeBatch([variant, variant2], batch());
        assert.equal(r.versionsAdded, 2);
        const [e] = await collect(store.exportCables({ releasedOnly: false }));
        assert.equal(e?.body, BODY);
      }));

    test("a released cable's versions: numbered, the current one marked, sources by file name", () =>
      on(async ({ store, reader }) => {
        const released = '2010-12-09T21:00:00Z';
        await store.writeBatch(
          [cable({ released, at: { source: '/data/in/a.csv', row: 1, line: 1, offset: 0 } })],
          batch(),
        );
        const variant = cable({
          body: 'EARLIER',
          variant: true,
          at: { source: '/x/v.jsonl', row: 4, line: 4, offset: 0 },
        });
        const edited = cable({
          body: `${BODY}MORE`,
          at: { source: '/x/b.jsonl', row: 2, line: 2, offset: 0 },
        });
        await store.writeBatch([variant], batch({ now: '2024-02-01T00:00:00.000Z' }));
        await store.writeBatch([edited], batch({ now: '2024-03-01T00:00:00.000Z' }));
        const vs = await reader.versions('09PARIS1234');
        assert.deepEqual(
          vs.map((v) => [v.number, v.source, v.variant, v.current, v.body, v.ingestedAt]),
          [
            [1, 'a.csv', false, false, BODY, '2024-01-01T00:00:00.000Z'],
            [2, 'v.jsonl', true, false, 'EARLIER', '2024-02-01T00:00:00.000Z'],
            [3, 'b.jsonl', false, true, `${BODY}MORE`, '2024-03-01T00:00:00.000Z'],
          ],
        );
        assert.equal(vs[0]?.hash, cable().hash);
        const page = await reader.cable('09PARIS1234');
        assert.equal(page.kind === 'found' && page.cable.versionCount, 3);
        assert.equal(page.kind === 'found' && page.cable.body, `${BODY}MORE`);
        assert.deepEqual(await reader.versions('09NOSUCH1'), []);
      }));

    test('references resolve to a released cable, an embargoed one (its ID only where the text has it), none, or nothing', () =>
      on(async ({ store, reader }) => {
        const released = '2010-12-09T21:00:00Z';
        const ref = (target: string | null, value: string) => ({
          kind: 'cable',
          target,
          bullet: null,
          value,
        });
        await store.writeBatch(
          [
            cable({
              released,
              body: `${BODY}REF: A. STATE 100 B. PARIS 7\n`,
              references: [
                ref('09STATE100', 'STATE 100'),
                ref('09PARIS7', 'PARIS 7'),
                // From the source's metadata, not the text: the embargoed cable's ID is not shown.
                ref('09PARIS8', '09PARIS8'),
                ref('09ROME1', 'ROME 1'),
                { kind: 'other', target: null, bullet: 'C', value: 'PHONE CALL' },
              ],
            }),
            cable({
              canonicalId: '09STATE100',
              referenceId: '09STATE100',
              body: 'A',
              released,
              references: [],
            }),
            cable({ canonicalId: '09PARIS7', referenceId: '09PARIS7', body: 'B', references: [] }),
            cable({ canonicalId: '09PARIS8', referenceId: '09PARIS8', body: 'C', references: [] }),
          ],
          batch(),
        );
        const refs = await reader.references('09PARIS1234');
        assert.deepEqual(
          refs.map((r) => [r.status, r.value, r.target?.id ?? null]),
          [
            ['released', 'STATE 100', '09STATE100'],
            ['embargoed', 'PARIS 7', null],
            ['embargoed', 'a cable not yet released', null],
            ['absent', 'ROME 1', null],
            ['none', 'PHONE CALL', null],
          ],
        );
        assert.equal(refs[0]?.target?.subject, 'FRENCH VIEWS ON IRAN');
        assert.deepEqual(
          (await reader.citedBy('09STATE100', 10)).rows.map((r) => r.id),
          ['09PARIS1234'],
        );
        assert.deepEqual(await reader.references('09PARIS7'), []);
      }));

    test('a commit is seen by the reader at once, and changes its state key', () =>
      on(async ({ store, reader }) => {
        const released = '2010-12-09T21:00:00Z';
        const key = await reader.stateKey();
        assert.deepEqual(await reader.counts(), { total: 0, released: 0 });
        await store.writeBatch([cable({ released })], batch());
        const next = await reader.stateKey();
        assert.notEqual(next, key);
        assert.deepEqual(await reader.counts(), { total: 1, released: 1 });
        assert.equal(
          (
            await reader.listing({
              kind: 'origin',
              key: 'embassy-paris',
              sort: 'created',
              dir: 'asc',
              page: 1,
              pageSize: 5,
            })
          ).total,
          1,
        );
        // An embargoed cable counts in the total only; the public side shows nothing more of it.
        await store.writeBatch([cable({ canonicalId: '09PARIS2', referenceId: '09PARIS2' })], batch());
        assert.notEqual(await reader.stateKey(), next);
        assert.deepEqual(await reader.counts(), { total: 2, released: 1 });
        assert.deepEqual(
          (await reader.latest(10)).map((r) => r.id),
          ['09PARIS1234'],
        );
      }));

    test('a duplicate ID with conflicting text within one source is rejected with its place', () =>
      on(async ({ store }) => {
        const dup = cable({ body: 'OTHER TEXT', at: { source: 'a.csv', row: 7, line: 40, offset: 999 } });
        const r = await store.writeBatch([cable(), dup], batch());
        assert.equal(r.rejected, 1);
        assert.match(
          r.rejects[0]!.reason,
          /duplicate reference ID 09PARIS1234 with conflicting text \(first at row 1\)/,
        );
        const rows = await collect(store.rejects());
        assert.equal(rows.length, 1);
        assert.equal(rows[0]!.row, 7);
        assert.equal(rows[0]!.raw, `${HEADER}\nOTHER TEXT`);
        // A re-run meets the same reject again and records it once.
        await store.writeBatch([cable(), dup], batch());
        assert.equal((await store.stats()).rejected, 1);
      }));

    test('checkpoint is committed with the batch, durable, replaced by the next, and finished', () =>
      on(async ({ store }, t) => {
        const checkpoint = { sourceKey: 'k', offset: 123, row: 2, line: 5, done: false };
        await store.writeBatch([cable()], batch({ checkpoint }));
        assert.deepEqual(await store.getCheckpoint('k'), checkpoint);
        assert.equal(await store.getCheckpoint('other'), null);
        const next = { ...checkpoint, offset: 456, row: 9, line: 20 };
        await store.writeBatch([], batch({ checkpoint: next }));
        assert.deepEqual(await store.getCheckpoint('k'), next);
        await t.archive.close();
        const again = await t.reopen();
        t.archive = again;
        assert.deepEqual(await again.store.getCheckpoint('k'), next);
        await again.store.finishCheckpoint('k');
        assert.deepEqual(await again.store.getCheckpoint('k'), { ...next, done: true });
      }));

    test('a batch that fails is written not at all, nor its checkpoint', () =>
      on(async ({ store, reader }) => {
        const broken = cable({ canonicalId: '09PARIS7', referenceId: '09PARIS7' });
        (broken as { header: unknown }).header = null;
        const checkpoint = { sourceKey: 'k', offset: 1, row: 2, line: 2, done: false };
        await assert.rejects(store.writeBatch([cable(), broken], batch({ checkpoint })));
        assert.equal((await store.stats()).cables, 0);
        assert.equal(await store.getCheckpoint('k'), null);
        // Nothing of it lingers either: the next batch writes the cable, its origin and tags whole.
        const released = cable({ released: '2010-12-09T21:00:00Z' });
        assert.equal((await store.writeBatch([released], batch())).inserted, 1);
        const got = await reader.cable('09PARIS1234');
        assert.equal(got.kind === 'found' && got.cable.originSlug, 'embassy-paris');
        assert.deepEqual(got.kind === 'found' && got.cable.tags, released.tags);
        assert.deepEqual(await reader.origins(), [
          { name: 'Embassy Paris', slug: 'embassy-paris', count: 1 },
        ]);
      }));

    test('a load ends as plain batches would; a stopped load is completed by the next', async () => {
      const items = [
        cable({ released: '2010-12-09T21:00:00Z' }),
        cable({ canonicalId: '09PARIS2', referenceId: '09PARIS2', body: `${BODY} PLUTONIUM` }),
        cable({ body: `${BODY} URANIUM`, at: { source: 'b', row: 1, line: 1, offset: 0 } }),
      ];
      let plain = '';
      await on(async ({ store }) => {
        for (const it of items) await store.writeBatch([it], batch());
        plain = await store.contentDigest();
      });
      await on(async ({ store }) => {
        const l = await store.beginLoad();
        await assert.rejects(store.beginLoad(), /load/);
        for (const it of items) await store.writeBatch([it], batch());
        await l.finish();
        assert.equal(await store.contentDigest(), plain);
      });
      await on(async ({ store }, t) => {
        const l = await store.beginLoad();
        await store.writeBatch(items.slice(0, 2), batch());
        await l.stop();
        await t.archive.close();
        t.archive = await t.reopen();
        const next = await t.archive.store.beginLoad();
        await t.archive.store.writeBatch(items.slice(2), batch());
        await next.finish();
        assert.equal(await t.archive.store.contentDigest(), plain);
      });
    });
  });
}
