import { serve } from '@hono/node-server';
import type { Command } from 'commander';
import { SqliteSearch } from '../../search/sqlite-search.js';
import { SqliteReader } from '../../store/sqlite/sqlite-reader.js';
import { openDatabase } from '../../store/sqlite/sqlite-store.js';
import { createApp } from '../../web/app.js';
import { searchRoutes } from '../../web/routes/search.js';

export interface ServeOptions {
  db: string;
  port: number;
  host: string;
  baseUrl?: string;
}

/** Starts the public site on an archive; shared by `cables serve` and `cables demo`. */
export function startServer(o: ServeOptions): void {
  // Bring the schema up to date (listing indexes) once; a read-only file is served as it is.
  try {
    openDatabase(o.db).close();
  } catch (e) {
    process.stderr.write(`note: archive not upgraded (${(e as Error).message}); serving as is\n`);
  }
  const reader = new SqliteReader(o.db);
  const engine = SqliteSearch.open(o.db);
  const app = createApp(reader, {
    ...(o.baseUrl ? { baseUrl: o.baseUrl } : {}),
    modules: [searchRoutes(engine)],
  });
  const server = serve({ fetch: app.fetch, port: o.port, hostname: o.host }, (info) => {
    process.stdout.write(`serving ${o.db} on http://${o.host}:${info.port}/\n`);
    // Warm the shared aggregates after listening, so the first visitor does not pay for them.
    setImmediate(() => {
      void Promise.resolve(app.request('/')).catch(() => {});
      engine.preload();
    });
  });
  const stop = () => {
    server.close();
    void reader.close();
    void engine.close();
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

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the public site (released cables only) over HTTP')
    .requiredOption('--db <file>', 'archive file')
    .option('--port <n>', 'TCP port', '8080')
    .option('--host <addr>', 'address to listen on', '127.0.0.1')
    .option('--base-url <url>', 'public origin for absolute links in feeds and the sitemap')
    .action((o: { db: string; port: string; host: string; baseUrl?: string }) => {
      startServer({ db: o.db, port: parsePort(o.port), host: o.host, baseUrl: o.baseUrl });
    });
}
