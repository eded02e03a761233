import Database from 'better-sqlite3';

/**
 * How many cables a running ingest has committed, read through a separate read-only connection
 * (WAL lets it look while the child process writes); 0 while the file or table does not exist yet.
 */
export function countRows(db: string): number {
  try {
    const conn = new Database(db, { readonly: true, fileMustExist: true });
    try {
      return (conn.prepare('SELECT count(*) AS n FROM cables').get() as { n: number }).n;
    } finally {
      conn.close();
    }
  } catch {
    return 0;
  }
}

/** Waits until an ingest child has committed at least `n` cables, so a kill lands mid-run. */
export async function waitForRows(db: string, n: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (countRows(db) >= n) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`ingest never reached ${n} rows`);
}
