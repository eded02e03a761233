/** Runs a plan: the public cables it matches, as an ascending set. */

import type { Statements } from '../../store/sqlite/statements.js';
import type { Visibility } from './catalog.js';
import type { Plan } from './compile.js';
import { type IdSet, intersect, masked, type Scratch, subtract, union } from './sets.js';

export function evaluate(plan: Plan, pub: Visibility, st: Statements, s: Scratch): IdSet {
  const run = (p: Plan) => evaluate(p, pub, st, s);
  switch (plan.k) {
    case 'text':
      return masked(s, textIds(st, plan.match), pub.mask);
    case 'people':
      return masked(s, peopleIds(st, plan.match), pub.mask);
    case 'ids':
      return pub.all ? plan.ids(s) : masked(s, plan.ids(s), pub.mask);
    case 'range':
      return within(s, pub.ids, plan);
    case 'none':
      return new Int32Array(0);
    case 'or':
      return union(s, plan.parts.map(run), pub.mask.length);
    case 'not':
      return subtract(s, pub.ids, run(plan.part));
    case 'and': {
      // Sets first, smallest first; then the negations; the date ranges on what is left.
      const sets = plan.parts.filter((p) => p.k !== 'range' && p.k !== 'not').map(run);
      sets.sort((a, b) => a.length - b.length);
      let cur = sets.length ? sets[0]! : pub.ids;
      for (let i = 1; i < sets.length && cur.length; i++) cur = intersect(s, cur, sets[i]!);
      for (const p of plan.parts) if (p.k === 'not' && cur.length) cur = subtract(s, cur, run(p.part));
      for (const p of plan.parts) if (p.k === 'range' && cur.length) cur = within(s, cur, p);
      return cur;
    }
  }
}

/** Every cable matching a full-text expression, public or not, ascending. */
export function textIds(st: Statements, match: string): number[] {
  return st.pluck('SELECT rowid FROM cable_fts WHERE cable_fts MATCH ?').all(match) as number[];
}

function peopleIds(st: Statements, match: string): number[] {
  return st.pluck('SELECT rowid FROM search_people WHERE search_people MATCH ?').all(match) as number[];
}

/** The members of `ids` whose place in the range's date order falls in it. */
function within(s: Scratch, ids: IdSet, r: { rank: Int32Array; lo: number; hi: number }): IdSet {
  const out = s.ints(ids.length);
  let n = 0;
  for (let i = 0; i < ids.length; i++) {
    const p = r.rank[ids[i]!]!;
    if (p >= r.lo && p < r.hi) out[n++] = ids[i]!;
  }
  return out.subarray(0, n);
}
