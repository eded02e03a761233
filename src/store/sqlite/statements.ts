import type Database from 'better-sqlite3';

/** How a statement hands back its rows: objects, the first column, or arrays. */
export type RowMode = 'object' | 'pluck' | 'raw';

/**
 * The prepared statements of one connection, each prepared once (preparing costs more than most
 * runs; values are bound, never spliced, so the SQL texts are few). Every part of the SQLite
 * backend on the connection draws from this one cache.
 */
export class Statements {
  /** By mode, then SQL text (constant texts keep their hash: a lookup costs no rehash). */
  private readonly cache: Record<RowMode, Map<string, Database.Statement>> = {
    object: new Map(),
    pluck: new Map(),
    raw: new Map(),
  };

  constructor(readonly db: Database.Database) {}

  prepare(sql: string, mode: RowMode = 'object'): Database.Statement {
    const cache = this.cache[mode];
    let s = cache.get(sql);
    if (!s) {
      if (cache.size >= 1024) cache.clear();
      s = this.db.prepare(sql);
      if (mode === 'pluck') s.pluck();
      else if (mode === 'raw') s.raw();
      cache.set(sql, s);
    }
    return s;
  }

  pluck(sql: string): Database.Statement {
    return this.prepare(sql, 'pluck');
  }

  raw(sql: string): Database.Statement {
    return this.prepare(sql, 'raw');
  }
}
