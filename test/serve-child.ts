/** `cables serve` as a child process on a free port, for tests that need the real front. */
import { type ChildProcess, spawn } from 'node:child_process';
import { projectRoot } from './fixtures.js';
import { freePort } from './free-port.js';

/** Starts `cables serve --db db` and resolves once its home page answers. */
export async function startServer(db: string): Promise<{ child: ChildProcess; base: string }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/cli/main.ts',
      'serve',
      '--db',
      db,
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
    ],
    { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  child.stdout?.on('data', (b: Buffer) => {
    log += b.toString();
  });
  child.stderr?.on('data', (b: Buffer) => {
    log += b.toString();
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`cables serve exited ${child.exitCode}: ${log}`);
    try {
      const r = await fetch(`${base}/`);
      if (r.ok) return { child, base };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`cables serve did not answer within 30 s: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
}
