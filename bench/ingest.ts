/**
 * npm run bench:ingest — full ingest of a full-scale synthetic cables.csv, against a floor.
 *
 *   node --import tsx bench/ingest.ts [--count N] [--skip-floor] [--runs N]
 *
 * 1. Generates the corpus with ../shared/tools/make-corpus into bench/out/ (reused when present).
 * 2. Builds `dist/` (untimed) and runs the built `cables ingest` on it in a child process, timing
 *    wall clock and reading the child's peak RSS from /usr/bin/time -v (or sampling
 *    /proc/PID/status VmHWM when that is missing), the steps after the load from its progress
 *    lines, and on Linux each of its threads' CPU time.
 * 3. Floor, same invocation: rewrites the CSV as RFC 4180 (untimed), then times the sqlite3 shell
 *    doing `.import` into a table plus an FTS5 index over header and body built by 'rebuild'.
 * Prints both and the ratios (targets: time ≤ 0.8 × floor, peak RSS ≤ 1 GB, size ≤ 1.2 × floor).
 * `--runs N` repeats the pair N times, the order alternated (ours first, then the floor first),
 * and ends with each pair's time ratio and their median: this machine's speed swings within
 * minutes, and one pair's ratio has moved by ±0.07 between two runs of the same code.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const out = join(root, 'bench', 'out');
const shared = process.env['CABLES_FIXTURES'] ?? join(root, '..', 'shared');
const args = process.argv.slice(2);
const countArg = args.indexOf('--count');
const count = countArg >= 0 ? Number(args[countArg + 1]) : null;
const skipFloor = args.includes('--skip-floor');
const runsArg = args.indexOf('--runs');
const runs = runsArg >= 0 ? Math.max(1, Math.trunc(Number(args[runsArg + 1])) || 1) : 1;
const tag = count ? `-${count}` : '';
const csv = join(out, `cables${tag}.csv`);
const rfc = join(out, `cables${tag}.rfc4180.csv`);
const archive = join(out, `archive${tag}.sqlite`);
const floorDb = join(out, `floor${tag}.sqlite`);
mkdirSync(out, { recursive: true });

const MB = 1024 * 1024;
const log = (m: string) => process.stderr.write(`bench: ${m}\n`);

function fileSizeWithWal(f: string): number {
  return [f, `${f}-wal`, `${f}-shm`].reduce((n, x) => n + (existsSync(x) ? statSync(x).size : 0), 0);
}

interface Run {
  seconds: number;
  /** CPU seconds by thread name, from the last look at /proc before the process ended (Linux). */
  threads: Map<string, number> | null;
  peakRssKb: number;
  /** User and system CPU seconds of the child (from /usr/bin/time -v), or null. */
  cpu: { user: number; sys: number } | null;
  stdout: string;
  code: number | null;
}

