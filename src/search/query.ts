/**
 * The query language: one parser for the site, the API and the command line. It never throws:
 * whatever the user typed yields an AST (possibly empty) plus messages describing what was
 * repaired or ignored, so a bad query still gets a best-effort result.
 *
 *   words (case/accent-insensitive)   "exact phrase"   prefix*   a AND b   a OR b   NOT a   -a   ( … )
 *   subject:  body:  tag:  origin:  classification:  marking:  signer:  to:  id:
 *   created:2009-01..2009-06   released:2011   year:2008   year:2005..2007
 *
 * Only upper-case AND / OR / NOT are operators; juxtaposition means AND; AND binds tighter than OR.
 */

/** Fields searched through the full-text index. */
export type TextField = 'any' | 'subject' | 'body';
/** Fields matched exactly against the archive's tables. */
export type FilterField = 'tag' | 'origin' | 'classification' | 'marking' | 'signer' | 'to' | 'id';
export type RangeField = 'created' | 'released' | 'year';

export type QueryNode =
  | { kind: 'word'; field: TextField; text: string; prefix: boolean }
  | { kind: 'phrase'; field: TextField; text: string }
  | { kind: 'filter'; field: FilterField; value: string }
  /** Bounds are date prefixes (`2009`, `2009-01`, `2009-01-15`) or years; null means open. */
  | { kind: 'range'; field: RangeField; from: string | null; to: string | null }
  | { kind: 'and'; children: QueryNode[] }
  | { kind: 'or'; children: QueryNode[] }
  | { kind: 'not'; child: QueryNode };

export interface ParsedQuery {
  /** Null for an empty query (which matches every public cable). */
  ast: QueryNode | null;
  /** What was repaired or ignored, for the user. Empty when the query was well formed. */
  messages: string[];
}

const TEXT_FIELDS: Record<string, TextField> = { subject: 'subject', body: 'body' };
const FILTER_FIELDS: Record<string, FilterField> = {
  tag: 'tag',
  tags: 'tag',
  origin: 'origin',
  from: 'origin',
  classification: 'classification',
  class: 'classification',
  marking: 'marking',
  signer: 'signer',
  signed: 'signer',
  to: 'to',
  id: 'id',
};
const RANGE_FIELDS: Record<string, RangeField> = { created: 'created', released: 'released', year: 'year' };

type Token =
  | { t: 'lp' }
  | { t: 'rp' }
  | { t: 'op'; op: 'AND' | 'OR' | 'NOT' }
  | { t: 'neg' }
  /** A field prefix `name:` immediately followed by its value. */
  | { t: 'field'; name: string }
  | { t: 'word'; text: string }
  | { t: 'phrase'; text: string; prefix?: boolean };

const SPACE = /\s/u;

