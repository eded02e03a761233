/**
 * npm run bench:search — query latency with facets on a full-scale archive, beside raw FTS5.
 *
 *   node --import tsx bench/search.ts [--db FILE] [--runs N] [--grep RE] [--quick]
 *     [--baseline DIR --baseline-db FILE [--baseline-helper]]
 *
 *   --grep RE       only the queries matching RE (iterating; not for quoted figures)
 *   --quick         skip the cached pass and the sqlite3 baseline (iterating only)
 *   --baseline DIR  another checkout of this project (e.g. the starting commit of a change): its
 *                   engine runs each query alternately with this one, on --baseline-db (an archive
 *                   that checkout wrote), and both are reported with the per-query ratio
 *
 * 1. Archive: bench/out/search.sqlite (reused when present), else built with
 *    ../shared/tools/make-corpus and `cables ingest … --released-at now` (all public).
 * 2. Runs every query of bench/queries.txt once to warm up, then N times (default 3) with facets,
 *    20 hits and excerpts, the result cache off (every run computes), as `cables serve` runs it.
 *    Then the same queries without facets, and repeated through an engine with the cache on.
 * 3. The queries' FTS5 MATCH strings as `SELECT count(*) … MATCH` through the sqlite3 shell
 *    (`.timer on`): the floor of the text part alone.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { SqliteSearch } from '../src/search/sqlite/engine.js';

const root = join(import.meta.dirname, '..');
const out = join(root, 'bench', 'out');
const shared = process.env['CABLES_FIXTURES'] ?? join(root, '..', 'shared');
const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const db = opt('--db') ?? join(out, 'search.sqlite');
const runs = Number(opt('--runs') ?? 3);
const grep = opt('--grep');
const quick = args.includes('--quick');
const baselineDir = opt('--baseline');
const baselineDb = opt('--baseline-db');
const log = (m: string) => process.stderr.write(`bench: ${m}\n`);

interface Engine {
  search(q: string, o?: { facets?: boolean }): Promise<{ total: number; facetsApproximate: boolean }>;
  preload(): void;
  close(): Promise<void>;
}

function build(): void {
  mkdirSync(out, { recursive: true });
  const csv = join(out, 'search-cables.csv');
  if (!existsSync(csv)) {
    log(`generating ${csv}`);
    execFileSync(join(shared, 'tools', 'make-corpus'), ['--out', csv], { stdio: 'inherit' });
  }
  log(`ingesting into ${db}`);
  execFileSync(
    process.execPath,
    ['--import', 'tsx', join(root, 'src/cli/main.ts'), 'ingest', csv, '--db', db, '--released-at', 'now'],
    { stdio: 'inherit', cwd: root },
  );
}

/** The engine of another checkout: its current module, or the one before this layout. */
async function baseline(dir: string, file: string): Promise<Engine> {
  const now = join(resolve(dir), 'src/search/sqlite/engine.ts');
  const before = join(resolve(dir), 'src/search/sqlite-search.ts');
  const mod = (await import(existsSync(now) ? now : before)) as {
    SqliteSearch: { open(f: string, o: object): Engine };
  };
  // `helper`: the starting commit's facet thread, as its `cables serve` ran it (ignored since).
  return mod.SqliteSearch.open(file, {
    readonly: true,
    helper: args.includes('--baseline-helper'),
    tuning: { cacheSize: 0 },
  });
}

const pct = (t: number[], p: number) => {
  const s = [...t].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : 0;
};
const fmt = (ms: number) => `${ms.toFixed(2)} ms`;
const line = (name: string, t: number[]) =>
  `${name.padEnd(40)} n=${String(t.length).padStart(4)}  p50 ${fmt(pct(t, 50)).padStart(9)}  p95 ${fmt(pct(t, 95)).padStart(9)}  p99 ${fmt(pct(t, 99)).padStart(9)}  max ${fmt(pct(t, 100))}`;

async function timed(e: Engine, q: string, o?: { facets?: boolean }): Promise<number> {
  const s = performance.now();
  await e.search(q, o);
  return performance.now() - s;
}

