import cluster from 'node:cluster';
import { createServer } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import type { Command } from 'commander';
import { SqliteSearch } from '../../search/sqlite/engine.js';
import { openSqliteArchive } from '../../store/sqlite/archive.js';
import { createApp, DEFAULT_CACHE_BYTES } from '../../web/app.js';
import { nodeCacheKey, ResponseCache, writeCached } from '../../web/cache.js';
import { searchRoutes } from '../../web/routes/search.js';

export interface ServeOptions {
  db: string;
  port: number;
  host: string;
  baseUrl?: string;
  /** Processes serving the port (node:cluster); 1 serves from this process. */
  workers?: number;
  /** Response cache per process, in MiB (0: none). */
  cacheMb?: number;
}

/**
 * How long the node:http front answers cache hits under the archive state it last read. A
 * commit or a release time shows up at most this late; what is public only grows (a release is
 * never taken back, and an embargoed cable's page is never rendered), so a page served this late
 * never shows what should be hidden.
 */
const STATE_TTL_MS = 50;

/**
 * SQLite page cache of the connection the site and search share: the b-tree interior and hot
 * index pages of both (the FTS index's for search), and of the facet helper's connection.
 */
const SITE_CACHE_KIB = 32 * 1024;
const SEARCH_CACHE_KIB = 16 * 1024;

/** Starts the public site on an archive; shared by `cables serve` and `cables demo`. */
export function startServer(o: ServeOptions): void {
  const workers = o.workers ?? 1;
  if (workers > 1 && cluster.isPrimary) {
    // An archive the workers cannot open is reported once, not by each worker restarted in a loop.
    void openSqliteArchive(o.db, { readonly: true }).close();
    let stopping = false;
    for (let i = 0; i < workers; i++) cluster.fork();
    cluster.on('exit', (w, code, signal) => {
      if (stopping) return;
      process.stderr.write(`worker ${w.process.pid} exited (${signal ?? code}); starting another\n`);
      cluster.fork();
    });
    let listening = 0;
    cluster.on('listening', (_w, addr) => {
      if (++listening === workers)
        process.stdout.write(`serving ${o.db} on http://${o.host}:${addr.port}/ (${workers} workers)\n`);
    });
    const stop = () => {
      stopping = true;
      for (const w of Object.values(cluster.workers ?? {})) w?.kill('SIGTERM');
      process.exit(0);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    return;
  }
  // One read-only connection for the site and search: serving never writes the archive.
  const archive = openSqliteArchive(o.db, { readonly: true, cacheKiB: SITE_CACHE_KIB + SEARCH_CACHE_KIB });
  const reader = archive.reader;
  const engine = new SqliteSearch(archive);
  const cache = new ResponseCache(o.cacheMb === undefined ? DEFAULT_CACHE_BYTES : o.cacheMb * 2 ** 20);
  const app = createApp(reader, {
    ...(o.baseUrl ? { baseUrl: o.baseUrl } : {}),
    cache,
    modules: [searchRoutes(engine)],
  });
  const hono = getRequestListener(app.fetch);
  // The archive state the front last read, trusted for STATE_TTL_MS: reading it (PRAGMA
  // data_version looks at the WAL index) costs as much as the rest of a cache hit.
  let state: string | null = null;
  let stateAt = 0;
  const server = createServer((req, res) => {
    const key = cache.maxBytes > 0 ? nodeCacheKey(req) : null;
    if (key === null) return hono(req, res);
    const answer = (s: string) => {
      const hit = cache.hit(key, s);
      return hit ? writeCached(req, res, hit) : hono(req, res);
    };
    const t = performance.now();
    if (state !== null && t - stateAt < STATE_TTL_MS) return answer(state);
    return reader.stateKey().then((s) => {
      state = s;
      stateAt = t;
      return answer(s);
    });
  });
  server.listen(o.port, o.host, () => {
    const addr = server.address();
    const port = typeof addr === 'object' && addr ? addr.port : o.port;
    if (cluster.isPrimary) process.stdout.write(`serving ${o.db} on http://${o.host}:${port}/\n`);
    // Warm the shared aggregates (counter, navigation, home) after listening, so the first visitor
    // does not pay for them. The search engine's facet index is not preloaded: it loads on the
    // first search, and a site that nobody searches does not hold it in memory.
    setImmediate(() => {
      void Promise.resolve(app.request('/')).catch(() => {});
    });
  });
  const stop = () => {
    server.close();
    void engine.close().then(() => archive.close());
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: not a port: ${value}`);
  return port;
}

function parseCount(name: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`${name}: a whole number from ${min} to ${max}`);
  return n;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the public site (released cables only) over HTTP')
    .requiredOption('--db <file>', 'archive file')
    .option('--port <n>', 'TCP port', '8080')
    .option('--host <addr>', 'address to listen on', '127.0.0.1')
    .option('--base-url <url>', 'public origin for absolute links in feeds and the sitemap')
    .option('--workers <n>', 'server processes sharing the port (each with its own caches)', '1')
    .option('--cache-mb <n>', 'rendered pages kept in memory per process, in MiB (0: none)', '32')
    .action(
      (o: { db: string; port: string; host: string; baseUrl?: string; workers: string; cacheMb: string }) => {
        try {
          startServer({
            db: o.db,
            port: parsePort(o.port),
            host: o.host,
            ...(o.baseUrl ? { baseUrl: o.baseUrl } : {}),
            workers: parseCount('--workers', o.workers, 1, 64),
            cacheMb: parseCount('--cache-mb', o.cacheMb, 0, 65536),
          });
        } catch (err) {
          process.stderr.write(`cables serve: ${(err as Error).message}\n`);
          process.exitCode = 1;
        }
      },
    );
}
