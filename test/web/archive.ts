/** Builds the test archives of the web tests: real files in a temp dir, ingested once per test file. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { type IngestOptions, type IngestSummary, ingestFiles } from '../../src/ingest/pipeline.js';
import { openSqliteArchive } from '../../src/store/sqlite/archive.js';
import { fixture } from '../fixtures.js';

export const now = () => '2024-01-01T00:00:00.000Z';

export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A cable whose every field tries to inject markup. */
export const HOSTILE = {
  id: '09TESTPOST777',
  created: '2009-12-13 22:03',
  released: '2010-12-01 10:00',
  classification: 'CONFIDENTIAL',
  origin: 'Embassy <script>Origin</script>',
  header: 'O 132203Z DEC 09\nFM AMEMBASSY TESTPOST\nTO SECSTATE WASHDC <img src=x onerror=alert(1)>\n',
  body:
    'C O N F I D E N T I A L TESTPOST 000777\n\nE.O. 12958: DECL: 12/13/2019\nTAGS: PGOV PREL\n' +
    'SUBJECT: <script>alert("subject")</script> & FRIENDS\n\n1. (C) Body with <script>alert(1)</script> and ' +
    '"quotes" & <b>bold</b>.\n\n2. (U) Second paragraph.\n',
};

/** The 2,541 real dev cables plus the hostile one, all released. */
export async function buildDevArchive(dir: string): Promise<string> {
  const db = join(dir, 'dev.sqlite');
  const extra = join(dir, 'hostile.jsonl');
  writeFileSync(extra, `${JSON.stringify(HOSTILE)}\n`);
  await ingestInto(db, [fixture('corpus', 'cables.dev.jsonl.gz'), extra], { now });
  return db;
}

/** Ingests files into the archive `db` (created when missing) and closes it. */
export async function ingestInto(
  db: string,
  files: string[],
  opts: IngestOptions = {},
): Promise<IngestSummary> {
  const archive = openSqliteArchive(db, { create: true });
  try {
    return await ingestFiles(archive.store!, files, opts);
  } finally {
    await archive.close();
  }
}

export function makeCorpus(out: string, count: number, seed = 1): void {
  const r = spawnSync(
    'python3',
    [fixture('tools', 'make-corpus'), '--out', out, '--count', String(count), '--seed', String(seed)],
    {
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) throw new Error(r.stderr);
}

export async function get(
  app: Hono,
  path: string,
): Promise<{ status: number; type: string; location: string | null; text: string }> {
  const res = await app.request(`http://localhost${path}`);
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    location: res.headers.get('location'),
    text: await res.text(),
  };
}

/** Every same-site link of an HTML page (href and src), without fragment. */
export function links(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/\b(?:href|src)="([^"]*)"/g)) {
    const u = m[1]!.replace(/&amp;/g, '&');
    if (!u.startsWith('/')) continue;
    out.push(u.split('#')[0]!);
  }
  return out;
}
