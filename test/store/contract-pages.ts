/**
 * The reader contract, cable pages: neighbours, cited by, the page in one call, aliases, and the
 * embargo in every method.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AFTER_SCHEDULED, devThirds } from './contract-fixture.js';
import { BEFORE, MOMENTS, type ReaderFixture, type Shown, shown, sorted } from './contract-model.js';

export function pageTests(fx: ReaderFixture): void {
  const { at, isPublic, clock } = fx;
  test('neighbours are the previous and next public cables of the origin in creation order', async () => {
    const { reader } = fx;
    for (const moment of MOMENTS) {
      await at(moment, async () => {
        const cs = await shown(reader);
        const byOrigin = new Map<string, Shown[]>();
        for (const c of cs)
          if (c.originSlug && c.created)
            byOrigin.set(c.originSlug, [...(byOrigin.get(c.originSlug) ?? []), c]);
        for (const group of byOrigin.values()) {
          const order = sorted(group, 'created', 'asc');
          for (const [i, c] of order.entries()) {
            const n = await reader.neighbours(c.id);
            assert.deepEqual(
              [n.previous?.id ?? null, n.next?.id ?? null],
              [order[i - 1]?.id ?? null, order[i + 1]?.id ?? null],
              c.id,
            );
          }
        }
      });
    }
  });

  test('cited by: the public cables whose references resolve to this one, newest first', async () => {
    const { reader } = fx;
    for (const moment of MOMENTS) {
      await at(moment, async () => {
        const cs = await shown(reader);
        const byId = new Map(cs.map((c) => [c.id, c]));
        const citing = new Map<string, Set<string>>();
        for (const c of cs)
          for (const r of await reader.references(c.id))
            if (r.status === 'released' && r.target && r.target.id !== c.id)
              citing.set(r.target.id, (citing.get(r.target.id) ?? new Set()).add(c.id));
        assert.ok(citing.size > 10, `${citing.size} cited cables`);
        for (const c of cs) {
          const want = sorted(
            [...(citing.get(c.id) ?? [])].map((id) => byId.get(id)!),
            'created',
            'desc',
          ).map((x) => x.id);
          const all = await reader.citedBy(c.id, 1000);
          assert.deepEqual(
            all.rows.map((r) => r.id),
            want,
            c.id,
          );
          assert.equal(all.total, want.length);
          const one = await reader.citedBy(c.id, 1);
          assert.deepEqual([one.total, one.rows.map((r) => r.id)], [want.length, want.slice(0, 1)], c.id);
        }
      });
    }
  });

  test('cablePage is what the separate methods return, for every cable, before and after a release', async () => {
    const { reader, released } = fx;
    for (const moment of MOMENTS) {
      await at(moment, async () => {
        let found = 0;
        let cited = 0;
        for (const id of released.keys()) {
          // A small limit exercises the path for cables cited more often than listed.
          for (const limit of [20, 1]) {
            const page = await reader.cablePage(id, limit);
            const cable = await reader.cable(id);
            if (cable.kind !== 'found') {
              assert.deepEqual(page, cable, id);
              continue;
            }
            assert.equal(page.kind, 'found', id);
            if (page.kind !== 'found') continue;
            found++;
            assert.deepEqual(page.cable, cable.cable, id);
            assert.deepEqual(page.references, await reader.references(id), `${id} references`);
            assert.deepEqual(page.citedBy, await reader.citedBy(id, limit), `${id} cited by`);
            assert.deepEqual(page.neighbours, await reader.neighbours(id), `${id} neighbours`);
            if (page.citedBy.total > limit) cited++;
          }
        }
        assert.ok(found > 500, `${found} public cables`);
        assert.ok(cited > 0, 'some cable is cited more often than listed');
      });
    }
  });

  test('an unreleased or scheduled cable is invisible in every reader method', async () => {
    const { reader, released } = fx;
    const hidden = [...released.keys()].filter((id) => !isPublic(id));
    assert.ok(hidden.length > 1000);
    const none = new Set(hidden);
    for (const id of hidden) {
      assert.deepEqual(await reader.cable(id), { kind: 'missing' }, id);
      assert.deepEqual(await reader.cablePage(id, 20), { kind: 'missing' }, id);
      assert.deepEqual(await reader.versions(id), [], id);
      assert.deepEqual(await reader.references(id), [], id);
      assert.deepEqual(await reader.citedBy(id, 20), { total: 0, rows: [] }, id);
      assert.deepEqual(await reader.neighbours(id), { previous: null, next: null }, id);
    }
    let embargoedRefs = 0;
    for (const { id } of await reader.cableIds(0, 1_000_000)) {
      assert.ok(!none.has(id));
      const page = await reader.cablePage(id, 1000);
      assert.equal(page.kind, 'found');
      if (page.kind !== 'found') continue;
      for (const r of page.references) {
        if (r.status !== 'embargoed') continue;
        embargoedRefs++;
        assert.equal(r.target, null);
        // Its ID is shown only where the citing cable's own text gives it.
        if (none.has(r.value))
          assert.ok(`${page.cable.header}\n${page.cable.body}`.includes(r.value), r.value);
      }
      for (const x of [...page.citedBy.rows, page.neighbours.previous, page.neighbours.next])
        if (x) assert.ok(!none.has(x.id), `${id} shows ${x.id}`);
    }
    assert.ok(embargoedRefs > 0, 'some public cable cites an embargoed one');
    for (const x of await reader.latest(1000)) assert.ok(!none.has(x.id));
  });

  test('an alias of a public cable redirects; one of a hidden cable is missing', async () => {
    const { reader } = fx;
    const aliases = (await devThirds()).flatMap((it) =>
      it.kind === 'record' && it.referenceId !== it.canonicalId ? [it] : [],
    );
    assert.ok(aliases.length > 0);
    for (const a of aliases) {
      const got = await reader.cable(a.referenceId);
      if (isPublic(a.canonicalId))
        assert.deepEqual(got, { kind: 'redirect', id: a.canonicalId, created: a.created });
      else assert.deepEqual(got, { kind: 'missing' });
    }
  });

  test('stateKey stays while nothing changes, and changes when a release time passes', async () => {
    const { reader } = fx;
    const a = await reader.stateKey();
    assert.equal(await reader.stateKey(), a);
    await reader.counts();
    assert.equal(await reader.stateKey(), a);
    clock.set('2029-12-31T23:59:59Z');
    assert.equal(await reader.stateKey(), a);
    clock.set(AFTER_SCHEDULED);
    const b = await reader.stateKey();
    assert.notEqual(b, a);
    assert.equal(await reader.stateKey(), b);
    clock.set(BEFORE);
  });
}
