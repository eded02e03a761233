/**
 * The store contract suite: every behaviour of an archive that the site, search, ingest and
 * export rely on, run against a backend through its factory (`test/store/sqlite.test.ts` for
 * SQLite; a PostgreSQL backend runs the same).
 */
import { describe } from 'node:test';
import type { ArchiveFactory } from './contract-fixture.js';
import { readerContract } from './contract-reader.js';
import { reportContract } from './contract-reports.js';
import { writeContract } from './contract-writes.js';

export type { ArchiveFactory, TestArchive, WritableArchive } from './contract-fixture.js';

export function archiveContract(name: string, factory: ArchiveFactory): void {
  describe(`archive contract: ${name}`, () => {
    writeContract(factory);
    reportContract(factory);
    readerContract(factory);
  });
}