/** Runs a command under /usr/bin/time -v when available, else samples VmHWM of the child. */
async function measure(
  cmd: string,
  cmdArgs: string[],
  stdinFile?: string,
  onLine?: (line: string, seconds: number) => void,
  threadNames?: (name: string, main: boolean) => string,
): Promise<Run> {
  const useTime = existsSync('/usr/bin/time');
  const started = process.hrtime.bigint();
  const child = useTime
    ? spawn('/usr/bin/time', ['-v', cmd, ...cmdArgs], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] })
    : spawn(cmd, cmdArgs, { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
  if (stdinFile) child.stdin.end(readFileSync(stdinFile));
  else child.stdin.end();
  let stdout = '';
  let stderr = '';
  let sampled = 0;
  child.stdout.on('data', (d) => (stdout += d));
  let partial = '';
  child.stderr.on('data', (d) => {
    stderr += d;
    if (stderr.length > 1e6) stderr = stderr.slice(-1e5);
    if (!onLine) return;
    const at = Number(process.hrtime.bigint() - started) / 1e9;
    const parts = (partial + String(d)).split(/\r|\n/);
    partial = parts.pop() ?? '';
    for (const line of parts) if (line) onLine(line, at);
  });
  const timer = useTime
    ? null
    : setInterval(() => {
        try {
          const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
          if (m) sampled = Math.max(sampled, Number(m[1]));
        } catch {}
      }, 200);
  const threads =
    threadNames && child.pid !== undefined ? watchThreads(child.pid, useTime, threadNames) : null;
  const code = await new Promise<number | null>((res) => child.on('close', res));
  if (timer) clearInterval(timer);
  threads?.stop();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
  const user = /User time \(seconds\): ([\d.]+)/.exec(stderr);
  const sys = /System time \(seconds\): ([\d.]+)/.exec(stderr);
  if (code !== 0 && code !== 3) log(`${cmd} exited with ${code}:\n${stderr.slice(-3000)}`);
  return {
    seconds,
    threads: threads?.result() ?? null,
    peakRssKb: m ? Number(m[1]) : sampled,
    cpu: user && sys ? { user: Number(user[1]), sys: Number(sys[1]) } : null,
    stdout,
    code,
  };
}

/**
 * Polls the CPU time of each thread of a process (/proc/PID/task/TID/stat, Linux) twice a second,
 * keeping each thread's last figure, and sums them under `label(thread name, is main thread)`. The
 * last half second of a thread is missed; a thread that ended keeps what it had at the last look.
 */
function watchThreads(pid: number, underTime: boolean, label: (name: string, main: boolean) => string) {
  const ticks = new Map<string, { name: string; ticks: number; main: boolean }>();
  let target: number | null = underTime ? null : pid;
  const hz = 100; // USER_HZ: /proc reports CPU in 1/100 s on every Linux architecture
  const look = () => {
    try {
      // Under /usr/bin/time the process to watch is time's only child.
      target ??=
        Number(readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/)[0]) || null;
      if (target === null) return;
      for (const tid of readdirSync(`/proc/${target}/task`)) {
        const stat = readFileSync(`/proc/${target}/task/${tid}/stat`, 'utf8');
        // Fields after the parenthesised name: state is 3rd, utime 14th, stime 15th.
        const close = stat.lastIndexOf(')');
        const f = stat.slice(close + 2).split(' ');
        ticks.set(tid, {
          name: stat.slice(stat.indexOf('(') + 1, close),
          ticks: Number(f[11]) + Number(f[12]),
          main: Number(tid) === target,
        });
      }
    } catch {
      // The process or a thread ended between listing and reading: keep the last figures.
    }
  };
  const timer = existsSync('/proc/self/task') ? setInterval(look, 500) : null;
  return {
    stop: () => timer && clearInterval(timer),
    result: (): Map<string, number> | null => {
      if (ticks.size === 0) return null;
      const by = new Map<string, number>();
      for (const t of ticks.values()) {
        const k = label(t.name, t.main);
        by.set(k, (by.get(k) ?? 0) + t.ticks / hz);
      }
      return by;
    },
  };
}

// 1. corpus
if (!existsSync(csv)) {
  log(`generating ${csv}`);
  const mc = ['--out', csv, ...(count ? ['--count', String(count)] : [])];
  execFileSync('python3', [join(shared, 'tools', 'make-corpus'), ...mc], { stdio: 'inherit' });
}
const csvBytes = statSync(csv).size;

// 2. our ingest, as users run it: the built CLI (`npx cables`, `npm start`), built here untimed.
// (Under tsx, as `npm run cables` runs it for development, each run also compiles its sources:
// ~0.5 s more wall and ~0.9 s more CPU, in the main thread and each worker.)
log('building dist/ (untimed)');
execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
// When each step after the load starts, from the progress lines (their wording: src/ingest/progress.ts).
const STEPS: [RegExp, string][] = [
  [/search index \d+ of \d+ cables/, 'index catch-up'],
  [/merging the search index/, 'merge'],
  [/building the listing and search indexes/, 'indexes'],
];

interface Ours {
  run: Run;
  steps: { name: string; at: number }[];
  rows: number;
  size: number;
}

async function runOurs(): Promise<Ours> {
  for (const f of [archive, `${archive}-wal`, `${archive}-shm`]) rmSync(f, { force: true });
  log(`ingesting ${csv} (${(csvBytes / MB).toFixed(0)} MB)`);
  const steps: { name: string; at: number }[] = [];
  const run = await measure(
    process.execPath,
    [join(root, 'dist', 'cli', 'main.js'), 'ingest', csv, '--db', archive, '--json'],
    undefined,
    (line, at) => {
      const step = STEPS.find(([re]) => re.test(line))?.[1];
      if (step && steps.at(-1)?.name !== step) steps.push({ name: step, at });
    },
    // The ingest names its threads (src/util/threads.ts); the rest are V8's and libuv's.
    (name, main) => (main ? 'writer' : name.startsWith('cables-') ? name.slice(7) : 'V8/libuv helpers'),
  );
  const summary = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as { rows?: number };
  return { run, steps, rows: summary.rows ?? 0, size: fileSizeWithWal(archive) };
}

