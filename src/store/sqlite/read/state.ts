/**
 * The archive's public state as one connection sees it: it changes when a writer commits (another
 * connection's commit moves `PRAGMA data_version`; this connection's own writes move
 * `total_changes()`) or when the next scheduled release time passes (or the clock goes back, as a
 * test's may). Whatever is derived from public data may be kept under its generation and must be
 * dropped when that moves on.
 */
import type Database from 'better-sqlite3';
import { nowParam } from '../../visibility.js';
import { Statements } from '../statements.js';

/** On a writable connection its own writes count too; a read-only one can write temporary tables only. */
const WRITABLE_VERSION = 'SELECT (SELECT data_version FROM pragma_data_version()) || ? || total_changes()';
const READONLY_VERSION = 'PRAGMA data_version';
const NEXT_RELEASE = 'SELECT min(released_at) FROM cables WHERE released_at > @now';

export class PublicState {
  readonly sql: Statements;
  private version: unknown = null;
  /** The public set of this generation holds from `from` until `nextRelease` (exclusive). */
  private from = '';
  private nextRelease: string | null = null;
  private gen = 0;

  /** `clock`: what decides which release times have passed (tests move it). */
  constructor(
    source: Statements | Database.Database,
    readonly clock: () => Date = () => new Date(),
  ) {
    this.sql = source instanceof Statements ? source : new Statements(source);
  }

  /** The `@now` parameter of public queries (`store/visibility.ts`). */
  now(): string {
    return nowParam(this.clock());
  }

  /** A number that changes whenever what the public may see may have changed. */
  generation(): number {
    const db = this.sql.db;
    const version = db.readonly
      ? this.sql.pluck(READONLY_VERSION).get()
      : this.sql.pluck(WRITABLE_VERSION).get(':');
    const now = this.now();
    if (
      version !== this.version ||
      now < this.from ||
      (this.nextRelease !== null && now >= this.nextRelease)
    ) {
      this.version = version;
      this.from = now;
      this.nextRelease = (this.sql.pluck(NEXT_RELEASE).get({ now }) as string | null) ?? null;
      this.gen++;
    }
    return this.gen;
  }

  /** The data as of the last `generation()`: changes with commits only, not with the clock. */
  get dataVersion(): unknown {
    return this.version;
  }

  /** The generation as an opaque token, for caches keyed by it. */
  key(): string {
    return String(this.generation());
  }
}
