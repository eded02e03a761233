/**
 * What every part of the SQLite reader shares: the connection's statements, the public state and
 * a memo kept under it, and the SQL of a public cable's summary.
 */

import { slugify } from '../../slug.js';
import type { CableSummary } from '../../types.js';
import { notPublicWhere, publicWhere } from '../../visibility.js';
import type { Statements } from '../statements.js';
import type { PublicState } from './state.js';

export interface SummaryRow {
  id: string;
  subject: string;
  created: string | null;
  released: string;
  classification: string | null;
  origin: string | null;
  origin_slug: string | null;
}

export interface PublicRow {
  rowid: number;
  origin_id: number | null;
  created: string | null;
}

export const P = publicWhere('c');
/** The exact complement of `P`. */
export const NOT_PUBLIC = notPublicWhere('c');
export const SUMMARY = `c.canonical_id AS id, c.subject, c.created, c.released_at AS released, c.classification,
  o.name AS origin, o.slug AS origin_slug`;
export const FROM = 'cables c LEFT JOIN origins o ON o.id = c.origin_id';

/**
 * The embargo test with its columns hidden from the index chooser (unary `+`), for walks that must
 * follow a sort-order index rather than a range of release times. Same rule as `publicWhere`.
 */
export function unindexed(where: string, alias = 'c'): string {
  const column = new RegExp(`(?<!\\+)\\b${alias}\\.(released_at|created|origin_id|classification)\\b`, 'g');
  return where.replace(column, `+${alias}.$1`);
}
export const P_UNINDEXED = unindexed(P);

/** Slugs of classification markings: a handful of distinct values, slugified once each. */
const CLASS_SLUGS = new Map<string, string>();
export function classSlug(name: string): string {
  let slug = CLASS_SLUGS.get(name);
  if (slug === undefined) {
    slug = slugify(name);
    if (CLASS_SLUGS.size < 1000) CLASS_SLUGS.set(name, slug);
  }
  return slug;
}

export function summary(r: SummaryRow): CableSummary {
  return {
    id: r.id,
    subject: r.subject,
    created: r.created,
    released: r.released,
    classification: r.classification,
    classificationSlug: r.classification ? classSlug(r.classification) : null,
    origin: r.origin,
    originSlug: r.origin_slug,
  };
}

const MAX_MEMO = 20_000;

export class ReadContext {
  private readonly memo = new Map<string, unknown>();
  private readonly resets: (() => void)[] = [];
  private seen = -1;

  constructor(
    readonly sql: Statements,
    readonly state: PublicState,
  ) {}

  now(): string {
    return this.state.now();
  }

  clock(): Date {
    return this.state.clock();
  }

  /** Runs `fn` whenever the public state has moved on since last asked, before anything is read. */
  onReset(fn: () => void): void {
    this.resets.push(fn);
  }

  /** Drops what was kept under an older public state; returns the current generation. */
  refresh(): number {
    const g = this.state.generation();
    if (g !== this.seen) {
      this.seen = g;
      this.memo.clear();
      for (const fn of this.resets) fn();
    }
    return g;
  }

  /** `fn()`, computed once per public state. */
  memoise<T>(key: string, fn: () => T): T {
    this.refresh();
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const v = fn();
    if (this.memo.size >= MAX_MEMO) this.memo.clear();
    this.memo.set(key, v);
    return v;
  }

  /** Row id, origin and creation time of a public cable. */
  publicRow(id: string): PublicRow | null {
    return (
      (this.sql
        .prepare(
          `SELECT c.id AS rowid, c.origin_id, c.created FROM cables c WHERE c.canonical_id = @id AND ${P}`,
        )
        .get({ id, now: this.now() }) as PublicRow | undefined) ?? null
    );
  }
}
