import type { Context } from 'hono';
import type { SortDir, SortKey } from '../../store/types.js';

export interface ListParams {
  page: number;
  sort: SortKey;
  dir: SortDir;
}

/** `?page=&sort=&dir=`; a malformed value is the caller's 400, never a 500. */
export function listParams(c: Context, def: { sort: SortKey; dir: SortDir }): ListParams | string {
  const page = c.req.query('page');
  const sort = c.req.query('sort');
  const dir = c.req.query('dir');
  if (page !== undefined && !/^[1-9][0-9]{0,6}$/.test(page)) return 'page must be a whole number from 1';
  if (sort !== undefined && sort !== 'created' && sort !== 'released')
    return 'sort must be created or released';
  if (dir !== undefined && dir !== 'asc' && dir !== 'desc') return 'dir must be asc or desc';
  return {
    page: page ? Number(page) : 1,
    sort: (sort as SortKey) ?? def.sort,
    dir: (dir as SortDir) ?? def.dir,
  };
}

export function isDay(s: string): boolean {
  if (!/^\d{4}-\d\d-\d\d$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export function isMonth(s: string): boolean {
  const m = /^(\d{4})-(\d\d)$/.exec(s);
  return m !== null && Number(m[2]) >= 1 && Number(m[2]) <= 12;
}

/** `name_3.html`, the original site's page 3 (0-based) of a listing. */
export function legacyPage(file: string): { name: string; page: number } | null {
  const m = /^(.+)_(\d{1,6})\.html$/.exec(file);
  return m ? { name: m[1]!, page: Number(m[2]) } : null;
}
