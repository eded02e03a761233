/**
 * Transmission header of a cable: transmission ID, precedence, date-time group, originator and
 * addressees. Headers come in AMHS form (`VZCZC…`, `DE RUEHLO #2178 2611508`, `O 181508Z SEP 09`),
 * old form (`P R 281848Z DEC 66`), MRN printouts of partial extracts, and e-mail forwards.
 */
import { readFileSync } from 'node:fs';
import { parseDtg } from '../cable/dtg.js';
import type { Cable, Precedence } from '../cable/types.js';
import { parseAddressees } from './recipients.js';

/** The header's share of a `Cable`. */
export type Header = Pick<
  Cable,
  | 'transmissionId'
  | 'precedence'
  | 'dtg'
  | 'from'
  | 'recipients'
  | 'infoRecipients'
  | 'originRoute'
  | 'routes'
>;

/** Precedence prosigns of the DTG line (ACP 121): the first one is the action precedence. */
const PROSIGNS: Readonly<Record<string, Precedence>> = {
  Z: 'FLASH',
  O: 'IMMEDIATE',
  P: 'PRIORITY',
  R: 'ROUTINE',
};

const DTG_LINE = /((?:[ZOPR][ \t]+){1,2})?[0-9]{6}Z[ \t]+[A-Za-z]{3}[ \t]+[0-9]{2}/y;
const TRANSMISSION_ID = /^(VZCZC[A-Z0-9]+)/m;
const FROM = /^FM[ \t]+(\S.*?)[ \t]*$/m;
/** `DE RUEHLO #2178 2611508`: the originating station's routing indicator. */
const ORIGIN_ROUTE = /^DE[ \t]+([A-Z]{4,7})(?=[ \t]+#|[ \t]*$)/m;

/** Parses the first date-time group in `text` (see src/cable/dtg.ts). */
export { parseDtg };

/** Precedence from the prosigns before the DTG (`O P 190243Z DEC 89` → IMMEDIATE). */
export function parsePrecedence(header: string): Precedence | null {
  // The pattern never crosses a newline, so trying it at each line start of the header is the
  // same as trying it on each line, without splitting the header.
  for (let at = 0; at <= header.length; ) {
    DTG_LINE.lastIndex = at;
    const m = DTG_LINE.exec(header);
    if (m) return m[1] ? (PROSIGNS[m[1].trim().charAt(0)] ?? null) : null;
    const nl = header.indexOf('\n', at);
    if (nl < 0) break;
    at = nl + 1;
  }
  return null;
}

export function parseTransmissionId(header: string): string | null {
  return TRANSMISSION_ID.exec(header)?.[1] ?? null;
}

export function parseFrom(header: string): string | null {
  const m = FROM.exec(header);
  return m ? m[1]!.replace(/\s+/g, ' ') : null;
}

export function parseOriginRoute(header: string): string | null {
  return ORIGIN_ROUTE.exec(header)?.[1] ?? null;
}

/** The stations of the routing indicators `routes`, for those the routing table knows. */
export function decodeRoutes(routes: Iterable<string | null>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of routes) {
    const name = r ? decodeRoute(r) : null;
    if (r && name) out[r] = name;
  }
  return out;
}

export function parseHeader(header: string, yearHint?: number | null): Header {
  const text = header ?? '';
  const { to, info } = parseAddressees(text);
  const originRoute = parseOriginRoute(text);
  return {
    transmissionId: parseTransmissionId(text),
    precedence: parsePrecedence(text),
    dtg: parseDtg(text, yearHint),
    from: parseFrom(text),
    recipients: to,
    infoRecipients: info,
    originRoute,
    routes: decodeRoutes([originRoute, ...to.map((r) => r.route), ...info.map((r) => r.route)]),
  };
}

/** Routing indicator → station (`RUEHBU` → `AMEMBASSY BUENOS AIRES`), from cablemap's table. */
const ROUTES: ReadonlyMap<string, string> = loadRoutes();

function loadRoutes(): Map<string, string> {
  const map = new Map<string, string>();
  const text = readFileSync(new URL('./data/routing-indicators.csv', import.meta.url), 'utf8');
  for (const line of text.split('\n')) {
    const comma = line.indexOf(',');
    if (comma <= 0) continue;
    const route = line.slice(0, comma).trim();
    let name = line.slice(comma + 1).trim();
    if (name.startsWith('"') && name.endsWith('"')) name = name.slice(1, -1);
    // Some indicators are listed twice with different stations; the first listing wins.
    if (!map.has(route)) map.set(route, name);
  }
  return map;
}

export function decodeRoute(route: string): string | null {
  return ROUTES.get(route.trim().toUpperCase()) ?? null;
}
