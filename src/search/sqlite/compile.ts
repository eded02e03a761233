/**
 * A query's AST as a plan of sets: text and people terms become FTS5 MATCH expressions (a
 * conjunction's text terms one expression), the other filters tests on the catalog. User text
 * reaches FTS5 only through `ftsLeaf` (every token quoted).
 */
import type Database from 'better-sqlite3';
import { normalizeMarking } from '../../cable/markings.js';
import { canonicalizeId } from '../../parse/ids.js';
import { ftsLeaf, ftsTokens, type QueryNode } from '../query.js';
import type { Catalog, Field } from './catalog.js';
import { type IdSet, type Scratch, union } from './sets.js';

export type Plan =
  | { k: 'text'; match: string }
  | { k: 'people'; match: string }
  /** Cables listed in the catalog or the aliases (ascending; public or not). */
  | { k: 'ids'; ids: (s: Scratch) => IdSet }
  /** The cables whose place in a date order is in `[lo, hi)`. */
  | { k: 'range'; rank: Int32Array; lo: number; hi: number }
  | { k: 'and'; parts: Plan[] }
  | { k: 'or'; parts: Plan[] }
  | { k: 'not'; part: Plan }
  | { k: 'none' };

export interface Compiled {
  /** Null for the empty query: every public cable. */
  plan: Plan | null;
  /** The top-level conjunction's text expression: what relevance ranks by. */
  match: string | null;
  /** Its positive phrases, matched in `search_titles`: the first relevance tier. */
  top: string | null;
  /** Every cable matching `top` matches `match` (one phrase, or phrases OR'ed; no NOT). */
  topImpliesMatch: boolean;
  messages: string[];
}

const CLASS_ALIASES: Record<string, string> = {
  NF: 'NOFORN',
  FOUO: 'FOR OFFICIAL USE ONLY',
  S: 'SECRET',
  C: 'CONFIDENTIAL',
  U: 'UNCLASSIFIED',
  SBU: 'SENSITIVE BUT UNCLASSIFIED',
};

/** `2009` → `2010`, `2009-12` → `2010-01`, `2009-06-30` → `2009-07-01`: the exclusive upper bound. */
export function dateSuccessor(d: string): string {
  const [y, m, day] = d.split('-').map(Number) as [number, number | undefined, number | undefined];
  if (m === undefined) return String(y + 1).padStart(4, '0');
  if (day === undefined) return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return new Date(Date.UTC(y, m - 1, day + 1)).toISOString().slice(0, 10);
}

export function compile(ast: QueryNode | null, cat: Catalog, db: Database.Database): Compiled {
  const messages: string[] = [];
  const out: Compiled = { plan: null, match: null, top: null, topImpliesMatch: false, messages };
  if (!ast) return out;
  const c = new Compiler(cat, db, messages);
  const conj = ast.kind === 'and' ? ast.children : [ast];
  const { plan, match, positive, negated } = c.conjunction(conj);
  out.plan = plan;
  out.match = match;
  if (match) {
    out.top = titlePhrases(positive);
    const leafy = (x: QueryNode): boolean =>
      x.kind === 'word' || x.kind === 'phrase' || (x.kind === 'or' && x.children.every(leafy));
    out.topImpliesMatch = !negated && positive.length === 1 && leafy(positive[0]!);
  }
  return out;
}

/** The positive phrases of these text terms, OR'ed (a `body:` one never occurs in a title). */
function titlePhrases(roots: QueryNode[]): string | null {
  const hl: string[] = [];
  const walk = (x: QueryNode, negated: boolean) => {
    if ((x.kind === 'word' || x.kind === 'phrase') && !negated && x.field !== 'body') {
      const e = ftsLeaf(x.text, x.kind === 'word' && x.prefix, x.field);
      if (e) hl.push(`(${e})`);
    } else if (x.kind === 'not') walk(x.child, !negated);
    else if (x.kind === 'and' || x.kind === 'or') for (const k of x.children) walk(k, negated);
  };
  for (const r of roots) walk(r, false);
  return hl.length ? hl.join(' OR ') : null;
}

class Compiler {
  private lowerTags: Map<string, number[]> | null = null;

  constructor(
    private readonly cat: Catalog,
    private readonly db: Database.Database,
    private readonly messages: string[],
  ) {}

  /** A conjunction: its text terms as one MATCH (negated ones NOT'ed onto it), the rest as sets. */
  conjunction(nodes: QueryNode[]): {
    plan: Plan;
    match: string | null;
    positive: QueryNode[];
    negated: boolean;
  } {
    const pos: string[] = [];
    const neg: string[] = [];
    const positive: QueryNode[] = [];
    const rest: QueryNode[] = [];
    for (const n of nodes) {
      const e = n.kind === 'not' ? ftsExpr(n.child) : ftsExpr(n);
      if (e === null) rest.push(n);
      else if (n.kind === 'not') neg.push(e);
      else {
        pos.push(e);
        positive.push(n);
      }
    }
    const parts: Plan[] = [];
    let match: string | null = null;
    if (pos.length) {
      match = pos.length === 1 ? pos[0]! : pos.map((p) => `(${p})`).join(' AND ');
      if (neg.length) match = `(${match}) NOT (${neg.map((x) => `(${x})`).join(' OR ')})`;
      parts.push({ k: 'text', match });
    } else for (const e of neg) parts.push({ k: 'not', part: { k: 'text', match: e } });
    for (const n of rest) parts.push(this.node(n));
    return {
      plan: parts.length === 1 ? parts[0]! : { k: 'and', parts },
      match,
      positive,
      negated: neg.length > 0,
    };
  }

