import type Database from 'better-sqlite3';

/** Prepared statements by SQL, prepared once; each is handed out in its default mode. */
export class Statements {
  private readonly cache = new Map<string, Database.Statement>();
  constructor(readonly db: Database.Database) {}

  get(sql: string): Database.Statement {
    let s = this.cache.get(sql);
    if (!s) {
      if (this.cache.size >= 256) this.cache.clear();
      s = this.db.prepare(sql);
      this.cache.set(sql, s);
    } else if (s.reader) {
      s.pluck(false);
      s.raw(false);
    }
    return s;
  }
}
