/**
 * TO and INFO addressees of a cable header. Each addressee line is
 * `[ROUTE/]NAME [PRECEDENCE] [MCN]`; an `XMT` line starts a list of addressees that are
 * excluded from the collective above it (5 FAH-2 H-321.9).
 */
import type { Precedence, Recipient } from '../cable/types.js';

export interface AddresseeLists {
  to: Recipient[];
  info: Recipient[];
}

/** `PAGE 02        STATE   015113  182333Z` — a page break of the printed header. */
const PAGE_BREAK =
  /PAGE[ \t]+\d{1,3}[ \t]+[A-Z][A-Z .'-]*?[ \t]+\d{2,7}(?:[ \t]+\d{1,3}[ \t]+OF[ \t]+\d{1,3})?[ \t]+\d{6}Z[ \t]*/g;
/** MRN printout noise: `----------8A8E0D  271459Z /38`, `CONFIDENTIAL  PTQ2529`, office symbols. */
const NOISE_LINE =
  /^\s*(?:-{4,}.*|(?:UNCLASSIFIED|CONFIDENTIAL|SECRET|LIMITED OFFICIAL USE)\s+[A-Z]{2,4}\d+|(?:[A-Z]{1,5}-\d\d\s+)*[A-Z]{1,5}-\d\d(?:\s+\/\d{3}[A-Z])?|\(?[A-Z]{1,5}-\d\d.*\/\d{3}[A-Z]|\/\d{3}[A-Z])\s*$/;
/** Distribution list of the MRN printout (`INFO  LOG-00   MFA-00 …`): offices, not addressees. */
const OFFICE_LIST = /^\s*[A-Z]{1,5}-\d\d\b/;
const SECTION_START = /^(TO|INFO)(?:\s+|$)/;
const XMT = /^XMT(?:\s+|$)/;
const ROUTE = /^(R[A-Z0-9]{3,6})\/\s*/;
/** MCN, or a range of them for a multi-section cable (`1256-1257`); sometimes glued to the name. */
const MCN = /(?:\s+|(?<=[A-Z]))(\d{4,}(?:-\d{4,})?)$/;
const PRECEDENCE = /(?:^|\s+)(FLASH|NIACT IMMEDIATE|IMMEDIATE|PRIORITY|PIORITY|ROUTINE)$/;
const COLLECTIVE = /\bCOLLECTIVE\b|^ALL\b|\bPOSTS\b/;
/** Lines that end the address block (a following header of a forwarded copy, etc.). */
const BLOCK_END = /^(?:FM|DE|ZNY|ZNR|VZCZC|SUBJECT:|SUBJ:|E\.O\.)/;

/** Last letters of the PRECEDENCE words: FLASH, …IMMEDIATE, ROUTINE, PRIORITY, PIORITY. */
const PRECEDENCE_LAST = new Set([0x48, 0x45, 0x59]);

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function normalisePrecedence(p: string): Precedence {
  return (p === 'PIORITY' ? 'PRIORITY' : p) as Precedence;
}

/** Parses one addressee line (already stripped of the TO/INFO keyword). */
export function parseAddressee(line: string): Recipient | null {
  let rest = line.trim();
  let route: string | null = null;
  const r = ROUTE.exec(rest);
  if (r) {
    route = r[1]!;
    rest = rest.slice(r[0].length);
  }
  let mcn: string | null = null;
  // Both patterns end at the end of the line: a digit (MCN) or H, E, Y (precedence) must be last.
  const m = isDigit(rest.charCodeAt(rest.length - 1)) ? MCN.exec(rest) : null;
  if (m) {
    mcn = m[1]!;
    rest = rest.slice(0, m.index);
  }
  let precedence: Precedence | null = null;
  const p = PRECEDENCE_LAST.has(rest.charCodeAt(rest.length - 1)) ? PRECEDENCE.exec(rest) : null;
  if (p && p.index > 0) {
    precedence = normalisePrecedence(p[1]!);
    rest = rest.slice(0, p.index);
  }
  const name = rest.replace(/\s+/g, ' ').trim();
  if (!name) return null;
  return { route, name, precedence, mcn, excluded: [] };
}

/** The addressee name alone, as listed after `XMT` (route and precedence are not kept). */
function excludedName(line: string): string | null {
  return parseAddressee(line)?.name ?? null;
}

function attachExclusion(list: Recipient[], fallback: Recipient[], name: string): void {
  const target = lastCollective(list) ?? lastCollective(fallback) ?? list.at(-1);
  if (target && !target.excluded.includes(name)) target.excluded.push(name);
}

function lastCollective(list: Recipient[]): Recipient | undefined {
  for (let i = list.length - 1; i >= 0; i--) {
    if (COLLECTIVE.test(list[i]!.name)) return list[i];
  }
  return undefined;
}

/**
 * Index of the first line of the address block: the first `TO` line, or else the first `INFO`
 * line that lists addressees (not the office symbols of an MRN distribution list).
 */
function firstSectionLine(lines: string[]): number {
  let info = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('TO ') || line === 'TO') return i;
    if (info < 0 && line.startsWith('INFO') && SECTION_START.test(line)) {
      if (!OFFICE_LIST.test(line.slice(4))) info = i;
    }
  }
  return info;
}

/** Both addressee lists of a header (or header fragment). */
export function parseAddressees(header: string): AddresseeLists {
  const out: AddresseeLists = { to: [], info: [] };
  if (!header) return out;
  const lines = header.replace(PAGE_BREAK, '').split(/\r?\n/);
  const start = firstSectionLine(lines);
  if (start < 0) return out;
  let list: Recipient[] | null = null;
  let excluding = false;
  for (let i = start; i < lines.length; i++) {
    let line = lines[i]!;
    const s = SECTION_START.exec(line);
    if (s) {
      const next = s[1] === 'TO' ? out.to : out.info;
      // A second INFO (or TO) would be another message's header: stop there.
      if (next.length > 0 || (next === out.to && list === out.info)) break;
      list = next;
      excluding = false;
      line = line.slice(s[0].length);
    } else if (BLOCK_END.test(line)) {
      break;
    }
    if (!list || !line.trim() || NOISE_LINE.test(line)) continue;
    const x = XMT.exec(line);
    if (x) {
      excluding = true;
      line = line.slice(x[0].length);
      if (!line.trim()) continue;
    }
    if (excluding) {
      const name = excludedName(line);
      if (name) attachExclusion(list, out.to, name);
      continue;
    }
    const rec = parseAddressee(line);
    if (rec) list.push(rec);
  }
  return out;
}

export function parseRecipients(header: string): Recipient[] {
  return parseAddressees(header).to;
}

export function parseInfoRecipients(header: string): Recipient[] {
  return parseAddressees(header).info;
}
