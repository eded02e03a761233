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

export class ResponseCache {
  private readonly map = new Map<string, CachedResponse>();
  private state = '';
  private used = 0;

  /** `maxBytes` bounds bodies plus a per-entry overhead; one body may take at most 1/16 of it. */
  constructor(readonly maxBytes: number) {}

  /** The entry under `key` if it was stored under the same archive state `state`. */
  get(key: string, state: string): CachedResponse | undefined {
    this.sync(state);
    const hit = this.map.get(key);
    if (hit) {
      // Re-insert: the Map's order is the eviction order.
      this.map.delete(key);
      this.map.set(key, hit);
    }
    return hit;
  }

  set(key: string, state: string, entry: CachedResponse): void {
    if (this.maxBytes <= 0) return;
    this.sync(state);
    const cost = costOf(key, entry);
    if (cost > this.maxBytes / 16) return;
    const old = this.map.get(key);
    if (old) {
      this.map.delete(key);
      this.used -= costOf(key, old);
    }
    this.map.set(key, entry);
    this.used += cost;
    for (const [k, v] of this.map) {
      if (this.used <= this.maxBytes) break;
      this.map.delete(k);
      this.used -= costOf(k, v);
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

/** Writes a cached response to a node:http response. */
export function writeCached(req: IncomingMessage, res: ServerResponse, hit: CachedResponse): void {
  res.statusCode = hit.status;
  for (const [k, v] of hit.headers) res.setHeader(k, v);
  res.setHeader('content-length', hit.body.byteLength);
  res.end(req.method === 'HEAD' ? undefined : hit.body);
}

/** What an entry counts against the bound: its body, its key and the bookkeeping around them. */
function costOf(key: string, entry: CachedResponse): number {
  return entry.body.byteLength + key.length + ENTRY_OVERHEAD;
}