// 3. floor
async function runFloor(): Promise<{ run: Run; size: number }> {
  if (!existsSync(rfc)) {
    log('rewriting as RFC 4180 CSV (untimed)');
    execFileSync(
      'python3',
      [
        '-c',
        `import csv,sys
csv.field_size_limit(1<<30)
with open(sys.argv[1], encoding='utf-8', errors='surrogateescape', newline='') as f, open(sys.argv[2], 'w', encoding='utf-8', errors='surrogateescape', newline='') as g:
    w = csv.writer(g, lineterminator='\\n')
    for row in csv.reader(f, escapechar='\\\\', doublequote=False):
        w.writerow(row)`,
        csv,
        rfc,
      ],
      { stdio: 'inherit' },
    );
  }
  for (const f of [floorDb, `${floorDb}-wal`, `${floorDb}-shm`]) rmSync(f, { force: true });
  const script = join(out, 'floor.sql');
  writeFileSync(
    script,
    `CREATE TABLE cables (row_no, created, refid, origin, classification, refs, header, body);
.mode csv
.import '${rfc}' cables
CREATE VIRTUAL TABLE cables_fts USING fts5(header, body, content='cables');
INSERT INTO cables_fts(cables_fts) VALUES('rebuild');
`,
  );
  log('timing the sqlite3 shell floor');
  const run = await measure('sqlite3', [floorDb], script);
  return { run, size: fileSizeWithWal(floorDb) };
}

const fmt = (n: number, d = 1) => n.toFixed(d);

function report(o: Ours, floor: { run: Run; size: number } | null): string[] {
  const ours = o.run;
  const lines = [
    `corpus: ${csv} ${fmt(csvBytes / MB)} MB`,
    `ours:  ${fmt(ours.seconds)} s, ${o.rows} rows, ${fmt(o.rows / ours.seconds, 0)} rows/s, ${fmt(csvBytes / MB / ours.seconds)} MB/s, peak RSS ${fmt(ours.peakRssKb / 1024, 0)} MB, archive ${fmt(o.size / MB, 0)} MB (exit ${ours.code})`,
  ];
  // Where the wall time goes: the load (all threads), then the steps after it (mostly one thread).
  const marks = [{ name: 'load', at: 0 }, ...o.steps, { name: '', at: ours.seconds }];
  const parts = marks.slice(0, -1).map((m, i) => `${m.name} ${fmt(marks[i + 1]!.at - m.at)} s`);
  const cpu = ours.cpu
    ? `; CPU ${fmt(ours.cpu.user)} s user + ${fmt(ours.cpu.sys)} s sys = ${fmt((100 * (ours.cpu.user + ours.cpu.sys)) / ours.seconds, 0)}% of one core on average`
    : '';
  lines.push(`ours, by step: ${parts.join(', ')}${cpu}`);
  if (ours.threads) {
    const byThread = [...ours.threads].sort((a, b) => b[1] - a[1]).map(([k, s]) => `${k} ${fmt(s)} s`);
    lines.push(
      `ours, CPU by thread: ${byThread.join(', ')} (writer: the main thread; parse: reading and parsing)`,
    );
  }
  if (floor) {
    lines.push(
      `floor: ${fmt(floor.run.seconds)} s, peak RSS ${fmt(floor.run.peakRssKb / 1024, 0)} MB, db ${fmt(floor.size / MB, 0)} MB (sqlite3 .import + FTS5 rebuild over header, body)`,
      `ratios: time ${fmt(ours.seconds / floor.run.seconds, 2)} (target ≤ 0.80), size ${fmt(o.size / floor.size, 2)} (target ≤ 1.20), RSS ${fmt(ours.peakRssKb / 1024 / 1024, 2)} GB (target ≤ 1)`,
    );
  }
  return lines;
}

const ratios: number[] = [];
const lines: string[] = [];
for (let i = 0; i < runs; i++) {
  // Alternate which goes first, so neither always meets the machine in the same state.
  let floor: { run: Run; size: number } | null = null;
  if (!skipFloor && i % 2 === 1) floor = await runFloor();
  const ours = await runOurs();
  if (!skipFloor && i % 2 === 0) floor = await runFloor();
  if (runs > 1) lines.push(`run ${i + 1} of ${runs} (${i % 2 === 0 ? 'ours first' : 'floor first'}):`);
  lines.push(...report(ours, floor));
  if (floor) ratios.push(ours.run.seconds / floor.run.seconds);
}
if (ratios.length > 1) {
  const sorted = [...ratios].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  lines.push(
    `time ratios of the ${ratios.length} pairs: ${ratios.map((r) => fmt(r, 2)).join(', ')}; median ${fmt(median, 2)} (target ≤ 0.80)`,
  );
}
process.stdout.write(`${lines.join('\n')}\n`);
