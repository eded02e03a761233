/**
 * The single definition of "public". A cable is public only when it has a release time and that
 * time has passed; every public-facing query and page goes through this module, so the embargo is
 * decided in one place.
 *
 * Release times are stored as ISO 8601 UTC strings (`2011-08-26T00:00:00Z` or with milliseconds).
 * Comparing them as strings against `now` with milliseconds is exact for stored values with
 * milliseconds and errs on the late side (by under a second) for values without: a cable may
 * appear a moment late, never early.
 */

/** The `now` parameter every public query binds, as the string the SQL predicate compares with. */
export function nowParam(now: Date = new Date()): string {
  return now.toISOString();
}

/**
 * SQL condition that row alias `alias` of `cables` is public. Binds the named parameter `@now`
 * (see `nowParam`).
 */
export function publicWhere(alias: string): string {
  checkAlias(alias);
  return `(${alias}.released_at IS NOT NULL AND ${alias}.released_at <= @now)`;
}

/**
 * The exact complement of `publicWhere` (embargoed or scheduled), spelled as two index ranges
 * (NULL, after now) the planner can use.
 */
export function notPublicWhere(alias: string): string {
  checkAlias(alias);
  return `(${alias}.released_at IS NULL OR ${alias}.released_at > @now)`;
}

function checkAlias(alias: string): void {
  if (!/^[a-z_][a-z0-9_]*$/i.test(alias)) throw new Error(`bad SQL alias ${alias}`);
}

/** The same rule for a value already in hand. */
export function isPublic(releasedAt: string | null | undefined, now: Date = new Date()): boolean {
  if (!releasedAt) return false;
  const t = Date.parse(releasedAt);
  if (Number.isNaN(t)) return false;
  return t <= now.getTime() && releasedAt <= nowParam(now);
}
