/**
 * The rendered-response cache, bounded in bytes and emptied whenever the archive's public state
 * changes. The app fills it; `cables serve` answers its hits before Hono sees the request.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MiddlewareHandler } from 'hono';

export interface CachedResponse {
  status: number;
  headers: [string, string][];
  body: Uint8Array;
}

/** What one entry costs beyond its body: key, headers, Map slot (an order of magnitude). */
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

  /** The entry as kept. A hit only sets its use bit, cheaper than moving it to the Map's end. */
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

/** Answers GET and HEAD from `cache` and stores what the routes render (200, 301, 404). */
export function cacheMiddleware(cache: ResponseCache, stateKey: () => Promise<string>): MiddlewareHandler {
  return async (c, next) => {
    if (cache.maxBytes <= 0 || (c.req.method !== 'GET' && c.req.method !== 'HEAD')) return next();
    const state = await stateKey();
    const key = c.req.url;
    const hit = cache.get(key, state);
    if (hit) {
      return new Response(c.req.method === 'HEAD' ? null : hit.body, {
        status: hit.status,
        headers: hit.headers,
      });
    }
    await next();
    const res = c.res;
    if (![200, 301, 404].includes(res.status)) return;
    // A highlighted page is one reader's view of one query: caching every ?hl= would evict the canonical pages.
    if (c.req.query('hl') !== undefined) return;
    // Streamed exports say no-store: buffering them would hold a whole export in memory.
    if (res.headers.get('cache-control')?.includes('no-store')) return;
    const body = new Uint8Array(await res.arrayBuffer());
    const headers = [...res.headers.entries()];
    cache.set(key, state, { status: res.status, headers, body });
    // The bytes, not a clone: node-server writes a cloned (streamed) body over several event-loop turns.
    c.res = new Response(c.req.method === 'HEAD' ? null : body, { status: res.status, headers });
  };
}

/**
 * The cache key of a request as node:http sees it: the URL Hono builds from it (`http://host/path`),
 * or null when it cannot be answered from the cache. A path Hono would normalise simply misses.
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

function costOf(key: string, entry: CachedResponse): number {
  return entry.body.byteLength + key.length + ENTRY_OVERHEAD;
}
