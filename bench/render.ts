/**
 * Render cost of two builds of the site, side by side: the same cable and listing pages through
 * each build's `createApp`, response cache off, rounds alternating A B / B A.
 *
 *   node --import tsx bench/render.ts --a DIST_A --b DIST_B --db FILE [--cables N] [--rounds R]
 *
 * DIST_A and DIST_B are `npm run build` outputs (copies of dist/). Two measures per page group:
 * "render": the archive's answers memoised after a first pass, so a request costs routing,
 * templates and the Response; "with reads": the real reader, as a first view in a server.
 * Also checks that both builds give byte-identical pages.
 */
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import type { Hono } from 'hono';
import { openSqliteArchive } from '../src/store/sqlite/archive.js';
import type { ArchiveReader } from '../src/store/types.js';
import { benchPages } from './pages.js';

const argv = process.argv.slice(2);
const opt = (name: string, dflt?: string): string => {
  const i = argv.indexOf(name);
  const v = i >= 0 ? argv[i + 1] : dflt;
  if (v === undefined) throw new Error(`bench/render: ${name} is required`);
  return v;
};
const dirs = { A: resolve(opt('--a')), B: resolve(opt('--b')) };
const dbPath = opt('--db');
const cableCount = Number(opt('--cables', '1000'));
const rounds = Number(opt('--rounds', '6'));

type CreateApp = (reader: ArchiveReader, opts: { cacheBytes: number }) => Hono;
const load = async (dir: string) =>
  (await import(pathToFileURL(join(dir, 'web', 'app.js')).href)).createApp as CreateApp;
const createA = await load(dirs.A);
const createB = await load(dirs.B);

/** The reader's answers kept by method and arguments: a second request reads nothing. */
function memoised(r: ArchiveReader): ArchiveReader {
  const kept = new Map<string, unknown>();
  return new Proxy(r, {
    get(target, prop, recv) {
      const v = Reflect.get(target, prop, recv);
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        const key = `${String(prop)}\u0000${JSON.stringify(args)}`;
        if (!kept.has(key)) kept.set(key, v.apply(target, args));
        return kept.get(key);
      };
    },
  });
}

// The pages: random cables, and pages 1–3 of the busiest tags, origins and months (as bench:serve).
const db = new Database(dbPath, { readonly: true });
const { cables, listings } = benchPages(db, {
  cables: cableCount,
  tags: 30,
  origins: 20,
  months: 20,
  deep: false,
});
db.close();
const groups = { 'cable pages': cables, 'listing pages': listings };

const archive = openSqliteArchive(dbPath, { readonly: true });
const real = archive.reader;
const memo = memoised(real);
const apps = {
  render: { A: createA(memo, { cacheBytes: 0 }), B: createB(memo, { cacheBytes: 0 }) },
  'with reads': { A: createA(real, { cacheBytes: 0 }), B: createB(real, { cacheBytes: 0 }) },
};

const fetchText = async (app: Hono, path: string) => {
  const res = await app.request(`http://localhost${path}`);
  return { status: res.status, text: await res.text() };
};

// A first pass fills the memo and compares the builds' pages.
let differ = 0;
for (const paths of Object.values(groups)) {
  const kept: string[] = [];
  for (const p of paths) {
    const a = await fetchText(apps.render.A, p);
    const b = await fetchText(apps.render.B, p);
    if (a.status !== 200) continue;
    kept.push(p);
    if (a.text !== b.text && differ++ < 3) process.stderr.write(`pages differ: ${p}\n`);
  }
  paths.splice(0, paths.length, ...kept);
}

/** Microseconds per page over one pass of `paths`. */
async function pass(app: Hono, paths: string[]): Promise<number> {
  const t = process.hrtime.bigint();
  for (const p of paths) await fetchText(app, p);
  return Number(process.hrtime.bigint() - t) / 1000 / paths.length;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const f = (n: number) => n.toFixed(0).padStart(6);

console.log(
  `bench:render — ${dbPath}, ${cables.length} cable pages, ${listings.length} listing pages, ${rounds} rounds ` +
    `(A ${dirs.A}, B ${dirs.B}); pages identical: ${differ === 0 ? 'yes' : `no (${differ} differ)`}`,
);
console.log('µs per page: median over rounds [min–max]');
for (const [measure, pair] of Object.entries(apps)) {
  for (const [name, paths] of Object.entries(groups)) {
    const t: { A: number[]; B: number[] } = { A: [], B: [] };
    for (const v of ['A', 'B'] as const) await pass(pair[v], paths);
    for (let r = 0; r < rounds; r++) {
      for (const v of r % 2 ? (['B', 'A'] as const) : (['A', 'B'] as const))
        t[v].push(await pass(pair[v], paths));
    }
    const line = (v: 'A' | 'B') =>
      `${v} ${f(median(t[v]))} [${f(Math.min(...t[v]))}–${f(Math.max(...t[v]))}]`;
    console.log(
      `${`${measure}, ${name}`.padEnd(28)} ${line('A')}   ${line('B')}   B/A ${(median(t.B) / median(t.A)).toFixed(2)}`,
    );
  }
}
await archive.close();
