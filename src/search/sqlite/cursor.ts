/** Page cursors: opaque to callers, `base64url` of the last row's sort key and id. */
import type { DateCursor } from './order.js';
import type { Ranked } from './rank.js';

export function encodeCursor(key: string | number | null, id: number): string {
  return Buffer.from(JSON.stringify([key, id])).toString('base64url');
}

export function rankedCursor(r: Ranked): string {
  return encodeCursor(`${r[2]}:${r[1]}`, r[0]);
}

export interface Cursor {
  date: DateCursor | null;
  ranked: Ranked | null;
}

/** Null when the cursor is not one of ours (the caller then starts at the first page). */
export function decodeCursor(c: string): Cursor | null {
  try {
    const v = JSON.parse(Buffer.from(c, 'base64url').toString('utf8')) as unknown;
    if (!Array.isArray(v) || v.length !== 2 || !Number.isInteger(v[1])) return null;
    const [key, id] = v as [unknown, number];
    if (key !== null && typeof key !== 'string') return null;
    const rel = typeof key === 'string' ? /^([12]):(-?[\d.e+-]+)$/.exec(key) : null;
    return {
      date: [key, id],
      ranked: rel ? [id, Number(rel[2]), Number(rel[1]) as 1 | 2] : null,
    };
  } catch {
    return null;
  }
}
