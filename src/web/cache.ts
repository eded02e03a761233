/**
 * The rendered-response cache of the site, bounded in bytes and emptied whenever the public state
 * of the archive changes (a commit, a release time passing). The app fills it; a node:http front
 * (`cables serve`) reads it before handing a request to Hono, so a hit costs one Map lookup and a
 * socket write instead of a Request, a Response and the router.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface CachedResponse {
  status: number;
  headers: [string, string][];
  body: Uint8Array;
}

/** What one entry costs beyond its body: key, headers, Map slot (measured order of magnitude). */
const ENTRY_OVERHEAD = 600;

/** An entry as kept: the response, its headers flattened once for `writeHead`, a use bit. */
interface Kept {
  response: CachedResponse;
  raw: string[];
  used: boolean;
}

export class ResponseCache {
  private readonly map = new Map<string, Kept>();
  private state = '';
  private used = 0;

  /** `maxBytes` bounds bodies plus a per-entry overhead; one body may take at most 1/16 of it. */
  constructor(readonly maxBytes: number) {}

  /** The entry under `key` if it was stored under the same archive state `state`. */
  get(key: string, state: string): CachedResponse | undefined {
    return this.hit(key, state)?.response;
  }

  /**
   * The entry as kept. A hit only sets its use bit (moving it to the end of the Map on every hit
   * cost two Map operations per request); eviction gives a used entry a second pass.
   */
  hit(key: string, state: string): Kept | undefined {
    this.sync(state);
    const kept = this.map.get(key);
    if (kept) kept.used = true;
    return kept;
  }

  set(key: string, state: string, entry: CachedResponse): void {
    if (this.maxBytes <= 0) return;
    this.sync(state);
    const cost = costOf(key, entry);
    if (cost > this.maxBytes / 16) return;
    const old = this.map.get(key);
    if (old) {
      this.map.delete(key);
      this.used -= costOf(key, old.response);
    }
    const raw = entry.headers.filter(([k]) => k.toLowerCase() !== 'content-length').flat();
    raw.push('content-length', String(entry.body.byteLength));
    this.map.set(key, { response: entry, raw, used: false });
    this.used += cost;
    // Oldest first; a used entry goes to the end with its bit cleared (second chance).
    while (this.used > this.maxBytes) {
      const [k, v] = this.map.entries().next().value as [string, Kept];
      this.map.delete(k);
      if (v.used && k !== key) {
        v.used = false;
        this.map.set(k, v);
      } else this.used -= costOf(k, v.response);
    }
  }

  private sync(state: string): void {
    if (state !== this.state) {
      this.map.clear();
      this.used = 0;
      this.state = state;
    }
  }
}

/**
 * The cache key of a request as node:http sees it: the URL Hono builds from it (`http://host/path`).
 * Null when the request cannot be answered from the cache. A raw path that Hono would normalise
 * (dot segments, odd characters) has a key no stored entry has, so it simply misses.
 */
export function nodeCacheKey(req: IncomingMessage): string | null {
  if (req.method !== 'GET' && req.method !== 'HEAD') return null;
  const host = req.headers.host;
  const url = req.url;
  if (!host || !url || url.charCodeAt(0) !== 47) return null;
  return `http://${host}${url}`;
}

/** Writes a kept response to a node:http response. */
export function writeCached(req: IncomingMessage, res: ServerResponse, hit: Kept): void {
  res.writeHead(hit.response.status, hit.raw);
  res.end(req.method === 'HEAD' ? undefined : hit.response.body);
}

/** What an entry counts against the bound: its body, its key and the bookkeeping around them. */
function costOf(key: string, entry: CachedResponse): number {
  return entry.body.byteLength + key.length + ENTRY_OVERHEAD;
}
