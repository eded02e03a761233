import type { Cable, CableText, TagKind } from '../cable/types.js';
import { parseBodyStructure } from './body.js';
import { parseClassifiedBy } from './classified-by.js';
import { parseDeclassifyOn } from './declassify.js';
import { parseHeader } from './header.js';
import { canonicalizeId } from './ids.js';
import { isPartialExtract, qualityFlags } from './quality.js';
import { parseReferences } from './references.js';
import { parseSigners } from './signers.js';
import { parseSubject } from './subject.js';
import { parseSummary } from './summary.js';
import { tagKind } from './tag-kind.js';
import { parseTags } from './tags.js';

/** Four-digit year from the two digits that start a canonical ID (`66` → 1966, `09` → 2009). */
export function yearOfId(id: string | null): number | null {
  const m = id ? /^(\d\d)/.exec(id) : null;
  if (!m) return null;
  const yy = Number(m[1]);
  // The release spans 1966–2010, so a two-digit year above 50 is in the 1900s.
  return yy > 50 ? 1900 + yy : 2000 + yy;
}

/** Fields the parser derives on request only: the archive does not store them (`parseStoredFields`). */
export type DerivedField = 'classifiedBy' | 'classificationReasons' | 'declassifyOn' | 'summary';

/** What the ingest parses: everything but the fields derived on request. */
export type StoredCable = Omit<Cable, DerivedField>;

/**
 * Parse one cable (or a fragment of one) into a `Cable`. Never throws: every field parser is total,
 * and a field parser that fails anyway leaves its field empty rather than losing the whole cable.
 */
export function parseCable(input: CableText): Cable {
  const { signers, paragraphs, markers, redactions, isPartial, flags, ...head } = parseStoredFields(input);
  const body = input.body ?? '';
  const classifiedBy = parseClassifiedBy(body);
  // The fields in the order they always had (the export writes them in it).
  return {
    ...head,
    classifiedBy: classifiedBy.names,
    classificationReasons: classifiedBy.reasons,
    declassifyOn: parseDeclassifyOn(body),
    summary: parseSummary(body),
    signers,
    paragraphs,
    markers,
    redactions,
    isPartial,
    flags,
  };
}

/**
 * The fields the ingest needs: the archive's columns, tables and search side tables, and what the
 * cable page reads. The classified-by line, the declassification date and the summary are left to
 * `parseCable`, which the export and the `parse` command call: the ingest does not pay for fields
 * only the export needs.
 */
export function parseStoredFields(input: CableText): StoredCable {
  const header = input.header ?? '';
  const body = input.body ?? '';
  const referenceId = input.referenceId?.trim() || null;
  const canonicalId = referenceId ? canonicalizeId(referenceId) : null;
  const knownYear = yearOfId(canonicalId) ?? input.year ?? null;
  // The ID's year settles the century of the DTG's two-digit year.
  const h = parseHeader(header, knownYear);
  const year = knownYear ?? (h.dtg?.utc ? Number(h.dtg.utc.slice(0, 4)) : null);
  const structure = parseBodyStructure(body);
  const { tags, tagsRaw } = parseTags(body);
  const tagKinds: Record<string, TagKind> = {};
  for (const t of tags) tagKinds[t] = tagKind(t);
  const subject = parseSubject(body);
  const isPartial = isPartialExtract(header, body);
  const cable: StoredCable = {
    referenceId,
    canonicalId,
    transmissionId: h.transmissionId,
    precedence: h.precedence,
    dtg: h.dtg,
    from: h.from,
    recipients: h.recipients,
    infoRecipients: h.infoRecipients,
    originRoute: h.originRoute,
    routes: h.routes,
    classification: structure.classification,
    banner: structure.banner,
    section: structure.section,
    handling: structure.handling,
    subject,
    tags,
    tagsRaw,
    tagKinds,
    // Citations use the reference reader's own station table (e.g. `TAIPEI`); the archive keys
    // cables by `canonicalizeId`, so map cited IDs onto that key space for the reference graph.
    references: parseReferences(body, year, canonicalId).map((r) =>
      r.kind === 'cable' && r.id ? { ...r, id: canonicalizeId(r.id) } : r,
    ),
    signers: parseSigners(body),
    paragraphs: structure.paragraphs,
    markers: structure.markers,
    redactions: structure.redactions,
    isPartial,
    flags: [],
  };
  cable.flags = qualityFlags(header, body, cable);
  return cable;
}
