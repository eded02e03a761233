import type { Command } from 'commander';
import { type IngestSummary, ingestFiles } from '../../ingest/pipeline.js';
import { createProgress } from '../../ingest/progress.js';
import type { SourceFormat } from '../../source/types.js';
import { openArchive } from '../../store/open.js';
import type { Archive } from '../../store/types.js';

const FORMATS: SourceFormat[] = ['csv', 'archive-csv', 'pages', 'jsonl', 'text'];

/** `now` or any date Date.parse accepts, as ISO 8601 UTC. */
export function parseReleasedAt(value: string): string {
  if (value === 'now') return new Date().toISOString();
  const t = Date.parse(/^\d{4}-\d\d-\d\d$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(t)) throw new Error(`--released-at: not a date: ${value}`);
  return new Date(t).toISOString();
}

export function formatSummary(s: IngestSummary): string {
  const secs = s.elapsedMs / 1000;
  const lines = [
    `inserted ${s.inserted}, versions added ${s.versionsAdded}, unchanged ${s.unchanged}, rejected ${s.rejected}`,
    `${s.rows} rows, ${(s.bytes / 1048576).toFixed(1)} MB in ${secs.toFixed(1)} s`,
  ];
  for (const src of s.sources) {
    if (src.resumedFrom)
      lines.push(`${src.source}: resumed at row ${src.resumedFrom.row} (byte ${src.resumedFrom.offset})`);
  }
  if (s.rejectedEarlier) lines.push(`${s.rejectedEarlier} rows were rejected before the resume point`);
  for (const r of s.rejects.slice(0, 50)) {
    const where = [r.row !== null ? `row ${r.row}` : '', r.line !== null ? `line ${r.line}` : ''].filter(
      Boolean,
    );
    lines.push(`rejected ${r.source}${where.length ? ` ${where.join(' ')}` : ''}: ${r.reason}`);
  }
  if (s.rejects.length > 50) lines.push(`… and ${s.rejected - 50} more (cables rejects --db FILE)`);
  return lines.join('\n');
}

export function registerIngest(program: Command): void {
  program
    .command('ingest')
    .description('ingest cables from cables.csv, site pages, JSON lines or text files into an archive')
    .argument('<sources...>', 'files or directories to ingest')
    .requiredOption('--db <file>', 'archive file (created when missing)')
    .option('--format <format>', `source format, overriding detection (${FORMATS.join('|')})`)
    .option('--released-at <date>', 'release time for cables whose source carries none (DATE or now)')
    .option('--json', 'print the summary as one JSON line')
    .action(
      async (sources: string[], o: { db: string; format?: string; releasedAt?: string; json?: boolean }) => {
        let archive: Archive | null = null;
        const progress = createProgress();
        try {
          if (o.format && !FORMATS.includes(o.format as SourceFormat)) {
            throw new Error(`--format must be one of ${FORMATS.join(', ')}`);
          }
          const releasedAt = o.releasedAt ? parseReleasedAt(o.releasedAt) : null;
          archive = await openArchive(o.db, { create: true });
          const summary = await ingestFiles(archive.store!, sources, {
            format: o.format as SourceFormat | undefined,
            releasedAt,
            onProgress: (p) => progress.update(p),
          });
          progress.stop();
          process.stdout.write(`${o.json ? JSON.stringify(summary) : formatSummary(summary)}\n`);
          process.exitCode = summary.rejected + summary.rejectedEarlier > 0 ? 3 : 0;
        } catch (err) {
          progress.stop();
          process.stderr.write(`cables ingest: ${(err as Error).message}\n`);
          process.exitCode = 1;
        } finally {
          await archive?.close();
        }
      },
    );
}
