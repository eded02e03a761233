import type { Context } from 'hono';
import { SORT_ORDERS, type SortOrder } from '../../search/types.js';

/** Longest query taken (the search box's maxlength). */
export const MAX_Q = 500;

export interface SearchParams {
  q: string;
  sort: SortOrder | undefined;
  cursor: string | null;
  limit: number;
}

/** `?q=&sort=&cursor=&limit=`; a malformed value is the caller's 400. */
export function searchParams(c: Context, defLimit: number): SearchParams | string {
  const q = c.req.query('q') ?? '';
  if (q.length > MAX_Q) return `q: at most ${MAX_Q} characters`;
  const sort = c.req.query('sort');
  if (sort !== undefined && sort !== '' && !SORT_ORDERS.includes(sort as SortOrder)) {
    return `sort must be one of ${SORT_ORDERS.join(', ')}`;
  }
  const limit = c.req.query('limit');
  if (limit !== undefined && !/^(?:[1-9]\d?|100)$/.test(limit))
    return 'limit must be a whole number from 1 to 100';
  return {
    q,
    sort: sort ? (sort as SortOrder) : undefined,
    cursor: c.req.query('cursor') || null,
    limit: limit ? Number(limit) : defLimit,
  };
}
