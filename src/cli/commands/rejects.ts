import type { Command } from 'commander';
import { SqliteStore } from '../../store/sqlite/sqlite-store.js';

export function registerRejects(program: Command): void {
  program
    .command('rejects')
    .description('list the rows and files an ingest rejected (source, row/line, reason)')
    .requiredOption('--db <file>', 'archive file')
    .option('--json', 'one JSON object per line, with the raw text')
    .action(async (o: { db: string; json?: boolean }) => {
      const store = new SqliteStore(o.db);
      try {
        for await (const r of store.rejects()) {
          const line = o.json
            ? JSON.stringify(r)
            : [r.source, r.row ?? '', r.line ?? '', r.reason.replace(/[\t\n]/g, ' ')].join('\t');
          if (!process.stdout.write(`${line}\n`))
            await new Promise((res) => process.stdout.once('drain', res));
        }
      } finally {
        await store.close();
      }
    });
}
