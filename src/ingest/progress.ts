/** Ingest progress: a bar on a terminal (rows, MB/s, ETA), a plain log line every few seconds otherwise. */
import cliProgress from 'cli-progress';
import type { Progress } from './pipeline.js';

export interface ProgressReporter {
  update(p: Progress): void;
  stop(): void;
}

const MB = 1024 * 1024;

export function createProgress(stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  return stream.isTTY ? new BarProgress(stream) : new LogProgress(stream);
}

/** The bar's label for each step after the load. */
const AFTER_LOAD = {
  index: 'building search index',
  merge: 'merging search index',
  indexes: 'building listing indexes',
} as const;

class BarProgress implements ProgressReporter {
  private readonly bar: cliProgress.SingleBar;
  private source = '';
  private readonly started = Date.now();

  constructor(stream: NodeJS.WriteStream) {
    this.bar = new cliProgress.SingleBar(
      {
        stream,
        format: '{source} |{bar}| {percentage}% | {rows} rows | {mbps} MB/s | ETA {eta_formatted}',
        etaBuffer: 50,
        hideCursor: true,
        fps: 5,
      },
      cliProgress.Presets.shades_classic,
    );
  }

  update(p: Progress): void {
    const secs = Math.max((Date.now() - this.started) / 1000, 0.001);
    const after = AFTER_LOAD[p.phase as keyof typeof AFTER_LOAD];
    if (after) {
      // The load is done; the background full-text index catches up, then joins the archive.
      if (this.source !== p.phase) {
        if (this.source) this.bar.stop();
        this.source = p.phase;
        this.bar.start(Math.max(p.totalBytes, 1), p.position, { source: '', rows: 0, mbps: '' });
      }
      this.bar.update(Math.min(p.position, Math.max(p.totalBytes, 1)), {
        source: after,
        rows: p.indexed ?? p.rows,
        mbps: '-',
      });
      return;
    }
    const payload = {
      source: p.source,
      rows: p.rows,
      mbps: (p.bytes / MB / secs).toFixed(1),
    };
    if (p.source !== this.source && p.phase === 'ingest') {
      if (this.source) this.bar.stop();
      this.source = p.source;
      this.bar.start(Math.max(p.totalBytes, 1), p.position, payload);
    }
    this.bar.update(Math.min(p.position, Math.max(p.totalBytes, 1)), payload);
  }

  stop(): void {
    if (this.source) this.bar.stop();
  }
}

class LogProgress implements ProgressReporter {
  private last = 0;
  private readonly started = Date.now();

  constructor(private readonly stream: NodeJS.WriteStream) {}

  update(p: Progress): void {
    const now = Date.now();
    if (p.phase === 'merge') {
      this.stream.write(`ingest: merging the search index into the archive\n`);
      return;
    }
    if (p.phase === 'indexes') {
      this.stream.write(`ingest: building the listing and search indexes of the first load\n`);
      return;
    }
    if (p.phase === 'index') {
      if (p.indexed === undefined) {
        this.stream.write(`ingest: building search index over ${p.rows} rows\n`);
      } else if (now - this.last >= 5000 || p.indexed >= p.totalBytes) {
        this.last = now;
        this.stream.write(`ingest: search index ${p.indexed} of ${p.totalBytes} cables\n`);
      }
      return;
    }
    if (now - this.last < 5000) return;
    this.last = now;
    const secs = Math.max((now - this.started) / 1000, 0.001);
    const pct = p.totalBytes ? ` ${((100 * p.position) / p.totalBytes).toFixed(1)}%` : '';
    this.stream.write(
      `ingest: ${p.source}${pct} ${p.rows} rows ${(p.bytes / MB / secs).toFixed(1)} MB/s elapsed ${secs.toFixed(0)}s\n`,
    );
  }

  stop(): void {}
}