function tokenize(input: string, messages: string[]): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = input.length;
  // True when the previous token was a field prefix: its value may not be split off.
  let afterField = false;
  while (i < n) {
    const ch = input[i]!;
    if (SPACE.test(ch)) {
      if (afterField) {
        out.pop();
        messages.push('a field name must be followed by its value (no space after ":")');
        afterField = false;
      }
      i++;
      continue;
    }
    if (ch === '(' && !afterField) {
      out.push({ t: 'lp' });
      i++;
      continue;
    }
    if (ch === ')') {
      if (afterField) {
        out.pop();
        afterField = false;
        messages.push('a field name must be followed by its value');
      }
      out.push({ t: 'rp' });
      i++;
      continue;
    }
    if (ch === '"') {
      let text = '';
      let j = i + 1;
      let closed = false;
      for (; j < n; j++) {
        const c = input[j]!;
        if (c === '\\' && j + 1 < n && (input[j + 1] === '"' || input[j + 1] === '\\')) {
          text += input[j + 1];
          j++;
        } else if (c === '"') {
          closed = true;
          break;
        } else {
          text += c;
        }
      }
      if (!closed) messages.push('unterminated quote: closed at the end of the query');
      i = closed ? j + 1 : n;
      // `"…"*`: the quoted words with the last one as a prefix.
      let prefix = false;
      while (input[i] === '*') {
        prefix = true;
        i++;
      }
      out.push({ t: 'phrase', text, prefix });
      afterField = false;
      continue;
    }
    if (ch === '-' && !afterField && i + 1 < n && !SPACE.test(input[i + 1]!) && input[i + 1] !== ')') {
      out.push({ t: 'neg' });
      i++;
      continue;
    }
    // A word runs to the next space, parenthesis or quote.
    let j = i;
    while (j < n && !SPACE.test(input[j]!) && input[j] !== '(' && input[j] !== ')' && input[j] !== '"') j++;
    if (j === i) {
      // Only '(' after a field prefix lands here: a field takes a word or a phrase, not a group.
      out.pop();
      afterField = false;
      messages.push('a field takes a word or a "phrase", not a parenthesised group');
      continue;
    }
    const word = input.slice(i, j);
    i = j;
    if (!afterField && (word === 'AND' || word === 'OR' || word === 'NOT')) {
      out.push({ t: 'op', op: word });
      continue;
    }
    if (!afterField) {
      const colon = word.indexOf(':');
      if (colon > 0) {
        const name = word.slice(0, colon).toLowerCase();
        if (name in TEXT_FIELDS || name in FILTER_FIELDS || name in RANGE_FIELDS) {
          out.push({ t: 'field', name });
          const rest = word.slice(colon + 1);
          if (rest) out.push({ t: 'word', text: rest });
          else afterField = true;
          continue;
        }
      }
    }
    afterField = false;
    out.push({ t: 'word', text: word });
  }
  if (afterField) {
    out.pop();
    messages.push('a field name must be followed by its value');
  }
  return out;
}

const DATE = /^\d{4}(-\d{2}(-\d{2})?)?$/;

function validDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const [y, m, d] = s.split('-').map(Number);
  if (m !== undefined && (m < 1 || m > 12)) return false;
  if (d !== undefined && m !== undefined) {
    const days = new Date(Date.UTC(y!, m, 0)).getUTCDate();
    if (d < 1 || d > days) return false;
  }
  return true;
}

function rangeNode(field: RangeField, value: string, messages: string[]): QueryNode | null {
  const dots = value.indexOf('..');
  const from = dots >= 0 ? value.slice(0, dots) : value;
  const to = dots >= 0 ? value.slice(dots + 2) : value;
  const ok = (s: string) => (field === 'year' ? /^\d{4}$/.test(s) : validDate(s));
  for (const s of [from, to]) {
    if (s !== '' && !ok(s)) {
      messages.push(
        field === 'year'
          ? `year:${value} ignored: use year:2008 or year:2005..2007`
          : `${field}:${value} ignored: use ${field}:2009, ${field}:2009-01..2009-06 or ${field}:2009-01-15`,
      );
      return null;
    }
  }
  if (from === '' && to === '') {
    messages.push(`${field}:${value} ignored: the range has no bounds`);
    return null;
  }
  if (from !== '' && to !== '' && from > to) {
    messages.push(`${field}:${value}: the bounds were swapped`);
    return { kind: 'range', field, from: to, to: from };
  }
  return { kind: 'range', field, from: from || null, to: to || null };
}

function fieldNode(name: string, tok: Token | undefined, messages: string[]): QueryNode | null {
  const value = tok && (tok.t === 'word' || tok.t === 'phrase') ? tok.text : '';
  const text = TEXT_FIELDS[name];
  if (text) {
    if (tok?.t === 'phrase') {
      return tok.prefix
        ? { kind: 'word', field: text, text: value, prefix: true }
        : { kind: 'phrase', field: text, text: value };
    }
    return wordNode(text, value);
  }
  const range = RANGE_FIELDS[name];
  if (range) return rangeNode(range, value.trim(), messages);
  const filter = FILTER_FIELDS[name]!;
  if (!value.trim()) {
    messages.push(`${name}: ignored: empty value`);
    return null;
  }
  return { kind: 'filter', field: filter, value: value.trim() };
}

const MAX_DEPTH = 64;
const MAX_QUERY = 4000;

