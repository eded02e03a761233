import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseCable } from '../../src/parse/cable.js';
import { projectRoot } from '../fixtures.js';
import { linkedTags, loadRealCables } from './real-cables.js';
import {
  classifySubjectAgreement,
  isDocumentedSubjectAgreement,
  normalizeSubject,
} from './subject-agreement.js';
import { classifyTagAgreement, isDocumentedTagAgreement } from './tag-agreement.js';

/**
 * Parses all real dev cables and compares what we derive with what the Cablegate site shows.
 * Disagreements we have investigated and explained are listed, with their class, in
 * real-known-disagreements.txt (`<check> <ID>  # class: why`); the list may only shrink.
 */
const KNOWN = `${projectRoot}/test/parse/real-known-disagreements.txt`;

function loadKnown(): Set<string> {
  const out = new Set<string>();
  for (const line of readFileSync(KNOWN, 'utf8').split('\n')) {
    const key = line.replace(/#.*/, '').trim().replace(/\s+/g, ' ');
    if (key) out.add(key);
  }
  return out;
}

test('real cables: no exception, IDs, tags and subjects agree with the site', () => {
  const cables = loadRealCables();
  const known = loadKnown();
  const stats = new Map<string, { agree: number; total: number }>();
  const unexpected: string[] = [];
  const fixed: string[] = [];
  const check = (name: string, id: string, ok: boolean, detail: () => string) => {
    const s = stats.get(name) ?? { agree: 0, total: 0 };
    s.total++;
    if (ok) s.agree++;
    stats.set(name, s);
    const key = `${name} ${id}`;
    if (!ok && !known.has(key)) unexpected.push(`${key}: ${detail()}`);
    if (ok && known.has(key)) fixed.push(key);
  };

  for (const r of cables) {
    let cable: ReturnType<typeof parseCable>;
    try {
      cable = parseCable({ header: r.header, body: r.body, referenceId: r.id });
    } catch (e) {
      unexpected.push(`exception ${r.id}: ${(e as Error).stack}`);
      continue;
    }
    check('id', r.id, cable.canonicalId === r.id, () => `canonicalId ${cable.canonicalId}`);
    const siteTags = linkedTags(r.body_html);
    if (siteTags.length > 0) {
      // Equal, or equal after a documented normalisation (see tag-agreement.ts).
      const cls = classifyTagAgreement(siteTags, cable.tags);
      check('tags', r.id, isDocumentedTagAgreement(cls), () => {
        return `${cls}: site ${JSON.stringify(siteTags)} ours ${JSON.stringify(cable.tags)}`;
      });
    }
    const h3 = normalizeSubject(r.subject_h3);
    if (h3) {
      // Begins with the h3, or differs only by a documented fault of the h3 (subject-agreement.ts).
      const cls = classifySubjectAgreement(normalizeSubject(cable.subject), h3);
      check('subject', r.id, isDocumentedSubjectAgreement(cls), () => {
        return `${cls}: site ${JSON.stringify(h3)} ours ${JSON.stringify(cable.subject)}`;
      });
    }
  }

  console.log('\ncheck     agree / total');
  for (const [name, s] of stats) {
    console.log(`${name.padEnd(9)} ${s.agree} / ${s.total}  ${((100 * s.agree) / s.total).toFixed(2)}%`);
  }
  assert.deepEqual(fixed, [], `these now agree: remove them from ${KNOWN}`);
  assert.equal(
    unexpected.length,
    0,
    `unexplained disagreements (${unexpected.length}):\n${unexpected.slice(0, 60).join('\n')}`,
  );
});
