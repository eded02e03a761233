import type { Command } from 'commander';
import type { ExportedCable } from '../../store/types.js';
import { withArchive } from '../with-archive.js';

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
    .action((o: { db: string; format: string; releasedOnly?: boolean }) =>
      withArchive('export-data', o.db, { readonly: true }, async (archive) => {
        const cables = archive.reports.exportCables({ releasedOnly: o.releasedOnly ?? false });
        if (o.format === 'jsonl') {
          for await (const c of cables) await write(`${JSON.stringify(c)}\n`);
        } else if (o.format === 'csv') {
          await exportCsv(cables);
        } else {
          throw new Error(`--format must be jsonl or csv, not ${o.format}`);
        }
      }),
    );
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
