import type { Command } from 'commander';
import { SqliteStore } from '../../store/sqlite/sqlite-store.js';
import type { ExportedCable } from '../../store/types.js';

async function write(line: string): Promise<void> {
  if (!process.stdout.write(line)) await new Promise((res) => process.stdout.once('drain', res));
}

export function registerExportData(program: Command): void {
  program
    .command('export-data')
    .description('stream the whole archive (IDs, aliases, metadata, raw texts, parsed fields, release state)')
    .requiredOption('--db <file>', 'archive file')
    .option(
      '--format <format>',
      'jsonl or csv (the CSV re-imports losslessly with --format archive-csv)',
      'jsonl',
    )
    .option('--released-only', 'only cables that have been released')
    .action(async (o: { db: string; format: string; releasedOnly?: boolean }) => {
      const store = new SqliteStore(o.db, { readonly: true });
      try {
        const cables = store.exportCables({ releasedOnly: o.releasedOnly ?? false });
        if (o.format === 'jsonl') {
          for await (const c of cables) await write(`${JSON.stringify(c)}\n`);
        } else if (o.format === 'csv') {
          await exportCsv(cables);
        } else {
          throw new Error(`--format must be jsonl or csv, not ${o.format}`);
        }
      } catch (err) {
        process.stderr.write(`cables export-data: ${(err as Error).message}\n`);
        process.exitCode = 1;
      } finally {
        await store.close();
      }
    });
}

async function exportCsv(cables: AsyncIterable<ExportedCable>): Promise<void> {
  const { archiveCsvHeader, archiveCsvRow } = await import('../../source/archive-csv.js');
  await write(archiveCsvHeader());
  for await (const c of cables) {
    await write(
      archiveCsvRow({
        ...c,
        released: c.releasedAt,
        parsed: c.parsed as object,
        extra: c.extra as Record<string, unknown>,
      }),
    );
  }
}
