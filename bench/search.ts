/**
 * npm run bench:search — query latency with facets on a full-scale archive, beside raw FTS5.
 *
 *   node --import tsx bench/search.ts [--db FILE] [--runs N] [--count N] [--grep RE] [--quick]
 *     [--profile] [--no-helper]
 *
 *   --grep RE    only the queries matching RE (iterating; not for quoted figures)
 *   --quick      skip the cached-engine pass and the sqlite3 baseline (iterating only)
 *   --profile    time the engine's phases (exclusive ms per phase, this thread's only) and print
 *                them for the slowest
 *   --no-helper  the measured engine without its facet helper thread too
 *
 * 1. Archive: bench/out/search.sqlite (reused when present), else built with
 *    ../shared/tools/make-corpus and `cables ingest … --released-at now` (all public).
 * 2. Runs every query of bench/queries.txt once to warm up, then N times (default 3), through
 *    `SqliteSearch.search` with facets, 20 hits, snippets, with the result cache off (every run
 *    computes), as `cables serve` runs it (with the facet helper thread), and alternately the
 *    same engine on one thread, the baseline: prints p50/p95/p99 of both, the per-query ratio,
 *    and the slowest with the time without facets beside.
 *    Then the same queries repeated through an engine with the cache on (what a reload, the
 *    `.json` twin or the feed of a query just shown costs).
 * 3. The same queries' FTS5 MATCH strings as `SELECT count(*) … MATCH` through the sqlite3 shell
 *    (`.timer on`), for the floor of the text part alone.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { SqliteSearch } from '../src/search/sqlite-search.js';

const root = join(import.meta.dirname, '..');
const out = join(root, 'bench', 'out');
const shared = process.env['CABLES_FIXTURES'] ?? join(root, '..', 'shared');
const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const count = opt('--count');
const db = opt('--db') ?? join(out, `search${count ? `-${count}` : ''}.sqlite`);
const runs = Number(opt('--runs') ?? 3);
const grep = opt('--grep');
const quick = args.includes('--quick');
const profile = args.includes('--profile');
const serialOnly = args.includes('--no-helper');

/**
 * Per-phase timing: wraps the engine's internal steps (all synchronous) and charges each its own
 * time, less that of the steps it calls. The wrappers cost well under a microsecond a call.
 */
