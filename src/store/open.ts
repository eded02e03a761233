/**
 * Opens an archive by its spec: a file path is an SQLite archive (the embedded default). This is
 * where other backends' specs (`postgres://…`) will be told apart.
 */
import { openSqliteArchive } from './sqlite/archive.js';
import type { Archive, ArchiveOptions } from './types.js';

export async function openArchive(spec: string, opts: ArchiveOptions = {}): Promise<Archive> {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(spec))
    throw new Error(`${spec}: only SQLite archive files are supported`);
  return openSqliteArchive(spec, opts);
}
