import { structuredPatch } from 'diff';
import type { Context, Hono } from 'hono';
import { canonicalizeId } from '../../parse/ids.js';
import { highlightSpans } from '../../search/highlight.js';
import type { CableLookup, CablePageLookup } from '../../store/types.js';
import { type Format, splitFormat, type WebContext } from '../app.js';
import { cableUrl, historyUrl, shortTime } from '../urls.js';
import { type CablePageData, cableView, type Highlight } from '../views/cable.js';

const ID_RE = /^[A-Za-z0-9'-]{3,64}$/;
/** Longest `?hl=` query honoured (the search box takes 500 characters). */
const MAX_HL = 500;
/** Citing cables listed on a cable page. */
const CITED_BY = 20;

/**
 * A cable by any spelling: the canonical ID itself, an alias, or what the parser makes of it.
 * `first` is the lookup of `raw` itself (the common case, done by the caller's own method).
 */
async function lookup<T extends CableLookup | CablePageLookup>(
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
async function cableNotFound(c: Context, ctx: WebContext, raw: string, format: Format): Promise<Response> {
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
  const hint = suggestions.length ? (
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
  );
  return ctx.notFound(c, format, hint);
}

export function registerCable(app: Hono, ctx: WebContext): void {
  const { reader } = ctx;

  const show = async (c: Context, file: string, ym: string | null) => {
    const { name: raw, format } = splitFormat(file);
    if (!ID_RE.test(raw)) return ctx.notFound(c, format);
    const query = c.req.query('hl')?.trim().slice(0, MAX_HL) ?? '';
    // A redirect to the canonical address keeps the terms to highlight.
    const keep = query && format === 'html' ? `?hl=${encodeURIComponent(query)}` : '';
    const look = await lookup(ctx, raw, await reader.cablePage(raw, CITED_BY));
    if (look.kind === 'missing') return cableNotFound(c, ctx, raw, format);
    if (look.kind === 'redirect') return c.redirect(cableUrl(look.id, look.created, format) + keep, 301);
    const cable = look.cable;
    const url = cableUrl(cable.id, cable.created, format);
    if (ym === null || !url.startsWith(`/cable/${ym}/`)) return c.redirect(url + keep, 301);
    // Found under another spelling: a redirect above; found as written: the page's parts came with it.
    if (!('references' in look)) return c.redirect(url + keep, 301);
    const d: CablePageData = {
      cable,
      references: look.references,
      citedBy: look.citedBy,
      neighbours: look.neighbours,
    };
    // The terms are marked as the index matches them (case, accents, prefixes, phrases); the
    // `.json` twin stays the canonical data.
    const hl: Highlight | undefined =
      query && format === 'html'
        ? { query, subject: highlightSpans(cable.subject, query), body: highlightSpans(cable.body, query) }
        : undefined;
    return ctx.send(c, format, {
      title: `${cable.id}: ${cable.subject || '(no subject)'}`,
      description: `Cable ${cable.id} from ${cable.origin ?? 'unknown origin'}, ${shortTime(cable.created)}`,
      data: d,
      json: cableUrl(cable.id, cable.created, 'json'),
      ...(hl ? { canonical: cableUrl(cable.id, cable.created) } : {}),
      body: () => cableView(d, hl),
    });
  };
  app.get('/cable/:y/:m/:file', (c) =>
    show(c, c.req.param('file'), `${c.req.param('y')}/${c.req.param('m')}`),
  );
  app.get('/cable/:file', (c) => show(c, c.req.param('file'), null));

  app.get('/history/:file', async (c) => {
    const { name: raw, format } = splitFormat(c.req.param('file'));
    if (!ID_RE.test(raw)) return ctx.notFound(c, format);
    const look = await lookup(ctx, raw, await reader.cable(raw));
    if (look.kind === 'missing') return cableNotFound(c, ctx, raw, format);
    if (look.kind === 'redirect') return c.redirect(historyUrl(look.id, format), 301);
    const cable = look.cable;
    const versions = await reader.versions(cable.id);
    const text = (v: { header: string; body: string }) => `${v.header}\n\n${v.body}`;
    const changes = versions.slice(1).map((v, i) => {
      const prev = versions[i]!;
      const patch = structuredPatch(
        `version ${prev.number}`,
        `version ${v.number}`,
        text(prev),
        text(v),
        '',
        '',
        {
          context: 3,
        },
      );
      return { from: prev.number, to: v.number, hunks: patch ? patch.hunks : [] };
    });
    const data = {
      id: cable.id,
      versions: versions.map((v) => ({ ...v })),
      changes,
    };
    const self = cableUrl(cable.id, cable.created);
    return ctx.send(c, format, {
      title: `${cable.id}: version history`,
      data,
      json: historyUrl(cable.id, 'json'),
      body: () => (
        <>
          <h1>
            Version history of <a href={self}>{cable.id}</a>
          </h1>
          <p>
            {versions.length} {versions.length === 1 ? 'version' : 'versions'} of this cable's text were
            received.
          </p>
          <div class="scroll">
            <table>
              <caption class="muted">Versions, oldest first</caption>
              <thead>
                <tr>
                  <th scope="col">Version</th>
                  <th scope="col">Filed as</th>
                  <th scope="col">Source</th>
                  <th scope="col">Received</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {versions.map((v) => (
                  <tr>
                    <td>{v.number}</td>
                    <td>{v.referenceId}</td>
                    <td>{v.source}</td>
                    <td>{shortTime(v.ingestedAt)}</td>
                    <td>{v.current ? 'current' : v.variant ? 'earlier variant' : 'superseded'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {changes.map((ch) => (
            <section aria-labelledby={`ch-${ch.to}`}>
              <h2 id={`ch-${ch.to}`}>
                Changes from version {ch.from} to version {ch.to}
              </h2>
              {ch.hunks.length === 0 ? (
                <p>No difference in the text.</p>
              ) : (
                <pre class="diff">
                  {ch.hunks.map((h) => (
                    <>
                      <span class="hunk">{`@@ lines ${h.oldStart}–${h.oldStart + h.oldLines - 1} → ${h.newStart}–${h.newStart + h.newLines - 1} @@\n`}</span>
                      {h.lines.map((l) =>
                        l.startsWith('+') ? (
                          <ins class="add">{`${l}\n`}</ins>
                        ) : l.startsWith('-') ? (
                          <del class="del">{`${l}\n`}</del>
                        ) : (
                          `${l}\n`
                        ),
                      )}
                    </>
                  ))}
                </pre>
              )}
            </section>
          ))}
        </>
      ),
    });
  });
}
