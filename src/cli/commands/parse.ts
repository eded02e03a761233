import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import type { CableText } from '../../cable/types.js';
import { parseCable } from '../../parse/cable.js';
import { canonicalizeId } from '../../parse/ids.js';
import { splitHeaderBody } from '../../parse/split.js';
import { readCablePage } from '../../source/page.js';

/** What one input of `cables parse` asks for: a cable (or fragment) to parse, or an ID to canonicalise. */
export type ParseRequest = { cable: CableText } | { id: string };

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/**
 * Accepts the documented line shape `{text, header?, referenceId?, year?}` and `{id}`, and, for
 * convenience, the shapes of our own corpus records (`{id, header, body}`, make-corpus `{refid,…}`).
 */
export function requestFromJson(value: unknown): ParseRequest {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error('expected a JSON object');
  }
  const o = value as Record<string, unknown>;
  const year = typeof o['year'] === 'number' ? o['year'] : null;
  if (typeof o['text'] === 'string') {
    return {
      cable: { header: str(o['header']), body: o['text'], referenceId: str(o['referenceId']), year },
    };
  }
  if (typeof o['body'] === 'string' || typeof o['header'] === 'string') {
    const id = str(o['referenceId']) ?? str(o['refid']) ?? str(o['id']);
    return { cable: { header: str(o['header']), body: str(o['body']), referenceId: id, year } };
  }
  if (typeof o['id'] === 'string') return { id: o['id'] };
  throw new Error('expected a "text" string (a cable or fragment) or an "id" string');
}

/** Reads one input file: a Cablegate site page, a JSON record, or plain text (header + body). */
export function requestFromFile(content: string): ParseRequest {
  const head = content.trimStart().slice(0, 200);
  if (head.startsWith('<')) {
    const page = readCablePage(content);
    return { cable: { header: page.header, body: page.body, referenceId: page.referenceId } };
  }
  if (head.startsWith('{')) return requestFromJson(JSON.parse(content));
  return { cable: splitHeaderBody(content) };
}

export function runRequest(req: ParseRequest): unknown {
  return 'id' in req ? { canonicalId: canonicalizeId(req.id) } : parseCable(req.cable);
}

async function parseJsonl(file: string, write: (s: string) => void): Promise<void> {
  const input = file === '-' ? process.stdin : createReadStream(file);
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (!line.trim()) continue;
    let out: unknown;
    try {
      out = runRequest(requestFromJson(JSON.parse(line)));
    } catch (e) {
      out = { error: (e as Error).message, line: n };
    }
    write(`${JSON.stringify(out)}\n`);
  }
}

export function registerParse(program: Command): void {
  program
    .command('parse')
    .description('parse one cable (text file, Cablegate page or JSON record) or JSON lines, print JSON')
    .argument('[file]', 'input file, or - for standard input', '-')
    .option('--jsonl', 'read JSON lines, write one JSON line per input line')
    .option('--pretty', 'indent the JSON for humans')
    .action(async (file: string, opts: { jsonl?: boolean; pretty?: boolean }) => {
      const write = (s: string) => process.stdout.write(s);
      if (opts.jsonl) {
        await parseJsonl(file, write);
        return;
      }
      let content: string;
      try {
        content = readFileSync(file === '-' ? 0 : file, 'utf8');
      } catch (e) {
        console.error(`cables parse: cannot read ${file}: ${(e as Error).message}`);
        process.exitCode = 1;
        return;
      }
      let result: unknown;
      try {
        result = runRequest(requestFromFile(content));
      } catch (e) {
        console.error(`cables parse: ${file}: ${(e as Error).message}`);
        process.exitCode = 1;
        return;
      }
      write(`${JSON.stringify(result, null, opts.pretty ? 2 : undefined)}\n`);
    });
}
