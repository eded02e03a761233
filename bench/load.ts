/** One load run against a server, by wrk (preferred) or autocannon, as req/s and latency figures. */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import autocannon from 'autocannon';

export interface Measure {
  rps: number;
  requests: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  kbPerReq: number;
}

export interface LoadOptions {
  tool: string;
  wrk: string;
  wrkScript: string;
  /** Where wrk's rotation script reads the paths from. */
  pathFile: string;
  connections: number;
}

export async function runLoad(
  o: LoadOptions,
  base: string,
  paths: string[],
  seconds: number,
): Promise<Measure> {
  if (o.tool === 'wrk') {
    writeFileSync(o.pathFile, `${paths.join('\n')}\n`);
    const out = execFileSync(
      o.wrk,
      ['-t1', `-c${o.connections}`, `-d${seconds}s`, '--timeout', '10s', '-s', o.wrkScript, base],
      { env: { ...process.env, WRK_PATHS: o.pathFile }, encoding: 'utf8' },
    );
    const line = /^WRKJSON (.*)$/m.exec(out);
    if (!line) throw new Error(`wrk printed no figures:\n${out}`);
    const w = JSON.parse(line[1]!) as {
      requests: number;
      duration_us: number;
      bytes: number;
      p50_us: number;
      p99_us: number;
      errors: number;
      non2xx: number;
    };
    return {
      rps: w.requests / (w.duration_us / 1e6),
      requests: w.requests,
      p50: w.p50_us / 1000,
      p99: w.p99_us / 1000,
      non2xx: w.non2xx,
      errors: w.errors,
      kbPerReq: w.bytes / Math.max(1, w.requests) / 1024,
    };
  }
  let i = 0;
  const r = await autocannon({
    url: base,
    connections: o.connections,
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
    requests: r.requests.total,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    kbPerReq: r.throughput.total / Math.max(1, r.requests.total) / 1024,
  };
}
