import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { ingestFiles } from '../../ingest/pipeline.js';
import { openArchive } from '../../store/open.js';
import { formatSummary } from './ingest.js';
import { parsePort, startServer } from './serve.js';
import { formatStats } from './stats.js';

/** The bundled sample of real cables; resolved from the package root, in src/ and dist/ alike. */
export const SAMPLE = fileURLToPath(new URL('../../../data/sample/cables.jsonl.gz', import.meta.url));

/**
 * `npm start`: the main job on the embedded default. On first run it ingests the bundled sample
 * into a local SQLite archive; then it shows what the archive holds and serves the site.
 */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('ingest the bundled sample into a local archive (first run) and serve the site')
    .option('--db <file>', 'archive file', 'var/demo.db')
    .option('--port <n>', 'TCP port', '8080')
    .option('--host <addr>', 'address to listen on', '127.0.0.1')
    .action(async (o: { db: string; port: string; host: string }) => {
      const fresh = !existsSync(o.db);
      mkdirSync(dirname(o.db), { recursive: true });
      const archive = await openArchive(o.db, { create: true });
      try {
        if (fresh) {
          console.log(`Ingesting the bundled sample (${SAMPLE}) into ${o.db} …`);
          console.log(formatSummary(await ingestFiles(archive.store!, [SAMPLE])));
        } else {
          console.log(`Using the existing archive ${o.db} (delete it to start over).`);
        }
        console.log(`\n${formatStats(await archive.reports.stats())}`);
      } finally {
        await archive.close();
      }
      startServer({ db: o.db, port: parsePort(o.port), host: o.host });
    });
}
