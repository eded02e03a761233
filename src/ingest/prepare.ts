/**
 * Turns what a source reader yields into what the store writes: parses the cable, hashes its text
 * and flattens the parsed fields into rows. Pure and self-contained, so it runs in worker threads.
 */
import { recipientNames } from '../cable/people.js';
import { parseStoredFields } from '../parse/cable.js';
import { canonicalizeId } from '../parse/ids.js';
import type { SourceItem, SourceRecord } from '../source/types.js';
import { pageFieldsJson } from '../store/parsed.js';
import type { PreparedCable, PreparedItem } from '../store/types.js';
import { textHash } from './hash.js';

export function prepareItem(item: SourceItem): PreparedItem {
  if (item.kind === 'reject') return { kind: 'reject', at: item.at, reason: item.reason, raw: item.raw };
  try {
    return prepareRecord(item);
  } catch (err) {
    // The parser is meant to be total; if it is not, the row is kept as a reject rather than lost.
    return {
      kind: 'reject',
      at: item.at,
      reason: `parser error: ${(err as Error).message}`,
      raw: item.header ? `${item.header}\n${item.body}` : item.body,
    };
  }
}

function prepareRecord(r: SourceRecord): PreparedItem {
  const referenceId = r.referenceId.trim();
  // The archive's own CSV export carries the canonical ID and aliases it had; they ride in `extra`.
  const { canonicalId: givenId, aliases: givenAliases, ...extra } = r.extra ?? {};
  const canonicalId =
    typeof givenId === 'string' && givenId ? givenId : referenceId ? canonicalizeId(referenceId) : '';
  if (!canonicalId) {
    return {
      kind: 'reject',
      at: r.at,
      reason: 'empty reference ID',
      raw: r.header ? `${r.header}\n${r.body}` : r.body,
    };
  }
  const year = r.created ? Number(r.created.slice(0, 4)) : null;
  const cable = parseStoredFields({ header: r.header, body: r.body, referenceId, year });
  const references: PreparedCable['references'] = cable.references.map((ref) => ({
    kind: ref.kind,
    target: ref.id,
    bullet: ref.bullet,
    value: ref.value,
  }));
  // The source's own reference list (cables.csv field 6) adds edges the REF block parse may miss.
  if (r.references) {
    const seen = new Set(references.map((x) => x.target));
    for (const id of r.references) {
      const target = canonicalizeId(id);
      if (!target || seen.has(target)) continue;
      seen.add(target);
      references.push({ kind: 'cable', target, bullet: null, value: target });
    }
  }
  return {
    kind: 'record',
    at: r.at,
    referenceId,
    canonicalId,
    aliases: Array.isArray(givenAliases)
      ? givenAliases.filter((a): a is string => typeof a === 'string')
      : [],
    created: r.created,
    createdAsShown: r.createdAsShown,
    released: r.released,
    origin: r.origin?.trim() || null,
    classification: r.classification?.trim() || cable.classification,
    parsedClassification: cable.classification,
    header: r.header,
    body: r.body,
    hash: textHash(r.header, r.body),
    subject: cable.subject || (typeof extra['subjectH3'] === 'string' ? extra['subjectH3'] : ''),
    year: year ?? yearFromId(canonicalId),
    tags: cable.tags.map((name) => ({ name, kind: cable.tagKinds[name] ?? 'unknown' })),
    references,
    paragraphs: cable.paragraphs.map((p) => ({
      number: p.number,
      marking: p.marking,
      start: p.start,
      end: p.end,
    })),
    parsed: pageFieldsJson(cable),
    extra: JSON.stringify(extra),
    variant: typeof extra['variant_of'] === 'string' || typeof extra['variantOf'] === 'string',
    signers: cable.signers,
    recipients: recipientNames(cable),
  };
}

function yearFromId(id: string): number | null {
  const m = /^(\d\d)/.exec(id);
  if (!m) return null;
  const yy = Number(m[1]);
  return yy > 50 ? 1900 + yy : 2000 + yy;
}
