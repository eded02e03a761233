/**
 * npm run bench:serve — throughput and latency of `cables serve` on a full-scale archive, side by
 * side with nginx serving the very same pages as static files.
 *
 *   node --import tsx bench/serve.ts [--db FILE] [--duration S] [--connections N] [--cables N]
 *                                    [--nginx-workers N] [--no-build] [--cpu-prof]
 *
 * 1. Archive: --db, else bench/out/serve.sqlite, built when missing from bench/out/cables.csv
 *    (../shared/tools/make-corpus, full scale, reused when present) with `--released-at now`.
 * 2. `npm run build`, then starts the built server (`node dist/cli/main.js serve`) on a free port.
 * 3. Picks --cables random public cables (default 2000), a tag listing, an origin listing, a
 *    release-day listing and the home page; fetches each page once from our server (checking 200)
 *    and saves it under its URL path in a temp dir that nginx serves (bench/nginx/, daemon off,
 *    access_log off, --nginx-workers worker processes, default 1 like our one Node process).
 * 4. For each route group, our server then nginx: a 2 s warm-up, then autocannon with 64
 *    connections for --duration seconds (default 10), the cable group rotating over all its URLs.
 * Prints req/s, p50/p99 latency, the ratio to nginx, and the server's peak RSS (VmHWM), against
 * the targets: ≥ 50% of nginx's req/s, p99 ≤ 25 ms, RSS ≤ 300 MB.
 * --cpu-prof writes a V8 CPU profile of the server to bench/out/prof/ (open it in Chrome DevTools).
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';

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
const cableCount = Number(opt('--cables', '2000'));
const nginxWorkers = Number(opt('--nginx-workers', '1'));
const cpuProf = argv.includes('--cpu-prof');
const NGINX = '/usr/sbin/nginx';

const log = (m: string) => process.stderr.write(`bench: ${m}\n`);
const fmt = (n: number, d = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (a && typeof a === 'object' ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

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

function vm(pid: number, field: 'VmHWM' | 'VmRSS'): number {
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
if (!argv.includes('--no-build')) {
  log('npm run build');
  execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' });
}
const ourPort = await freePort();
const profDir = join(out, 'prof');
if (cpuProf) mkdirSync(profDir, { recursive: true });
const server = spawn(
  process.execPath,
  [
    ...(cpuProf ? ['--cpu-prof', '--cpu-prof-dir', profDir] : []),
    'dist/cli/main.js',
    'serve',
    '--db',
    dbPath,
    '--port',
    String(ourPort),
    '--host',
    '127.0.0.1',
  ],
  { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
);
const serverPid = server.pid!;
const ours = `http://127.0.0.1:${ourPort}`;
const tmp = mkdtempSync(join(tmpdir(), 'bench-serve-'));
let nginx: ReturnType<typeof spawn> | undefined;
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
  log(`server ready (pid ${serverPid}, RSS ${fmt(vm(serverPid, 'VmRSS') / 2 ** 20)} MB)`);

  // 3. the pages
  const db = new Database(dbPath, { readonly: true });
  const now = new Date().toISOString();
  const pub = 'released_at IS NOT NULL AND released_at <= @now';
  const total = (db.prepare('SELECT count(*) AS n FROM cables').get() as { n: number }).n;
  const cables = db
    .prepare(`SELECT canonical_id AS id, created FROM cables WHERE ${pub} ORDER BY random() LIMIT @n`)
    .all({ now, n: cableCount }) as { id: string; created: string | null }[];
  const topTag = db
    .prepare(
      `SELECT t.name FROM cable_tags ct JOIN tags t ON t.id = ct.tag_id GROUP BY ct.tag_id ORDER BY count(*) DESC LIMIT 1`,
    )
    .pluck()
    .get() as string;
  const topOrigin = db
    .prepare(
      'SELECT o.slug FROM cables c JOIN origins o ON o.id = c.origin_id GROUP BY o.id ORDER BY count(*) DESC LIMIT 1',
    )
    .pluck()
    .get() as string;
  const topDay = db
    .prepare(
      `SELECT substr(released_at, 1, 10) FROM cables WHERE ${pub} GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`,
    )
    .pluck()
    .get({ now }) as string;
  db.close();
  const cableUrl = (c: { id: string; created: string | null }) =>
    `/cable/${c.created ? `${c.created.slice(0, 4)}/${c.created.slice(5, 7)}` : '0000/00'}/${encodeURIComponent(c.id)}.html`;
  const groups: { name: string; paths: string[] }[] = [
    { name: `cable pages (${fmt(cables.length)} rotating)`, paths: cables.map(cableUrl) },
    { name: `tag listing /tag/${topTag}`, paths: [`/tag/${encodeURIComponent(topTag)}`] },
    { name: `origin listing /origin/${topOrigin}`, paths: [`/origin/${encodeURIComponent(topOrigin)}`] },
    { name: `release-day listing /reldate/${topDay}`, paths: [`/reldate/${topDay}`] },
    { name: 'home /', paths: ['/'] },
  ];

  const www = join(tmp, 'www');
  let bytes = 0;
  let pages = 0;
  for (const g of groups) {
    const kept: string[] = [];
    for (const p of g.paths) {
      const r = await fetch(ours + p, { redirect: 'manual' });
      const body = Buffer.from(await r.arrayBuffer());
      if (r.status !== 200) {
        log(`skipping ${p}: ${r.status}`);
        continue;
      }
      const file = join(www, p === '/' ? 'index.html' : decodeURIComponent(p));
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, body);
      bytes += body.length;
      pages++;
      kept.push(p);
    }
    if (kept.length === 0) throw new Error(`no page of ${g.name} answered 200`);
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
  interface Measure {
    rps: number;
    p50: number;
    p99: number;
    max: number;
    non2xx: number;
    errors: number;
    kbPerReq: number;
  }
  async function load(base: string, paths: string[], seconds: number): Promise<Measure> {
    let i = 0;
    const r = await autocannon({
      url: base,
      connections,
      duration: seconds,
      requests: [
        {
          // Rebuilt for every request: one shared counter rotates all connections over the list.
          setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length]! }),
        },
      ],
    });
    return {
      rps: r.requests.average,
      p50: r.latency.p50,
      p99: r.latency.p99,
      max: r.latency.max,
      non2xx: r.non2xx,
      errors: r.errors + r.timeouts,
      kbPerReq: r.throughput.total / Math.max(1, r.requests.total) / 1024,
    };
  }

  const rows: { name: string; ours: Measure; nginx: Measure }[] = [];
  for (const g of groups) {
    log(`${g.name}: ours`);
    await load(ours, g.paths, 2);
    const o = await load(ours, g.paths, duration);
    log(`${g.name}: nginx`);
    await load(theirs, g.paths, 2);
    const n = await load(theirs, g.paths, duration);
    rows.push({ name: g.name, ours: o, nginx: n });
  }
  const hwm = vm(serverPid, 'VmHWM');
  const rss = vm(serverPid, 'VmRSS');

  // report
  const pad = (s: string, n: number) => s.padStart(n);
  console.log(
    `bench:serve — ${fmt(total)} cables in ${dbPath}, ${connections} connections, ${duration} s per run, ` +
      `nginx ${nginxWorkers} worker(s), node ${process.version}`,
  );
  console.log(
    `${'route'.padEnd(44)}${pad('ours req/s', 11)}${pad('nginx req/s', 12)}${pad('ratio', 7)}` +
      `${pad('p50 ms', 8)}${pad('p99 ms', 8)}${pad('nginx p99', 10)}${pad('KB/req', 8)}${pad('non-2xx', 8)}`,
  );
  let ok = true;
  for (const r of rows) {
    const ratio = r.ours.rps / r.nginx.rps;
    const pass = ratio >= 0.5 && r.ours.p99 <= 25 && r.ours.non2xx === 0 && r.ours.errors === 0;
    ok &&= pass;
    console.log(
      `${r.name.padEnd(44)}${pad(fmt(r.ours.rps), 11)}${pad(fmt(r.nginx.rps), 12)}${pad(`${fmt(ratio * 100)}%`, 7)}` +
        `${pad(fmt(r.ours.p50), 8)}${pad(fmt(r.ours.p99), 8)}${pad(fmt(r.nginx.p99), 10)}` +
        `${pad(fmt(r.ours.kbPerReq, 1), 8)}${pad(String(r.ours.non2xx + r.ours.errors), 8)}${pass ? '' : '  ✗'}`,
    );
  }
  const rssOk = hwm <= 300 * 2 ** 20;
  ok &&= rssOk;
  console.log(
    `server RSS: peak (VmHWM) ${fmt(hwm / 2 ** 20)} MB, now ${fmt(rss / 2 ** 20)} MB${rssOk ? '' : '  ✗'}`,
  );
  console.log(
    `targets: ≥ 50% of nginx's req/s, p99 ≤ 25 ms, RSS ≤ 300 MB, no errors — ${ok ? 'all met' : 'MISSED'}`,
  );
  process.exitCode = ok ? 0 : 1;
} finally {
  cleanup();
  if (cpuProf) {
    // The profile is written when the server exits.
    await new Promise((r) => (server.exitCode === null ? server.once('exit', r) : r(null)));
    log(`CPU profile in ${profDir}`);
  }
}
