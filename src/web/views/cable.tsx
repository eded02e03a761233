import type { Child } from 'hono/jsx';
import type { CableDetail, CableSummary, Neighbours, ResolvedReference } from '../../store/reader.js';
import {
  cableUrl,
  classificationUrl,
  dateUrl,
  fmt,
  historyUrl,
  originUrl,
  reldateUrl,
  shortTime,
  tagUrl,
} from '../urls.js';

export interface CablePageData {
  cable: CableDetail;
  references: ResolvedReference[];
  citedBy: { total: number; rows: CableSummary[] };
  neighbours: Neighbours;
}

const FLAG_NOTES: Record<string, string> = {
  'partial-extract': 'This text is a partial extract of the cable, not the whole message.',
  'missing-tags': 'The cable has no TAGS line.',
  'missing-subject': 'The cable has no SUBJECT line.',
  'foreign-record-in-body': 'The body holds text of another record as well.',
  redactions: 'Parts of the text were redacted before release.',
  'media-partner-text': 'The text carries annotations added by a media partner.',
};

/**
 * The body with a ¶ link before each numbered paragraph the parser found (and only those) and the
 * TAGS line's tags as links. Everything else is text, escaped by the renderer.
 */
export function bodyParts(c: CableDetail): Child[] {
  const body = c.body;
  const marks: { at: number; end: number; node: Child }[] = [];
  const seen = new Map<number, number>();
  for (const p of c.paragraphs) {
    if (p.start < 0 || p.start > body.length) continue;
    const n = (seen.get(p.number) ?? 0) + 1;
    seen.set(p.number, n);
    const id = n > 1 ? `par${p.number}-${n}` : `par${p.number}`;
    marks.push({
      at: p.start,
      end: p.start,
      node: (
        <>
          <a id={id} href={`#${id}`} aria-label={`Paragraph ${p.number}`}>
            ¶
          </a>
          {p.marking ? <span class="pm">{p.marking}</span> : null}
        </>
      ),
    });
  }
  const tagNames = new Set(c.tags.map((t) => t.name));
  const line = /^[ \t]*TAGS:?[ \t]*(.*)$/m.exec(body);
  if (line && tagNames.size) {
    const from = line.index + line[0].length - line[1]!.length;
    for (const m of line[1]!.matchAll(/[A-Za-z0-9]+/g)) {
      if (!tagNames.has(m[0])) continue;
      const at = from + m.index;
      marks.push({ at, end: at + m[0].length, node: <a href={tagUrl(m[0])}>{m[0]}</a> });
    }
  }
  marks.sort((a, b) => a.at - b.at || a.end - b.end);
  const out: Child[] = [];
  let pos = 0;
  for (const m of marks) {
    if (m.at < pos) continue;
    out.push(body.slice(pos, m.at), m.node);
    pos = m.end;
  }
  out.push(body.slice(pos));
  return out;
}

function Ref(p: { r: ResolvedReference }) {
  const r = p.r;
  const label = `${r.bullet ? `${r.bullet}. ` : ''}${r.value}`;
  if (r.status === 'released' && r.target) {
    return (
      <li>
        {label} → <a href={cableUrl(r.target.id, r.target.created)}>{r.target.id}</a>{' '}
        <span class="muted">{r.target.subject}</span>
      </li>
    );
  }
  const note =
    r.status === 'embargoed'
      ? 'not yet released'
      : r.status === 'absent'
        ? 'not in archive'
        : r.kind !== 'cable'
          ? r.kind
          : '';
  return (
    <li>
      {label} {note ? <span class="muted">({note})</span> : null}
    </li>
  );
}

