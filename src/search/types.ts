/**
 * What a search backend provides. The SQLite one is `sqlite-search.ts`; a PostgreSQL backend can
 * implement the same contract (tsvector + GIN for text, the same AST from `query.ts`).
 */

/** An excerpt: plain text, with the matched terms as sorted `[start, end)` UTF-16 offsets into it. */
export interface Snippet {
  text: string;
  marks: [number, number][];
}

export type SortOrder = 'relevance' | 'created' | '-created' | 'released' | '-released';
export const SORT_ORDERS: readonly SortOrder[] = [
  'relevance',
  '-created',
  'created',
  '-released',
  'released',
];

export interface SearchOptions {
  sort?: SortOrder;
  /** Page size (default 20, at most 1000). */
  limit?: number;
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string | null;
  /** Compute facets and the histogram (default true). */
  facets?: boolean;
  /** The instant the embargo is judged at (default: now). */
  now?: Date;
}

export interface SearchHit {
  /** Canonical ID. */
  id: string;
  subject: string;
  created: string | null;
  released: string | null;
  origin: string | null;
  originSlug: string | null;
  classification: string | null;
  tags: string[];
  /** bm25 relevance, higher is better; null when the query has no ranked text part. */
  score: number | null;
  /** An excerpt of the body (or subject) around the match, plain text with the matches' offsets; null without one. */
  snippet: Snippet | null;
}

export interface FacetValue {
  value: string;
  /** Display name when it differs from the value (origin slug → name). */
  label?: string;
  count: number;
}

export interface Facets {
  tag: FacetValue[];
  origin: FacetValue[];
  classification: FacetValue[];
  year: FacetValue[];
  marking: FacetValue[];
}

export interface SearchResult {
  query: string;
  /** The query as understood, written back in canonical form. */
  normalized: string;
  /** Repairs and warnings about the query; the result is a best effort when non-empty. */
  messages: string[];
  total: number;
  sort: SortOrder;
  hits: SearchHit[];
  nextCursor: string | null;
  facets: Facets | null;
  /**
   * True when the facet counts and the histogram were estimated from an even sample of a large
   * result set (the hits whose internal id is a multiple of a step), scaled up; `total` is
   * always exact.
   */
  facetsApproximate: boolean;
  /** Results per creation month (`YYYY-MM`), ascending. */
  histogram: { month: string; count: number }[];
  /** Set when the query names one cable by ID (`id:…`): jump straight to it. */
  redirect: string | null;
  /** Query terms for highlighting on the cable page (`?hl=`). */
  highlight: string[];
}

/** One row of a full-result export (CSV / JSON lines). */
export interface ExportRow {
  id: string;
  subject: string;
  created: string | null;
  released: string | null;
  origin: string | null;
  classification: string | null;
  tags: string[];
}

export interface SearchEngine {
  search(query: string, opts?: SearchOptions): Promise<SearchResult>;
  /** Every hit of a query in the chosen order, streamed in pages (no cap). */
  exportAll(query: string, opts?: { sort?: SortOrder; now?: Date }): AsyncIterable<ExportRow>;
  close(): Promise<void>;
}
