import type { Command } from 'commander';
import { SqliteSearch } from '../../search/sqlite/engine.js';
import { type SearchResult, type Snippet, SORT_ORDERS, type SortOrder } from '../../search/types.js';
import { openSqliteArchive } from '../../store/sqlite/archive.js';

/** The `--json` shape: stable and small, for scripts. */
export function searchJson(r: SearchResult): unknown {
  return {
    total: r.total,
    query: r.normalized,
    messages: r.messages,
    results: r.hits.map((h) => ({
      id: h.id,
      subject: h.subject,
      created: h.created,
      score: h.score,
      snippet: h.snippet,
    })),
    nextCursor: r.nextCursor,
    facets: r.facets,
    facetsApproximate: r.facetsApproximate,
    histogram: r.histogram,
    redirect: r.redirect,
  };
}

function plainSnippet(s: Snippet, tty: boolean): string {
  const on = tty ? '\x1b[1m' : '[';
  const off = tty ? '\x1b[0m' : ']';
  let out = '';
  let at = 0;
  for (const [a, b] of s.marks) {
    out += `${s.text.slice(at, a)}${on}${s.text.slice(a, b)}${off}`;
    at = b;
  }
  return out + s.text.slice(at);
}

export function formatSearch(r: SearchResult, tty = false): string {
  const lines: string[] = [];
  for (const m of r.messages) lines.push(`note: ${m}`);
  lines.push(`${r.total} result${r.total === 1 ? '' : 's'} for ${r.normalized || '(everything)'}`);
  for (const h of r.hits) {
    lines.push('');
    lines.push(
      `${h.id}  ${h.created?.slice(0, 10) ?? '????-??-??'}  ${h.origin ?? ''}  ${h.classification ?? ''}`,
    );
    lines.push(`  ${h.subject}`);
    if (h.snippet?.text) lines.push(`  ${plainSnippet(h.snippet, tty)}`);
  }
  if (r.facets) {
    const f = r.facets;
    const show = (name: string, v: { value: string; count: number }[]) =>
      v.length
        ? `${name}: ${v
            .map(
              (x) =>
                `${x.value} (${r.facetsApproximate && (name === 'tag' || name === 'marking') ? '≈' : ''}${x.count})`,
            )
            .slice(0, 10)
            .join(', ')}`
        : '';
    lines.push('');
    for (const l of [
      show('tag', f.tag),
      show('origin', f.origin),
      show('classification', f.classification),
      show('year', f.year),
      show('marking', f.marking),
    ]) {
      if (l) lines.push(l);
    }
  }
  if (r.nextCursor) lines.push(`more: --cursor ${r.nextCursor}`);
  return lines.join('\n');
}

export function registerSearch(program: Command): void {
  program
    .command('search')
    .description('search the released cables (query language: see /search/help on the site)')
    .argument('<query>', 'the query, e.g. \'"exact phrase" tag:PGOV created:2009-01..2009-06\'')
    .requiredOption('--db <file>', 'archive file')
    .option('--json', 'print JSON')
    .option('--limit <n>', 'results per page', '20')
    .option('--sort <order>', `one of ${SORT_ORDERS.join(', ')}`)
    .option('--cursor <cursor>', 'continue after a previous page')
    .action(
      async (
        query: string,
        o: { db: string; json?: boolean; limit: string; sort?: string; cursor?: string },
      ) => {
        if (o.sort && !SORT_ORDERS.includes(o.sort as SortOrder)) {
          process.stderr.write(`search: --sort must be one of ${SORT_ORDERS.join(', ')}\n`);
          process.exitCode = 2;
          return;
        }
        let archive: ReturnType<typeof openSqliteArchive>;
        try {
          archive = openSqliteArchive(o.db, { readonly: true });
        } catch (err) {
          process.stderr.write(`cables search: ${(err as Error).message}\n`);
          process.exitCode = 1;
          return;
        }
        const engine = new SqliteSearch(archive);
        try {
          const r = await engine.search(query, {
            limit: Number(o.limit) || 20,
            sort: o.sort as SortOrder | undefined,
            cursor: o.cursor ?? null,
          });
          process.stdout.write(
            `${o.json ? JSON.stringify(searchJson(r)) : formatSearch(r, process.stdout.isTTY === true)}\n`,
          );
        } finally {
          await engine.close();
          await archive.close();
        }
      },
    );
}
