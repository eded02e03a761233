import { canonicalizeId } from '../../parse/ids.js';
import type { CableLookup, CablePageLookup } from '../../store/types.js';
import type { WebContext } from '../context.js';
import { type NotFound, notFound } from '../page.js';
import { cableUrl } from '../urls.js';

/** What a cable address may hold: canonical IDs, aliases, the original site's spellings. */
export const ID_RE = /^[A-Za-z0-9'-]{3,64}$/;

/**
 * A cable by any spelling: the canonical ID itself, an alias, or what the parser makes of it.
 * `first` is the lookup of `raw` itself (the common case, done by the caller's own method).
 */
export async function lookup<T extends CableLookup | CablePageLookup>(
  ctx: WebContext,
  raw: string,
  first: T,
): Promise<T | CableLookup> {
  if (first.kind !== 'missing') return first;
  let canon = raw;
  try {
    canon = canonicalizeId(raw.toUpperCase());
  } catch {
    return first;
  }
  if (canon === raw) return first;
  const second = await ctx.reader.cable(canon);
  if (second.kind === 'found')
    return { kind: 'redirect', id: second.cable.id, created: second.cable.created };
  return second;
}

/** 404 for a cable, suggesting a public cable with the same station and serial in a nearby year. */
export async function cableNotFound(ctx: WebContext, raw: string): Promise<NotFound> {
  const m = /^(\d\d)([A-Z'-]+\d+)$/.exec(raw.toUpperCase());
  const suggestions: { id: string; created: string | null }[] = [];
  if (m) {
    const yy = Number(m[1]);
    for (const d of [-1, 1]) {
      const id = `${String((yy + d + 100) % 100).padStart(2, '0')}${m[2]}`;
      const r = await ctx.reader.cable(id);
      if (r.kind === 'found') suggestions.push({ id: r.cable.id, created: r.cable.created });
      else if (r.kind === 'redirect') suggestions.push({ id: r.id, created: r.created });
    }
  }
  return notFound(
    suggestions.length ? (
      <p>
        Did you mean{' '}
        {suggestions.map((s, i) => (
          <>
            {i ? ' or ' : ''}
            <a href={cableUrl(s.id, s.created)}>{s.id}</a>
          </>
        ))}
        ?
      </p>
    ) : (
      <p>No released cable has this reference ID.</p>
    ),
  );
}