export function CableView(p: { d: CablePageData }) {
  const { cable: c, references, citedBy, neighbours } = p.d;
  const self = cableUrl(c.id, c.created);
  const notes = c.flags.map((f) => FLAG_NOTES[f]).filter((x): x is string => !!x);
  return (
    <article>
      <h1>
        Viewing cable {c.id}, {c.subject || '(no subject)'}
      </h1>
      <details>
        <summary>Understanding cables</summary>
        <p>Every cable message consists of three parts:</p>
        <ul>
          <li>
            The top box shows each cable's unique reference number, when and by whom it was sent, and its
            initial classification.
          </li>
          <li>The middle box holds the header: the receivers and the routing of the message.</li>
          <li>
            The bottom box presents the body: subject, references to other cables, then the numbered
            paragraphs, each with its portion marking.
          </li>
        </ul>
      </details>
      <details>
        <summary>Discussing cables</summary>
        <p>
          Link to a cable by its reference ID (<a href={self}>{c.id}</a>), or to one paragraph through its ¶
          symbol. On social networks, use the hashtags <strong>#cablegate</strong> and{' '}
          <strong>#{c.id}</strong>.
        </p>
      </details>
      {notes.length ? (
        <section aria-labelledby="h-notes">
          <h2 id="h-notes">Notes on this text</h2>
          <ul class="note">
            {notes.map((n) => (
              <li>{n}</li>
            ))}
          </ul>
        </section>
      ) : null}
      <section class="box" aria-labelledby="h-meta">
        <h2 id="h-meta">Cable</h2>
        <table class="meta">
          <tbody>
            <tr>
              <th scope="row">Reference ID</th>
              <td>
                <a href={self}>{c.id}</a>
                {c.aliases.length ? <span class="muted"> (also {c.aliases.join(', ')})</span> : null}
              </td>
            </tr>
            <tr>
              <th scope="row">Created</th>
              <td>
                {c.created ? (
                  <a href={dateUrl(c.created.slice(0, 7))}>
                    <time datetime={c.created}>{shortTime(c.created)} UTC</time>
                  </a>
                ) : (
                  '—'
                )}
              </td>
            </tr>
            {c.dtg ? (
              <tr>
                <th scope="row">Date-time group</th>
                <td>{c.dtg.text}</td>
              </tr>
            ) : null}
            <tr>
              <th scope="row">Released</th>
              <td>
                <a href={reldateUrl(c.released.slice(0, 10))}>
                  <time datetime={c.released}>{shortTime(c.released)} UTC</time>
                </a>
              </td>
            </tr>
            <tr>
              <th scope="row">Classification</th>
              <td>
                {c.classification ? (
                  <a href={classificationUrl(c.classification)}>{c.classification}</a>
                ) : (
                  '—'
                )}
              </td>
            </tr>
            <tr>
              <th scope="row">Origin</th>
              <td>{c.origin && c.originSlug ? <a href={originUrl(c.originSlug)}>{c.origin}</a> : '—'}</td>
            </tr>
            {c.tags.length ? (
              <tr>
                <th scope="row">Tags</th>
                <td>
                  {c.tags.map((t, i) => (
                    <>
                      {i ? ', ' : ''}
                      <a href={tagUrl(t.name)}>{t.name}</a> <span class="kind">{t.kind}</span>
                    </>
                  ))}
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </section>
      <section class="box" aria-labelledby="h-header">
        <h2 id="h-header">Header</h2>
        <pre>{c.header}</pre>
      </section>
      <section class="box" aria-labelledby="h-body">
        <h2 id="h-body">Body</h2>
        <pre>{bodyParts(c)}</pre>
      </section>
      {references.length ? (
        <section aria-labelledby="h-refs">
          <h2 id="h-refs">References</h2>
          <ul>
            {references.map((r) => (
              <Ref r={r} />
            ))}
          </ul>
        </section>
      ) : null}
      {citedBy.total ? (
        <section aria-labelledby="h-cited">
          <h2 id="h-cited">Cited by ({fmt(citedBy.total)})</h2>
          <ul>
            {citedBy.rows.map((r) => (
              <li>
                <a href={cableUrl(r.id, r.created)}>{r.id}</a> <span class="muted">{r.subject}</span>
              </li>
            ))}
          </ul>
          {citedBy.total > citedBy.rows.length ? (
            <p class="muted">and {fmt(citedBy.total - citedBy.rows.length)} more.</p>
          ) : null}
        </section>
      ) : null}
      {c.versionCount > 1 ? (
        <p>
          This cable has {c.versionCount} versions:{' '}
          <a href={historyUrl(c.id)}>version history and differences</a>.
        </p>
      ) : null}
      {neighbours.previous || neighbours.next ? (
        <nav class="nav-pn" aria-label={`Other cables from ${c.origin ?? 'this origin'}`}>
          <span>
            {neighbours.previous ? (
              <a href={cableUrl(neighbours.previous.id, neighbours.previous.created)} rel="prev">
                ← Previous from {c.origin}: {neighbours.previous.id}
              </a>
            ) : null}
          </span>
          <span>
            {neighbours.next ? (
              <a href={cableUrl(neighbours.next.id, neighbours.next.created)} rel="next">
                Next from {c.origin}: {neighbours.next.id} →
              </a>
            ) : null}
          </span>
        </nav>
      ) : null}
    </article>
  );
}
