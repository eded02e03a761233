import type { Command } from 'commander';
import type { ArchiveStats } from '../../store/types.js';
import { withArchive } from '../with-archive.js';

export function formatStats(s: ArchiveStats): string {
  const lines = [
    `cables      ${s.cables}`,
    `released    ${s.released}`,
    `embargoed   ${s.embargoed}${s.scheduled ? ` (${s.scheduled} with a release time still ahead)` : ''}`,
    `versions    ${s.versions}`,
    `rejected    ${s.rejected}`,
    `aliases     ${s.aliases}`,
    `origins     ${s.origins}`,
    `tags        ${s.tags}`,
    `references  ${s.references.total} (resolved ${s.references.resolved}, dangling ${s.references.dangling})`,
    'by classification:',
    ...Object.entries(s.byClassification).map(([k, n]) => `  ${k.padEnd(36)} ${n}`),
    'by year:',
    ...Object.entries(s.byYear).map(([k, n]) => `  ${k}  ${n}`),
  ];
  return lines.join('\n');
}

export function registerStats(program: Command): void {
  program
    .command('stats')
    .description('report what an archive holds')
    .requiredOption('--db <file>', 'archive file')
    .option('--json', 'print JSON')
    .action((o: { db: string; json?: boolean }) =>
      withArchive('stats', o.db, { readonly: true }, async (archive) => {
        const s = await archive.reports.stats();
        process.stdout.write(`${o.json ? JSON.stringify(s) : formatStats(s)}\n`);
      }),
    );
}