class Parser {
  private pos = 0;
  private depth = 0;
  constructor(
    private readonly toks: Token[],
    private readonly messages: string[],
  ) {}

  parse(): QueryNode | null {
    const nodes: QueryNode[] = [];
    while (this.pos < this.toks.length) {
      const n = this.orExpr();
      if (n) nodes.push(n);
      if (this.peek()?.t === 'rp') {
        this.pos++;
        this.messages.push('unbalanced ")" ignored');
      }
    }
    return combine('and', nodes);
  }

  private peek(): Token | undefined {
    return this.toks[this.pos];
  }

  private orExpr(): QueryNode | null {
    const parts: QueryNode[] = [];
    const first = this.andExpr();
    if (first) parts.push(first);
    while (this.peek()?.t === 'op' && (this.peek() as { op: string }).op === 'OR') {
      this.pos++;
      const next = this.andExpr();
      if (next) parts.push(next);
      else this.messages.push('OR without a right-hand side ignored');
    }
    return combine('or', parts);
  }

  private andExpr(): QueryNode | null {
    const parts: QueryNode[] = [];
    for (;;) {
      const t = this.peek();
      if (!t || t.t === 'rp') break;
      if (t.t === 'op' && t.op === 'OR') {
        if (parts.length === 0) {
          this.pos++;
          this.messages.push('OR without a left-hand side ignored');
          continue;
        }
        break;
      }
      if (t.t === 'op' && t.op === 'AND') {
        this.pos++;
        const nt = this.peek();
        if (parts.length === 0 || !nt || nt.t === 'rp' || (nt.t === 'op' && nt.op !== 'NOT')) {
          this.messages.push('AND without two sides ignored');
        }
        continue;
      }
      const u = this.unary();
      if (u) parts.push(u);
    }
    return combine('and', parts);
  }

  private unary(): QueryNode | null {
    // Negations nest by recursion; past the depth cap they are read iteratively by parity.
    if (this.depth >= MAX_DEPTH) {
      let neg = false;
      for (let t = this.peek(); t && (t.t === 'neg' || (t.t === 'op' && t.op === 'NOT')); t = this.peek()) {
        this.pos++;
        neg = !neg;
      }
      const c = this.primary();
      return c && neg ? negate(c) : c;
    }
    const t = this.peek();
    if (t?.t === 'op' && t.op === 'NOT') {
      this.pos++;
      const nt = this.peek();
      if (!nt || nt.t === 'rp' || (nt.t === 'op' && nt.op !== 'NOT')) {
        this.messages.push('NOT without an operand ignored');
        return null;
      }
      this.depth++;
      const c = this.unary();
      this.depth--;
      return c ? negate(c) : null;
    }
    if (t?.t === 'neg') {
      this.pos++;
      const nt = this.peek();
      if (!nt || nt.t === 'rp' || nt.t === 'op') {
        this.messages.push('"-" without an operand ignored');
        return null;
      }
      this.depth++;
      const c = this.unary();
      this.depth--;
      return c ? negate(c) : null;
    }
    return this.primary();
  }

  private primary(): QueryNode | null {
    const t = this.toks[this.pos++];
    if (!t) return null;
    switch (t.t) {
      case 'lp': {
        if (this.depth >= MAX_DEPTH) {
          this.messages.push('parentheses nested too deeply: inner ones ignored');
          return this.primary();
        }
        this.depth++;
        const inner = this.orExpr();
        if (this.peek()?.t === 'rp') this.pos++;
        else this.messages.push('missing ")" added at the end');
        this.depth--;
        return inner;
      }
      case 'field': {
        const v = this.peek();
        if (v && (v.t === 'word' || v.t === 'phrase')) this.pos++;
        return fieldNode(t.name, v && (v.t === 'word' || v.t === 'phrase') ? v : undefined, this.messages);
      }
      case 'phrase':
        return t.prefix
          ? { kind: 'word', field: 'any', text: t.text, prefix: true }
          : { kind: 'phrase', field: 'any', text: t.text };
      case 'word':
        return wordNode('any', t.text);
      default:
        return null;
    }
  }
}

