import { openArchive } from '../store/open.js';
import type { Archive, ArchiveOptions } from '../store/types.js';

/** Runs a command on the archive `spec`, closed after; a failure is one line on stderr and exit code 1. */
export async function withArchive(
  command: string,
  spec: string,
  opts: ArchiveOptions,
  run: (archive: Archive) => Promise<void>,
): Promise<void> {
  let archive: Archive | null = null;
  try {
    archive = await openArchive(spec, opts);
    await run(archive);
  } catch (err) {
    process.stderr.write(`cables ${command}: ${(err as Error).message}\n`);
    process.exitCode = 1;
  } finally {
    await archive?.close();
  }
}
