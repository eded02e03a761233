import type { TagKind } from '../../src/cable/types.js';
import { parseClassifiedBy } from '../../src/parse/classified-by.js';
import { cleanContent } from '../../src/parse/clean-content.js';
import { parseDeclassifyOn } from '../../src/parse/declassify.js';
import { canonicalizeId } from '../../src/parse/ids.js';
import { parseInfoRecipients, parseRecipients } from '../../src/parse/recipients.js';
import { parseReferences } from '../../src/parse/references.js';
import { parseSigners } from '../../src/parse/signers.js';
import { parseSubject } from '../../src/parse/subject.js';
import { parseSummary } from '../../src/parse/summary.js';
import { tagKind } from '../../src/parse/tag-kind.js';
import { parseTags } from '../../src/parse/tags.js';
import { titlefy } from '../../src/parse/titlefy.js';

/** One record of shared/vectors/dev.jsonl (semantics in its README). */
export interface Vector {
  kind: string;
  input: { text: string; [arg: string]: unknown };
  expected: unknown;
  origin: string;
}

/**
 * Maps each vector kind onto our parser's API. The adapters only reshape our output into the
 * vector's form (e.g. references → cable IDs); no parsing happens here.
 */
export const dispatch: Record<string, (input: Vector['input']) => unknown> = {
  tags: (i) => parseTags(i.text, { canonicalize: i['canonicalize'] !== false }).tags,
  subject: (i) => parseSubject(i.text, { clean: i['clean'] !== false }),
  references: (i) => {
    const ids: string[] = [];
    for (const r of parseReferences(
      i.text,
      (i['year'] as number) ?? null,
      (i['reference_id'] as string) ?? null,
    )) {
      if (r.kind === 'cable' && r.id && !ids.includes(r.id)) ids.push(r.id);
    }
    return ids;
  },
  references_ng: (i) =>
    parseReferences(i.text, (i['year'] as number) ?? null, (i['reference_id'] as string) ?? null).map(
      (r) => ({
        value: r.kind === 'cable' ? r.id : r.value,
        kind: r.kind,
        bullet: r.bullet,
        title: null,
      }),
    ),
  recipients: (i) => parseRecipients(i.text),
  info_recipients: (i) => parseInfoRecipients(i.text),
  signers: (i) => parseSigners(i.text),
  classified_by: (i) => parseClassifiedBy(i.text, { normalize: i['normalize'] === true }).names,
  nondisclosure_deadline: (i) => parseDeclassifyOn(i.text),
  summary: (i) => parseSummary(i.text),
  id_c14n: (i) => canonicalizeId(i.text),
  titlefy: (i) => titlefy(i.text),
  tag_kind: (i) => tagKind(i.text, (i['default'] as TagKind) ?? 'unknown'),
  clean_content: (i) => cleanContent(i.text),
};
