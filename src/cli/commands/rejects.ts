import type { Command } from 'commander';
import { withArchive } from '../with-archive.js';

export function registerRejects(program: Command): void {
  program
    .command('rejects')
    .description('list the rows and files an ingest rejected (source, row/line, reason)')
    .requiredOption('--db <file>', 'archive file')
    .option('--json', 'one JSON object per line, with the raw text')
    .action((o: { db: string; json?: boolean }) =>
      withArchive('rejects', o.db, { readonly: true }, async (archive) => {
        for await (const r of archive.reports.rejects()) {
          const line = o.json
            ? JSON.stringify(r)
            : [r.source, r.row ?? '', r.line ?? '', r.reason.replace(/[\t\n]/g, ' ')].join('\t');
          if (!process.stdout.write(`${line}\n`))
            await new Promise((res) => process.stdout.once('drain', res));
        }
      }),
    );
}
