import assert from 'node:assert/strict';
import { test } from 'node:test';
import { prepareItem } from '../../src/ingest/prepare.js';
import { parseCable, parseStoredFields } from '../../src/parse/cable.js';
import { parsedFields } from '../../src/store/parsed.js';
import { loadRealCables } from '../parse/real-cables.js';

test('every real dev cable, as the ingest stores it: the page fields, and the whole parse again from its text', () => {
  let derived = 0;
  for (const rc of loadRealCables()) {
    const item = prepareItem({
      kind: 'record',
      at: { source: 'dev.jsonl', row: 1, line: 1, offset: 0 },
      referenceId: rc.id,
      created: rc.created,
      createdAsShown: null,
      released: null,
      origin: rc.origin,
      classification: rc.classification,
      references: null,
      header: rc.header,
      body: rc.body,
      extra: {},
    });
    assert.equal(item.kind, 'record');
    if (item.kind !== 'record') continue;
    const input = {
      header: rc.header,
      body: rc.body,
      referenceId: rc.id,
      year: Number(rc.created.slice(0, 4)),
    };
    const want = parseCable(input);
    assert.deepEqual(JSON.parse(item.parsed), {
      dtg: want.dtg,
      flags: want.flags,
      redactions: want.redactions,
    });
    // What the export gives, from what the archive keeps.
    const whole = parsedFields({
      header: item.header,
      body: item.body,
      referenceId: item.referenceId,
      created: item.created,
    });
    assert.equal(JSON.stringify(whole), JSON.stringify(want), rc.id);
    // The ingest's parse is the whole parse without the derived fields, field for field.
    const { classifiedBy, classificationReasons, declassifyOn, summary, ...rest } = want;
    assert.deepEqual(parseStoredFields(input), rest, rc.id);
    if (
      summary !== null ||
      classifiedBy.length > 0 ||
      declassifyOn !== null ||
      classificationReasons !== null
    )
      derived++;
  }
  assert.ok(derived > 1000, `${derived} cables with a derived field`);
});
