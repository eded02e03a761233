/**
 * Synthetic corpora from the shared `make-corpus` tool for the reader tests. The tool is
 * deterministic, so each output is cached under the OS temp dir keyed by its arguments and the
 * tool's size and mtime; a test run after the first costs no generation.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fixture } from '../fixtures.js';

const run = promisify(execFile);

export interface Fault {
  row: number;
  kind: string;
  refid: string;
}

export interface Corpus {
  path: string;
  faults: Fault[];
}

export async function makeCorpus(args: string[], ext: string): Promise<Corpus> {
  const tool = fixture('tools', 'make-corpus');
  const st = statSync(tool);
  const key = createHash('sha256')
    .update(`${st.size}:${st.mtimeMs}:${args.join(' ')}`)
    .digest('hex')
    .slice(0, 16);
  const dir = join(tmpdir(), 'cable-archive-test-corpus');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${key}.${ext}`);
  const log = `${path}.faults`;
  if (!existsSync(path) || !existsSync(log)) {
    const tmp = `${path}.${process.pid}.tmp`;
    const { stderr } = await run('python3', [tool, '--out', tmp, ...args], { maxBuffer: 1 << 24 });
    writeFileSync(`${log}.${process.pid}.tmp`, stderr);
    renameSync(tmp, path);
    renameSync(`${log}.${process.pid}.tmp`, log);
  }
  const faults: Fault[] = [];
  for (const m of readFileSync(log, 'utf8').matchAll(/fault row=(\d+) kind=(\S+) refid=(\S*)/g)) {
    faults.push({ row: Number(m[1]), kind: m[2]!, refid: m[3]! });
  }
  return { path, faults };
}

/** The reason each injected fault must produce (duplicate IDs are the store's to find). */
export const FAULT_REASON: Record<string, RegExp | null> = {
  'unterminated-quote': /^(unterminated quote|truncated JSON line)/,
  'seven-fields': /^(7 fields, expected 8|missing key "references")$/,
  'invalid-date': /^invalid date "13\/45\/2009 25:99"$/,
  'empty-refid': /^empty reference ID$/,
  'duplicate-refid': null,
  'nul-byte': /^NUL byte at byte \d+$/,
  'invalid-utf8': /^invalid UTF-8 at byte \d+$/,
  'huge-body': /^oversized field (8 \(body\)|body): \d+ bytes, limit 4194304$/,
};