const PHASES = [
  'smallSet',
  'memorySet',
  'sampleOf',
  'memoryPage',
  'count',
  'countAndSample',
  'scoreMatch',
  'rankSmall',
  'rankedPage',
  'allKeys',
  'datePage',
  'keysOf',
  'facets',
  'facetsOf',
  'details',
  'snippets',
] as const;
let phaseMs: Record<string, number> = {};
if (profile) {
  const proto = SqliteSearch.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
  const stack: number[] = [];
  for (const name of PHASES) {
    const orig = proto[name];
    if (typeof orig !== 'function') continue;
    proto[name] = function (this: unknown, ...a: unknown[]) {
      const s = performance.now();
      stack.push(0);
      try {
        return orig.apply(this, a);
      } finally {
        const child = stack.pop()!;
        const dt = performance.now() - s;
        phaseMs[name] = (phaseMs[name] ?? 0) + dt - child;
        if (stack.length) stack[stack.length - 1]! += dt;
      }
    };
  }
}
const phaseLine = (p: Record<string, number>) =>
  Object.entries(p)
    .filter(([, v]) => v >= 0.05)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v.toFixed(1)}`)
    .join(', ');
const log = (m: string) => process.stderr.write(`bench: ${m}\n`);

function build(): void {
  mkdirSync(out, { recursive: true });
  const csv = join(out, `search-cables${count ? `-${count}` : ''}.csv`);
  if (!existsSync(csv)) {
    log(`generating ${csv}`);
    execFileSync(join(shared, 'tools', 'make-corpus'), ['--out', csv, ...(count ? ['--count', count] : [])], {
      stdio: 'inherit',
    });
  }
  log(`ingesting into ${db}`);
  execFileSync(
    process.execPath,
    ['--import', 'tsx', join(root, 'src/cli/main.ts'), 'ingest', csv, '--db', db, '--released-at', 'now'],
    { stdio: 'inherit', cwd: root },
  );
}

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const fmt = (ms: number) => `${ms.toFixed(2)} ms`;

async function main(): Promise<void> {
  if (!existsSync(db)) build();

  const queries = readFileSync(join(root, 'bench', 'queries.txt'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .filter((l) => !grep || new RegExp(grep).test(l));
  // As `cables serve` runs it: with the facet helper thread. The same engine without the helper,
  // one thread per query, runs alternately with it on every query, as the baseline.
  const engine = SqliteSearch.open(db, { readonly: true, tuning: { cacheSize: 0 }, helper: !serialOnly });
  const serial = SqliteSearch.open(db, { readonly: true, tuning: { cacheSize: 0 } });
  engine.preload();
  serial.preload();
  const total = engine.db.prepare('SELECT count(*) FROM cables').pluck().get() as number;
  log(`${queries.length} queries, ${runs} runs each, archive of ${total} cables`);

  for (const q of queries) await engine.search(q);
  for (const q of queries) await serial.search(q);
  const times: number[] = [];
  const serialTimes: number[] = [];
  const ratios: number[] = [];
  // CPU time of this process per query: less disturbed than wall time on a shared machine.
  const cpu: number[] = [];
  const noFacet: number[] = [];
  const perQuery: {
    q: string;
    ms: number;
    cpu: number;
    bare: number;
    total: number;
    approx: boolean;
    phases: Record<string, number>;
  }[] = [];
  const phaseSum: Record<string, number> = {};
  for (const q of queries) {
    let best = Number.POSITIVE_INFINITY;
    let bestCpu = Number.POSITIVE_INFINITY;
    let hits = 0;
    let approx = false;
    let phases: Record<string, number> = {};
    for (let i = 0; i < runs; i++) {
      // The baseline alternates before and after, so a change of the machine's speed hits both.
      const one = async () => {
        const s = performance.now();
        await serial.search(q);
        return performance.now() - s;
      };
      const before = i % 2 === 0 ? await one() : null;
      phaseMs = {};
      const c0 = process.cpuUsage();
      const s = performance.now();
      const r = await engine.search(q);
      const ms = performance.now() - s;
      if (ms < best) phases = phaseMs;
      const c = process.cpuUsage(c0);
      for (const [k, v] of Object.entries(phaseMs)) phaseSum[k] = (phaseSum[k] ?? 0) + v;
      // The baseline's phases (it runs next) are not this run's.
      phaseMs = {};
      cpu.push((c.user + c.system) / 1000);
      bestCpu = Math.min(bestCpu, (c.user + c.system) / 1000);
      times.push(ms);
      const base = before ?? (await one());
      serialTimes.push(base);
      ratios.push(ms / base);
      best = Math.min(best, ms);
      hits = r.total;
      approx = r.facetsApproximate;
    }
    phaseMs = {};
    const s = performance.now();
    await engine.search(q, { facets: false });
    const bare = performance.now() - s;
    noFacet.push(bare);
    perQuery.push({ q, ms: best, cpu: bestCpu, bare, total: hits, approx, phases });
  }
  const hitTimes: number[] = [];
  if (!quick) {
    const cached = SqliteSearch.open(db, { readonly: true });
    cached.preload();
    for (const q of queries) await cached.search(q);
    for (const q of queries) {
      const s = performance.now();
      await cached.search(q);
      hitTimes.push(performance.now() - s);
    }
    await cached.close();
  }
  hitTimes.sort((a, b) => a - b);
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  serialTimes.sort((a, b) => a - b);
  ratios.sort((a, b) => a - b);
  noFacet.sort((a, b) => a - b);

  // Raw FTS5 counts through the sqlite3 shell, for the queries that have a text part.
  const raw: { q: string; match: string }[] = [];
  for (const q of queries) {
    const m = engine.explain(q).match;
    if (m) raw.push({ q, match: m });
  }
  await engine.close();
  await serial.close();
  let rawTimes: number[] = [];
  if (!quick)
    try {
      const script = [
        '.timer on',
        ...raw.flatMap(({ match }) => {
          const sql = `SELECT count(*) FROM cable_fts WHERE cable_fts MATCH '${match.replace(/'/g, "''")}';`;
          return [sql, sql]; // the first warms the page cache
        }),
      ].join('\n');
      const file = join(out, 'search-raw.sql');
      writeFileSync(file, script);
      const res = execFileSync('sqlite3', ['-readonly', db], {
        input: script,
        maxBuffer: 1 << 26,
      }).toString();
      const real = [...res.matchAll(/Run Time: real ([\d.]+)/g)].map((m) => Number(m[1]) * 1000);
      rawTimes = real.filter((_, i) => i % 2 === 1).sort((a, b) => a - b);
    } catch (e) {
      log(`sqlite3 shell not available (${(e as Error).message.split('\n')[0]}); apt-get install -y sqlite3`);
    }

  const line = (name: string, t: number[]) =>
    `${name.padEnd(38)} n=${String(t.length).padStart(4)}  p50 ${fmt(pct(t, 50)).padStart(10)}  p95 ${fmt(pct(t, 95)).padStart(10)}  p99 ${fmt(pct(t, 99)).padStart(10)}  max ${fmt(t[t.length - 1] ?? 0)}`;
  console.log(
    `archive ${db}: ${total} cables; ${queries.length} queries × ${runs} runs; load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} CPUs`,
  );
  console.log(line(`search (20 hits, snippets, facets)${serialOnly ? '' : ', helper'}`, times));
  console.log(line('  same, CPU time of both threads', cpu));
  console.log(line('  same, one thread (alternated)', serialTimes));
  console.log(
    `  ratio per query, helper / one thread: median ${pct(ratios, 50).toFixed(2)}, p10 ${pct(ratios, 10).toFixed(2)}, p90 ${pct(ratios, 90).toFixed(2)}`,
  );
  console.log(line('search without facets (1 run)', noFacet));
  if (hitTimes.length) console.log(line('same query again, result cache on', hitTimes));
  if (rawTimes.length) console.log(line('raw FTS5 count(*) MATCH, sqlite3 shell', rawTimes));
  console.log(
    `targets: p50 ≤ 5 ms, p95 ≤ 50 ms → ${pct(times, 50) <= 5 && pct(times, 95) <= 50 ? 'MET' : 'NOT MET'}`,
  );
  console.log('slowest queries (best of runs: wall, CPU, without facets):');
  for (const p of perQuery.sort((a, b) => b.ms - a.ms).slice(0, 15)) {
    console.log(
      `  ${fmt(p.ms).padStart(10)} ${fmt(p.cpu).padStart(10)} ${fmt(p.bare).padStart(10)}  ${String(p.total).padStart(7)} hits${p.approx ? ' (sampled facets)' : ''}  ${p.q}`,
    );
    if (profile) console.log(`      phases (ms): ${phaseLine(p.phases)}`);
  }
  if (profile) {
    console.log(`time per phase, all runs (ms): ${phaseLine(phaseSum)}`);
    writeFileSync(join(out, 'search-profile.json'), JSON.stringify(perQuery, null, 1));
    const by = (n: number) => perQuery.filter((p) => p.ms > n).length;
    console.log(
      `queries over 5 ms: ${by(5)}, over 20 ms: ${by(20)}, over 50 ms: ${by(50)} of ${perQuery.length}`,
    );
  }
}

await main();
