/**
 * npm run bench:serve — throughput and latency of `cables serve` on a full-scale archive, side by
 * side with nginx serving the very same pages as static files.
 *
 *   node --import tsx bench/serve.ts [--db FILE] [--duration S] [--connections N] [--cables N]
 *        [--prefetch-seconds S] [--workers N] [--nginx-workers N] [--tool wrk|autocannon]
 *        [--no-build] [--dist DIR] [--cpu-prof]
 *
 * 1. Archive: --db, else bench/out/serve.sqlite, built when missing from bench/out/cables.csv
 *    (../shared/tools/make-corpus, full scale, reused when present) with `--released-at now`.
 * 2. `npm run build`, then the built server (`node dist/cli/main.js serve --workers N`) on a free port;
 *    --dist DIR runs another build (a copy of dist/, e.g. of another commit) as it is.
 * 3. Pages: --cables random public cables (default 3000), ~420 listing pages (pages 1–3 of the
 *    busiest tags, origins and months, deep pages of the largest release day), the top tag's
 *    first page, the home page. Each is fetched once from our server (4 at a time, at most
 *    --prefetch-seconds per group; the rate is printed) and saved under its path and query for
 *    nginx (bench/nginx/, daemon off, access_log off, as many workers as our server processes
 *    unless --nginx-workers says otherwise).
 * 4. Load, per route group, ours then nginx, --connections (64) for --duration seconds (10) after a
 *    2 s warm-up, rotating over the group's URLs. The load generator is wrk (C, one thread: it
 *    leaves the other core to the servers; `apt-get install -y wrk`), else autocannon (a Node
 *    process that costs about as much CPU as the server it measures: the ratios are then capped by
 *    the load generator, not by the servers). The "first view" groups run against a server started
 *    with its response cache off (`--cache-mb 0`), so every request is rendered from the archive;
 *    the "cached" groups against a fresh server with the default cache, filled by one pass first.
 * Prints req/s, p50/p99, the ratio to nginx and the servers' memory: peak RSS (VmHWM) summed over
 * all server processes (primary and workers), against the targets: ≥ 50% of nginx's req/s and
 * p99 ≤ 25 ms for pages served again (the cached groups: the same pages nginx serves as files),
 * RSS ≤ 300 MB, no errors. The first-view groups show what rendering from the archive costs.
 * --cpu-prof writes V8 CPU profiles of the servers to bench/out/prof/.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { freePort } from '../test/free-port.js';
import { type Measure, runLoad } from './load.js';
import { benchPages } from './pages.js';

const root = join(import.meta.dirname, '..');
const out = join(root, 'bench', 'out');
const shared = process.env['CABLES_FIXTURES'] ?? join(root, '..', 'shared');
const argv = process.argv.slice(2);
const opt = (name: string, dflt: string): string => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : dflt;
};
const dbPath = opt('--db', join(out, 'serve.sqlite'));
const duration = Number(opt('--duration', '10'));
const connections = Number(opt('--connections', '64'));
const cableCount = Number(opt('--cables', '3000'));
const prefetchBudget = Number(opt('--prefetch-seconds', '90'));
const workers = Number(opt('--workers', '1'));
const nginxWorkers = Number(opt('--nginx-workers', String(workers)));
const WRK = '/usr/bin/wrk';
const tool = opt('--tool', existsSync(WRK) ? 'wrk' : 'autocannon');
if (tool === 'wrk' && !existsSync(WRK)) {
  process.stderr.write(`bench: ${WRK} missing: apt-get install -y wrk (or --tool autocannon)\n`);
  process.exit(2);
}
if (tool !== 'wrk' && !argv.includes('--tool'))
  process.stderr.write('bench: wrk not installed (apt-get install -y wrk); falling back to autocannon\n');
const cpuProf = argv.includes('--cpu-prof');
const dist = argv.includes('--dist') ? resolve(opt('--dist', '')) : null;
const NGINX = '/usr/sbin/nginx';
const wrkScript = join(root, 'bench', 'wrk', 'rotate.lua');

const log = (m: string) => process.stderr.write(`bench: ${m}\n`);
const fmt = (n: number, d = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(url: string, alive: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (!alive()) throw new Error(`${what} exited before answering`);
    try {
      const r = await fetch(url);
      await r.arrayBuffer();
      if (r.status < 500) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${what} did not answer ${url} within 60 s`);
    await sleep(200);
  }
}

/** GETs each path (4 at a time, within --prefetch-seconds), handing over the 200 answers. */
async function fetchAll(
  base: string,
  paths: string[],
  take: (path: string, body: Buffer) => void,
): Promise<void> {
  const started = Date.now();
  let next = 0;
  const worker = async () => {
    while (next < paths.length && Date.now() - started < prefetchBudget * 1000) {
      const p = paths[next++]!;
      let r: Response;
      try {
        r = await fetch(base + p, { redirect: 'manual' });
      } catch {
        // A keep-alive socket the server closed as it was reused: once more on a new one.
        r = await fetch(base + p, { redirect: 'manual' });
      }
      const body = Buffer.from(await r.arrayBuffer());
      if (r.status === 200) take(p, body);
      else log(`skipping ${p}: ${r.status}`);
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
}

function vm(pid: number, field: 'VmHWM' | 'VmRSS' | 'RssAnon' | 'RssFile'): number {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

// 0. tools
if (!existsSync(NGINX)) {
  log(`${NGINX} missing: apt-get install -y nginx`);
  process.exit(2);
}

// 1. archive
if (!existsSync(dbPath)) {
  const csv = join(out, 'cables.csv');
  mkdirSync(out, { recursive: true });
  if (!existsSync(csv)) {
    log(`generating ${csv} (full scale)`);
    execFileSync(join(shared, 'tools', 'make-corpus'), ['--out', csv], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  log(`ingesting ${csv} into ${dbPath} (a few minutes)`);
  execFileSync(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'ingest', csv, '--db', dbPath, '--released-at', 'now'],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
  );
}

// 2. build and start our server
if (!argv.includes('--no-build') && dist === null) {
  log('npm run build');
  try {
    execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' });
  } catch {
    // tsc still emits on type errors; only a missing entry point stops the benchmark.
    if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) throw new Error('npm run build produced no dist/');
    log('npm run build reported errors; benchmarking what it emitted');
  }
}
const profDir = join(out, 'prof');
if (cpuProf) mkdirSync(profDir, { recursive: true });
const ourPort = await freePort();
const ours = `http://127.0.0.1:${ourPort}`;

/** Starts the built server; `cacheMb` 0 turns its response cache off (every request rendered). */
function startServer(profile: boolean, cacheMb?: number): ChildProcess {
  return spawn(
    process.execPath,
    [
      ...(profile ? ['--cpu-prof', '--cpu-prof-dir', profDir] : []),
      join(dist ?? join(root, 'dist'), 'cli', 'main.js'),
      'serve',
      '--db',
      dbPath,
      '--port',
      String(ourPort),
      '--host',
      '127.0.0.1',
      '--workers',
      String(workers),
      ...(cacheMb !== undefined ? ['--cache-mb', String(cacheMb)] : []),
    ],
    // Workers inherit the profiling flag through execArgv.
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
  );
}

/** The server's processes: the primary and, with --workers, its workers. */
function serverPids(pid: number): number[] {
  try {
    const kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    return [pid, ...(kids ? kids.split(/\s+/).map(Number) : [])];
  } catch {
    return [pid];
  }
}
async function stopServer(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null) return;
  const exited = new Promise((r) => p.once('exit', r));
  p.kill('SIGINT');
  await exited;
}

let server = startServer(false);
const tmp = mkdtempSync(join(tmpdir(), 'bench-serve-'));
let nginx: ChildProcess | undefined;
const cleanup = () => {
  if (server.exitCode === null) server.kill('SIGINT');
  if (nginx && nginx.exitCode === null) nginx.kill('SIGQUIT');
};
process.on('exit', () => {
  cleanup();
  rmSync(tmp, { recursive: true, force: true });
});
process.on('SIGINT', () => process.exit(130));

try {
  await waitFor(`${ours}/`, () => server.exitCode === null, 'cables serve');

  // 3. the pages
  const db = new Database(dbPath, { readonly: true });
  const { total, cables, listings, topTag } = benchPages(db, {
    cables: cableCount,
    tags: 60,
    origins: 40,
    months: 40,
    deep: true,
  });
  db.close();
  interface Group {
    name: string;
    paths: string[];
    /** Run on the freshly restarted server, so that a first pass over the list misses the cache. */
    firstView: boolean;
  }
  const groups: Group[] = [
    { name: 'cable pages, first view', paths: cables, firstView: true },
    { name: 'listing pages, first view', paths: listings, firstView: true },
    { name: 'cable pages, 500 cached', paths: cables.slice(0, 500), firstView: false },
    { name: `listing, cached ${topTag}`, paths: [topTag], firstView: false },
    { name: 'home /', paths: ['/'], firstView: false },
  ];

  // Each page once from our server, saved under its path (and query) for nginx.
  const www = join(tmp, 'www');
  let bytes = 0;
  let pages = 0;
  for (const g of groups) {
    const kept: string[] = [];
    const started = Date.now();
    await fetchAll(ours, g.paths, (p, body) => {
      const file = join(www, p === '/' ? 'index.html' : decodeURIComponent(p));
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, body);
      bytes += body.length;
      pages++;
      kept.push(p);
    });
    if (kept.length === 0) throw new Error(`no page of ${g.name} answered 200`);
    const secs = (Date.now() - started) / 1000;
    log(`${g.name}: fetched ${kept.length} pages in ${fmt(secs, 1)} s (${fmt(kept.length / secs)} pages/s)`);
    g.paths = kept;
  }
  log(`saved ${pages} pages, mean ${fmt(bytes / pages / 1024, 1)} KB, for nginx`);

  // nginx's workers may run as another user: let them read the tree.
  chmodSync(tmp, 0o755);
  execFileSync('chmod', ['-R', 'a+rX', www]);
  const nginxPort = await freePort();
  const conf = readFileSync(join(root, 'bench', 'nginx', 'nginx.conf.template'), 'utf8')
    .replaceAll('{{WORKERS}}', String(nginxWorkers))
    .replaceAll('{{TMP}}', tmp)
    .replaceAll('{{ROOT}}', www)
    .replaceAll('{{PORT}}', String(nginxPort));
  writeFileSync(join(tmp, 'nginx.conf'), conf);
  nginx = spawn(NGINX, ['-p', tmp, '-c', join(tmp, 'nginx.conf'), '-e', join(tmp, 'error.log')], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const theirs = `http://127.0.0.1:${nginxPort}`;
  await waitFor(`${theirs}/`, () => nginx?.exitCode === null, 'nginx');

  // 4. load
  const pathFile = join(tmp, 'paths.txt');
  const load = (base: string, paths: string[], seconds: number) =>
    runLoad({ tool, wrk: WRK, wrkScript, pathFile, connections }, base, paths, seconds);

  interface Memory {
    processes: number;
    hwm: number;
    rss: number;
    anon: number;
    file: number;
  }
  const memory = (pid: number): Memory => {
    const pids = serverPids(pid);
    const sum = (f: Parameters<typeof vm>[1]) => pids.reduce((a, p) => a + vm(p, f), 0);
    return {
      processes: pids.length,
      hwm: sum('VmHWM'),
      rss: sum('VmRSS'),
      anon: sum('RssAnon'),
      file: sum('RssFile'),
    };
  };

  const rows: { name: string; ours: Measure; nginx: Measure; note: string; firstView: boolean }[] = [];
  const mems: { label: string; m: Memory }[] = [];
  for (const firstView of [true, false]) {
    // A fresh server each time, the OS page cache warm, as on a server that has been up for a while.
    // First views: response cache off, so every request renders its page from the archive.
    await stopServer(server);
    server = startServer(cpuProf, firstView ? 0 : undefined);
    await waitFor(`${ours}/`, () => server.exitCode === null, 'cables serve');
    const pid = server.pid!;
    log(`server started (${firstView ? 'response cache off' : 'default cache'}, pid ${pid})`);
    await load(ours, ['/'], 2);
    for (const g of groups.filter((x) => x.firstView === firstView)) {
      log(`${g.name}: ours`);
      if (!g.firstView) {
        // One pass over every URL fills the response cache, then a short load warms the JIT.
        await fetchAll(ours, g.paths, () => {});
        await load(ours, g.paths, 2);
      } else {
        await load(ours, g.paths.slice(-50), 2);
      }
      const o = await load(ours, g.paths, duration);
      log(`${g.name}: nginx`);
      await load(theirs, g.paths, 2);
      const n = await load(theirs, g.paths, duration);
      const note = g.firstView
        ? `  (${fmt(g.paths.length)} URLs, cache off: ${fmt(o.requests)} pages rendered)`
        : `  (${fmt(g.paths.length)} URLs)`;
      rows.push({ name: g.name, ours: o, nginx: n, note, firstView: g.firstView });
    }
    mems.push({ label: firstView ? 'cache off' : 'default cache', m: memory(pid) });
  }
  const hwm = Math.max(...mems.map((x) => x.m.hwm));

  // report
  const pad = (s: string, n: number) => s.padStart(n);
  console.log(
    `bench:serve — ${fmt(total)} cables in ${dbPath}, ${connections} connections, ${duration} s per run, ` +
      `ours ${dist ?? 'dist/'}, ${workers} process(es), nginx ${nginxWorkers} worker(s), load generator ${tool}, ` +
      `node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
  );
  console.log(
    `${'route'.padEnd(36)}${pad('ours req/s', 11)}${pad('nginx req/s', 12)}${pad('ratio', 7)}` +
      `${pad('p50 ms', 8)}${pad('p99 ms', 8)}${pad('nginx p99', 10)}${pad('KB/req', 8)}${pad('errors', 9)}`,
  );
  let ok = true;
  for (const r of rows) {
    const ratio = r.ours.rps / r.nginx.rps;
    const clean = r.ours.non2xx === 0 && r.ours.errors === 0;
    // The target compares a page served again and again with nginx serving the same page as a
    // static file; a page nobody asked for before is rendered from the archive (shown, judged
    // only for errors: no renderer matches a static file on pages it has never seen).
    const pass = r.firstView ? clean : ratio >= 0.5 && r.ours.p99 <= 25 && clean;
    ok &&= pass;
    console.log(
      `${r.name.padEnd(36)}${pad(fmt(r.ours.rps), 11)}${pad(fmt(r.nginx.rps), 12)}${pad(`${fmt(ratio * 100)}%`, 7)}` +
        `${pad(fmt(r.ours.p50), 8)}${pad(fmt(r.ours.p99), 8)}${pad(fmt(r.nginx.p99), 10)}` +
        `${pad(fmt(r.ours.kbPerReq, 1), 8)}${pad(`${r.ours.non2xx + r.ours.errors}/${r.nginx.non2xx + r.nginx.errors}`, 9)}${pass ? '' : ' ✗'}${r.firstView ? ' (rendered per request, no target)' : ''}${r.note}`,
    );
  }
  const rssOk = hwm <= 300 * 2 ** 20;
  ok &&= rssOk;
  // Summed over the server's processes (shared pages, e.g. node's own code, counted in each: a
  // ceiling). RssFile is mapped files (node's binary, no SQLite mmap); RssAnon is heaps and caches.
  for (const { label, m } of mems) {
    console.log(
      `server RSS (${label}, ${m.processes} process${m.processes > 1 ? 'es' : ''}): peak (VmHWM) ${fmt(m.hwm / 2 ** 20)} MB, ` +
        `now ${fmt(m.rss / 2 ** 20)} MB = ${fmt(m.anon / 2 ** 20)} MB anonymous + ${fmt(m.file / 2 ** 20)} MB file-backed` +
        `${m.hwm <= 300 * 2 ** 20 ? '' : ' ✗'}`,
    );
  }
  console.log(
    `targets (pages served again): ≥ 50% of nginx's req/s, p99 ≤ 25 ms; RSS ≤ 300 MB; no errors anywhere — ${ok ? 'all met' : 'MISSED'}`,
  );
  process.exitCode = ok ? 0 : 1;
} finally {
  if (cpuProf) {
    // The profile is written when the server exits.
    await stopServer(server);
    log(`CPU profile in ${profDir}`);
  }
  cleanup();
}