async function main(): Promise<void> {
  if (!existsSync(db)) build();
  const queries = readFileSync(join(root, 'bench', 'queries.txt'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .filter((l) => !grep || new RegExp(grep).test(l));
  const t0 = performance.now();
  const engine = SqliteSearch.open(db, { tuning: { cacheSize: 0 } });
  engine.preload();
  log(`catalog loaded in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
  const base = baselineDir && baselineDb ? await baseline(baselineDir, baselineDb) : null;
  base?.preload();
  const total = engine.db.prepare('SELECT count(*) FROM cables').pluck().get() as number;
  log(`${queries.length} queries, ${runs} runs each, archive of ${total} cables`);
  for (const q of queries) {
    await engine.search(q);
    await base?.search(q);
  }
  const times: number[] = [];
  const cpu: number[] = [];
  const baseTimes: number[] = [];
  const ratios: number[] = [];
  const perQuery: { q: string; ms: number; base: number | null; total: number; approx: boolean }[] = [];
  for (const q of queries) {
    let best = Number.POSITIVE_INFINITY;
    let bestBase = Number.POSITIVE_INFINITY;
    let r = { total: 0, facetsApproximate: false };
    for (let i = 0; i < runs; i++) {
      // Alternated, so that a change of the machine's speed hits both engines.
      const b = base && i % 2 === 1 ? await timed(base, q) : null;
      const c0 = process.cpuUsage();
      const s = performance.now();
      r = await engine.search(q);
      const ms = performance.now() - s;
      const c = process.cpuUsage(c0);
      const b2 = base && i % 2 === 0 ? await timed(base, q) : b;
      times.push(ms);
      cpu.push((c.user + c.system) / 1000);
      best = Math.min(best, ms);
      if (b2 !== null) {
        baseTimes.push(b2);
        ratios.push(ms / b2);
        bestBase = Math.min(bestBase, b2);
      }
    }
    perQuery.push({ q, ms: best, base: base ? bestBase : null, total: r.total, approx: r.facetsApproximate });
  }
  const bare: number[] = [];
  for (const q of queries) bare.push(await timed(engine, q, { facets: false }));
  const hits: number[] = [];
  if (!quick) {
    const cached = SqliteSearch.open(db);
    cached.preload();
    for (const q of queries) await cached.search(q);
    for (const q of queries) hits.push(await timed(cached, q));
    await cached.close();
  }
  const matches = queries.map((q) => engine.explain(q).match).filter((m): m is string => m !== null);
  await engine.close();
  await base?.close();
  let raw: number[] = [];
  if (!quick)
    try {
      const script = [
        '.timer on',
        ...matches.flatMap((m) => {
          const sql = `SELECT count(*) FROM cable_fts WHERE cable_fts MATCH '${m.replace(/'/g, "''")}';`;
          return [sql, sql]; // the first warms the page cache
        }),
      ].join('\n');
      mkdirSync(out, { recursive: true });
      writeFileSync(join(out, 'search-raw.sql'), script);
      const res = execFileSync('sqlite3', ['-readonly', db], {
        input: script,
        maxBuffer: 1 << 26,
      }).toString();
      raw = [...res.matchAll(/Run Time: real ([\d.]+)/g)]
        .map((m) => Number(m[1]) * 1000)
        .filter((_, i) => i % 2 === 1);
    } catch (e) {
      log(`sqlite3 shell not available (${(e as Error).message.split('\n')[0]}); apt-get install -y sqlite3`);
    }

  console.log(
    `archive ${db}: ${total} cables; ${queries.length} queries × ${runs} runs; load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} CPUs`,
  );
  console.log(line('search (20 hits, excerpts, facets)', times));
  console.log(line('  same, CPU time', cpu));
  if (base) {
    console.log(line(`  baseline ${baselineDir} (alternated)`, baseTimes));
    console.log(
      `  ratio per run, this / baseline: median ${pct(ratios, 50).toFixed(2)}, p10 ${pct(ratios, 10).toFixed(2)}, p90 ${pct(ratios, 90).toFixed(2)}`,
    );
  }
  console.log(line('search without facets (1 run)', bare));
  if (hits.length) console.log(line('same query again, result cache on', hits));
  if (raw.length) console.log(line('raw FTS5 count(*) MATCH, sqlite3 shell', raw));
  console.log(
    `targets: p50 ≤ 5 ms, p95 ≤ 50 ms → ${pct(times, 50) <= 5 && pct(times, 95) <= 50 ? 'MET' : 'NOT MET'}`,
  );
  console.log(`slowest queries (best of runs${base ? '; baseline beside' : ''}):`);
  for (const p of perQuery.sort((a, b) => b.ms - a.ms).slice(0, 15))
    console.log(
      `  ${fmt(p.ms).padStart(10)}${p.base !== null ? ` ${fmt(p.base).padStart(10)}` : ''}  ${String(p.total).padStart(7)} hits${p.approx ? ' (sampled facets)' : ''}  ${p.q}`,
    );
}

await main();
