import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Project root, whichever directory the tests run from. */
export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Root of the shared test material. Tests read it only through this path, so a run can point it
 * elsewhere with CABLES_FIXTURES (default: `../shared` beside the project).
 */
export const fixturesRoot = resolve(process.env['CABLES_FIXTURES'] ?? join(projectRoot, '..', 'shared'));

export function fixture(...parts: string[]): string {
  const p = join(fixturesRoot, ...parts);
  if (!existsSync(p)) {
    throw new Error(`test fixture missing: ${p} (set CABLES_FIXTURES to the shared/ folder)`);
  }
  return p;
}