/** `nucl*` is a prefix search; a run of stars counts as one; stars alone are nothing. */
function wordNode(field: TextField, raw: string): QueryNode | null {
  const m = /^(.*?)\*+$/su.exec(raw);
  if (!m) return { kind: 'word', field, text: raw, prefix: false };
  return m[1] ? { kind: 'word', field, text: m[1], prefix: true } : null;
}

function negate(n: QueryNode): QueryNode {
  return n.kind === 'not' ? n.child : { kind: 'not', child: n };
}

function combine(kind: 'and' | 'or', parts: QueryNode[]): QueryNode | null {
  const flat: QueryNode[] = [];
  for (const p of parts) {
    if (p.kind === kind) flat.push(...p.children);
    else flat.push(p);
  }
  if (flat.length === 0) return null;
  if (flat.length === 1) return flat[0]!;
  return { kind, children: flat };
}

/** Parses a query. Never throws; see `ParsedQuery.messages` for what was repaired. */
export function parseQuery(input: string): ParsedQuery {
  const messages: string[] = [];
  try {
    const text = String(input ?? '');
    if (text.length > MAX_QUERY) messages.push(`query cut to its first ${MAX_QUERY} characters`);
    const toks = tokenize(text.slice(0, MAX_QUERY), messages);
    const ast = new Parser(toks, messages).parse();
    return { ast: ast ? dropEmpty(ast, messages) : null, messages: [...new Set(messages)] };
  } catch (e) {
    // Defensive: a parser bug must not take a page down; search for nothing instead.
    return { ast: null, messages: [`query not understood (${(e as Error).message})`] };
  }
}

/** Removes words and phrases with nothing searchable in them (`...`, `""`). */
function dropEmpty(n: QueryNode, messages: string[]): QueryNode | null {
  switch (n.kind) {
    case 'word':
    case 'phrase':
      if (ftsTokens(n.text).length === 0) {
        if (n.text.trim()) messages.push(`"${n.text}" ignored: nothing searchable in it`);
        return null;
      }
      return n;
    case 'not': {
      const c = dropEmpty(n.child, messages);
      // Dropping an empty word can leave `-(-a)`, which must collapse as the parser collapses it.
      return c ? negate(c) : null;
    }
    case 'and':
    case 'or':
      return combine(
        n.kind,
        n.children.map((c) => dropEmpty(c, messages)).filter((c): c is QueryNode => c !== null),
      );
    default:
      return n;
  }
}

// ---------------------------------------------------------------------------------------------
// Formatting (the inverse of parsing, for links that narrow a query and for the round-trip test)