  private node(n: QueryNode): Plan {
    const e = n.kind === 'filter' || n.kind === 'range' ? null : ftsExpr(n);
    if (e) return { k: 'text', match: e };
    switch (n.kind) {
      case 'word':
      case 'phrase':
        return { k: 'none' };
      case 'and':
        return this.conjunction(n.children).plan;
      case 'or':
        return { k: 'or', parts: n.children.map((x) => this.node(x)) };
      case 'not':
        return { k: 'not', part: this.node(n.child) };
      case 'range':
        return this.range(n.field, n.from, n.to);
      case 'filter':
        return this.filter(n.field, n.value);
    }
  }

  private range(field: 'created' | 'released' | 'year', from: string | null, to: string | null): Plan {
    const cat = this.cat;
    if (field === 'year') {
      const lo = from === null ? -Infinity : Number(from);
      const hi = to === null ? Infinity : Number(to);
      return this.anyOf(
        'year',
        cat.values('year').filter((y) => y >= lo && y <= hi),
      );
    }
    // The cables whose key lies in [from, successor(to)) as SQL compares the strings: a stretch
    // of the catalog's order by that key.
    const { rank, dated } = cat.order(field);
    const lo = from === null ? 0 : cat.lowerBound(field, from);
    const hi = to === null ? dated : cat.lowerBound(field, dateSuccessor(to));
    return { k: 'range', rank, lo, hi };
  }

  /** The cables having one of these values of a column. */
  private anyOf(field: Field, values: number[]): Plan {
    if (values.length === 0) return { k: 'none' };
    const cat = this.cat;
    const lists = () => values.map((v) => cat.cables(field, v));
    return { k: 'ids', ids: (s) => (values.length === 1 ? lists()[0]! : union(s, lists(), cat.size)) };
  }

  private filter(field: string, value: string): Plan {
    const cat = this.cat;
    switch (field) {
      case 'origin': {
        const ids = this.originIds(value);
        if (ids.length === 0) this.messages.push(`origin:${value}: no such origin`);
        return this.anyOf('origin', ids);
      }
      case 'classification': {
        const v = value.toUpperCase().replace(/\s+/g, ' ').trim();
        const want = CLASS_ALIASES[v] ?? v;
        // A part between `//` matches: `secret` finds SECRET and SECRET//NOFORN.
        const hits = cat.classNames.flatMap((x, i) => {
          const u = x.toUpperCase();
          return i > 0 && (u === want || u.split('//').includes(want)) ? [i] : [];
        });
        if (hits.length === 0) this.messages.push(`classification:${value}: no such classification`);
        return this.anyOf('class', hits);
      }
      case 'tag':
        return this.anyOf('tag', this.tagIds(value));
      case 'marking': {
        const m = cat.markNames.indexOf(normalizeMarking(value));
        return this.anyOf('marking', m > 0 ? [m] : []);
      }
      case 'signer':
      case 'to': {
        const leaf = ftsLeaf(value, false, 'any');
        if (!leaf) return { k: 'none' };
        return { k: 'people', match: `${field === 'signer' ? 'signers' : 'recipients'} : (${leaf})` };
      }
      case 'id': {
        const v = value.trim().toUpperCase();
        const canon = canonicalizeId(v).toUpperCase();
        const ids = this.db
          .prepare('SELECT DISTINCT cable_id FROM aliases WHERE alias IN (?, ?) ORDER BY cable_id')
          .pluck()
          .all(v, canon) as number[];
        return { k: 'ids', ids: () => Int32Array.from(ids) };
      }
      default:
        return { k: 'none' };
    }
  }

  /** The tags of this name, in any case. */
  private tagIds(name: string): number[] {
    if (!this.lowerTags) {
      this.lowerTags = new Map();
      for (const [id, n] of this.cat.tagNames) {
        const k = n.toLowerCase();
        this.lowerTags.set(k, [...(this.lowerTags.get(k) ?? []), id]);
      }
    }
    return this.lowerTags.get(name.toLowerCase()) ?? [];
  }

  /** An origin by exact name or slug; else every origin whose slug contains the words in order. */
  private originIds(value: string): number[] {
    const all = [...this.cat.origins];
    const v = value.toLowerCase();
    const slug = ftsTokens(value.normalize('NFKD').replace(/[\u0300-\u036f]/g, ''))
      .join('-')
      .toLowerCase();
    const exact = all.filter(([, o]) => o.name.toLowerCase() === v || o.slug === v || o.slug === slug);
    if (exact.length) return exact.map(([id]) => id);
    if (!slug) return [];
    return all.filter(([, o]) => `-${o.slug}-`.includes(`-${slug}-`)).map(([id]) => id);
  }
}

/** FTS5 expression of a subtree made only of text terms, or null when it has anything else. */
export function ftsExpr(n: QueryNode): string | null {
  switch (n.kind) {
    case 'word':
      return ftsLeaf(n.text, n.prefix, n.field);
    case 'phrase':
      return ftsLeaf(n.text, false, n.field);
    case 'and': {
      const pos: string[] = [];
      const neg: string[] = [];
      for (const c of n.children) {
        const e = c.kind === 'not' ? ftsExpr(c.child) : ftsExpr(c);
        if (e === null) return null;
        (c.kind === 'not' ? neg : pos).push(e);
      }
      // FTS5's NOT is binary: a conjunction of negations alone cannot be written.
      if (pos.length === 0) return null;
      const p = pos.map((x) => `(${x})`).join(' AND ');
      return neg.length ? `(${p}) NOT (${neg.map((x) => `(${x})`).join(' OR ')})` : p;
    }
    case 'or': {
      const parts: string[] = [];
      for (const c of n.children) {
        const e = ftsExpr(c);
        if (e === null) return null;
        parts.push(`(${e})`);
      }
      return parts.join(' OR ');
    }
    default:
      return null;
  }
}
