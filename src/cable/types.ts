/**
 * The domain model shared by every layer. A `Cable` is what the parser derives from the raw
 * header and body; the raw texts themselves are always kept verbatim beside it.
 */

/** A reference ID exactly as a source wrote it, e.g. `08ECTION01OF02MANAMA492`. */
export type ReferenceId = string;
/** Canonical form `YY` + station + serial without leading zeros, e.g. `08MANAMA492`. */
export type CanonicalId = string;

export const PRECEDENCES = ['FLASH', 'NIACT IMMEDIATE', 'IMMEDIATE', 'PRIORITY', 'ROUTINE'] as const;
export type Precedence = (typeof PRECEDENCES)[number];

/** The six classifications of the Cablegate release, plus whatever else a source says. */
export type Classification =
  | 'UNCLASSIFIED'
  | 'UNCLASSIFIED//FOR OFFICIAL USE ONLY'
  | 'CONFIDENTIAL'
  | 'CONFIDENTIAL//NOFORN'
  | 'SECRET'
  | 'SECRET//NOFORN'
  | (string & {});

/** A half-open span `[start, end)` of UTF-16 offsets into the raw header or body. */
export interface Span {
  start: number;
  end: number;
}

/** One addressee line of the TO or INFO block: `RUEHC/SECSTATE WASHDC IMMEDIATE 4460`. */
export interface Recipient {
  route: string | null;
  name: string;
  precedence: Precedence | null;
  /** Message control number, kept as written (leading zeros matter). */
  mcn: string | null;
  /** Addressees excluded from a collective by `XMT` lines (5 FAH-2 H-321.9). */
  excluded: string[];
}

/** The date-time group `110944Z SEP 07` and the UTC instant it denotes. */
export interface DateTimeGroup {
  text: string;
  /** ISO 8601 UTC instant, or null when the group does not denote a valid time. */
  utc: string | null;
}

export type ReferenceKind = 'cable' | 'email' | 'tel' | 'report' | 'book' | 'memo' | 'other';

/** One item of a `REF:` block. */
export interface Reference {
  kind: ReferenceKind;
  /** Canonical cable ID when `kind` is `cable`, else null. */
  id: CanonicalId | null;
  /** Upper-cased enumeration letter (`A`) or null. */
  bullet: string | null;
  /** The item as written (for cables, the citation text). */
  value: string;
}

export type TagKind = 'subject' | 'geo' | 'org' | 'program' | 'person' | 'unknown';

export interface Paragraph {
  /** The paragraph number as written (`1`, `12`). */
  number: number;
  /** Portion marking without parentheses (`U`, `SBU`, `C`, `S/NF`, `C - ENTIRE TEXT`) or null. */
  marking: string | null;
  /** Offsets into the raw body: from the number to the start of the next paragraph or the end. */
  start: number;
  end: number;
}

export interface Marker {
  kind: 'section' | 'page';
  text: string;
  start: number;
  end: number;
}

export type QualityFlag =
  | 'partial-extract'
  | 'missing-tags'
  | 'missing-subject'
  | 'foreign-record-in-body'
  | 'redactions'
  | 'media-partner-text';

/** Everything the parser derives from one cable. */
export interface Cable {
  referenceId: ReferenceId | null;
  canonicalId: CanonicalId | null;
  transmissionId: string | null;
  precedence: Precedence | null;
  dtg: DateTimeGroup | null;
  from: string | null;
  recipients: Recipient[];
  infoRecipients: Recipient[];
  /** Routing indicator of the originating station, from the `DE` line (`DE RUEHLO #2178 …` → `RUEHLO`). */
  originRoute: string | null;
  /** The header's routing indicators (origin, TO, INFO) that the routing table knows → station. */
  routes: Record<string, string>;
  /** Classification from the body's banner line, normalised (`CONFIDENTIAL`, `SECRET//NOFORN`…). */
  classification: Classification | null;
  /** The banner line as written (`C O N F I D E N T I A L SECTION 01 OF 02 PARIS 001234`). */
  banner: string | null;
  section: { number: number; of: number } | null;
  handling: string[];
  subject: string;
  tags: string[];
  tagsRaw: string[];
  tagKinds: Record<string, TagKind>;
  references: Reference[];
  classifiedBy: string[];
  classificationReasons: string | null;
  declassifyOn: string | null;
  summary: string | null;
  signers: string[];
  paragraphs: Paragraph[];
  markers: Marker[];
  redactions: Span[];
  isPartial: boolean;
  flags: QualityFlag[];
}

/** Input to the parser: either part may be missing; a fragment must work too. */
export interface CableText {
  header?: string | null;
  body?: string | null;
  referenceId?: string | null;
  /** Four-digit year of the cable, used when no ID gives it (e.g. to date `REF: STATE 123`). */
  year?: number | null;
}