function quote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** A value that would parse back as itself when written bare. */
function bareOk(s: string, field: boolean): boolean {
  if (!s || /[\s()"]/u.test(s)) return false;
  if ((!field && s.startsWith('-')) || s.endsWith('*')) return false;
  if (!field) {
    if (s === 'AND' || s === 'OR' || s === 'NOT') return false;
    const colon = s.indexOf(':');
    if (colon > 0) {
      const name = s.slice(0, colon).toLowerCase();
      if (name in TEXT_FIELDS || name in FILTER_FIELDS || name in RANGE_FIELDS) return false;
    }
  }
  return true;
}

const FIELD_NAME: Record<FilterField, string> = {
  tag: 'tag',
  origin: 'origin',
  classification: 'classification',
  marking: 'marking',
  signer: 'signer',
  to: 'to',
  id: 'id',
};

/** Writes an AST back as query text that parses to the same AST. */
export function formatQuery(n: QueryNode | null): string {
  if (!n) return '';
  switch (n.kind) {
    case 'word': {
      const f = n.field === 'any' ? '' : `${n.field}:`;
      if (!n.prefix && bareOk(n.text, n.field !== 'any')) return f + n.text;
      if (n.prefix && bareOk(n.text, n.field !== 'any') && !n.text.endsWith('*')) return `${f}${n.text}*`;
      // Not expressible bare: quoted (a one-word phrase searches the same tokens), `"…"*` for a prefix.
      return f + quote(n.text) + (n.prefix ? '*' : '');
    }
    case 'phrase':
      return (n.field === 'any' ? '' : `${n.field}:`) + quote(n.text);
    case 'filter':
      return `${FIELD_NAME[n.field]}:${bareOk(n.value, true) && !n.value.includes('..') ? n.value : quote(n.value)}`;
    case 'range': {
      const v = n.from === n.to ? (n.from ?? '') : `${n.from ?? ''}..${n.to ?? ''}`;
      return `${n.field}:${v}`;
    }
    case 'not':
      return `-${wrap(n.child)}`;
    case 'and':
      return n.children.map((c) => (c.kind === 'or' ? `(${formatQuery(c)})` : formatQuery(c))).join(' ');
    case 'or':
      return n.children.map((c) => formatQuery(c)).join(' OR ');
  }
}

function wrap(n: QueryNode): string {
  return n.kind === 'and' || n.kind === 'or' ? `(${formatQuery(n)})` : formatQuery(n);
}

/** The query with one more condition ANDed on (facet links). */
export function narrowQuery(q: string, extra: QueryNode): string {
  const { ast } = parseQuery(q);
  return formatQuery(combine('and', ast ? [ast, extra] : [extra]));
}

// ---------------------------------------------------------------------------------------------
// FTS5: the only way user text reaches MATCH. Every token is double-quoted; quotes are doubled.

/** The tokens unicode61 would index for `s` (letters and digits; everything else separates). */
export function ftsTokens(s: string): string[] {
  return s.match(/[\p{L}\p{N}\p{M}\p{Co}]+/gu) ?? [];
}

function ftsString(tok: string): string {
  return `"${tok.replace(/"/g, '""')}"`;
}

const PAD_TO = 6;

/**
 * Spellings of a number token: `0619` and `619` are the same number. The index keeps tokens as
 * written, so the query asks for the bare number and its zero-padded forms up to six digits (the
 * width of the serials in cable banners; message numbers have four).
 */
export function numberVariants(tok: string): string[] {
  if (!/^\d+$/.test(tok)) return [tok];
  const bare = tok.replace(/^0+(?=\d)/, '');
  const out = [bare];
  for (let w = bare.length + 1; w <= Math.max(PAD_TO, tok.length); w++) out.push(bare.padStart(w, '0'));
  return out;
}

const MAX_PHRASE_VARIANTS = 32;

/** FTS5 expression for a word or phrase (null when nothing searchable is left). */
export function ftsLeaf(text: string, prefix: boolean, field: TextField): string | null {
  const toks = ftsTokens(text);
  if (toks.length === 0) return null;
  let variants: string[][] = [[]];
  toks.forEach((t, i) => {
    const isLast = i === toks.length - 1;
    const forms = prefix && isLast ? [t] : numberVariants(t);
    const next: string[][] = [];
    for (const v of variants) for (const f of forms) next.push([...v, f]);
    // Past the cap keep the spelling as written: still correct, only less forgiving.
    variants = next.length > MAX_PHRASE_VARIANTS ? variants.map((v) => [...v, t]) : next;
  });
  const phrases = variants.map((v) => v.map(ftsString).join(' + ') + (prefix ? ' *' : ''));
  const body = phrases.length === 1 ? phrases[0]! : `(${phrases.join(' OR ')})`;
  return field === 'any' ? body : `${field} : ${phrases.length === 1 ? `(${body})` : body}`;
}

/** Terms to highlight on a cable page reached from a result (`?hl=`). */
export function highlightTerms(n: QueryNode | null): string[] {
  const out = new Set<string>();
  const walk = (x: QueryNode, neg: boolean) => {
    if (x.kind === 'word' || x.kind === 'phrase') {
      if (!neg && x.field !== 'subject') out.add(x.kind === 'word' && x.prefix ? `${x.text}*` : x.text);
    } else if (x.kind === 'not') walk(x.child, !neg);
    else if (x.kind === 'and' || x.kind === 'or') for (const c of x.children) walk(c, neg);
  };
  if (n) walk(n, false);
  return [...out];
}
