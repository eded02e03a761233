import type { CableDetail, CableSummary, Neighbours, ResolvedReference } from '../../store/types.js';
import { escapeText } from '../escape.js';
import { type Html, html, trusted } from '../html.js';
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

type Span = [number, number];

/** `text.slice(from, to)`, escaped, with the parts inside `spans` (sorted, absolute offsets) in <mark>. */
function marked(text: string, from: number, to: number, spans: readonly Span[]): string {
  let out = '';
  let pos = from;
  for (const [s, e] of spans) {
    if (e <= pos) continue;
    if (s >= to) break;
    const a = Math.max(s, pos);
    const b = Math.min(e, to);
    if (a > pos) out += escapeText(text.slice(pos, a));
    out += `<mark>${escapeText(text.slice(a, b))}</mark>`;
    pos = b;
  }
  if (pos < to) out += escapeText(text.slice(pos, to));
  return out;
}

/**
 * The body, escaped, with a ¶ link before each paragraph the parser found (and only those), the
 * TAGS line's tags as links and the `highlight` spans in <mark>: one string built in one pass.
 */
export function bodyHtml(c: CableDetail, highlight: readonly Span[] = []): Html {
  const body = c.body;
  const marks: { at: number; end: number; html: string }[] = [];
  const seen = new Map<number, number>();
  for (const p of c.paragraphs) {
    if (p.start < 0 || p.start > body.length) continue;
    const n = (seen.get(p.number) ?? 0) + 1;
    seen.set(p.number, n);
    const id = n > 1 ? `par${p.number}-${n}` : `par${p.number}`;
    marks.push({
      at: p.start,
      end: p.start,
      html:
        `<a id="${id}" href="#${id}" aria-label="Paragraph ${p.number}">¶</a>` +
        (p.marking ? `<span class="pm">${escapeText(p.marking)}</span>` : ''),
    });
  }
  const tagNames = new Set(c.tags.map((t) => t.name));
  const line = /^[ \t]*TAGS:?[ \t]*(.*)$/m.exec(body);
  if (line && tagNames.size) {
    const from = line.index + line[0].length - line[1]!.length;
    for (const m of line[1]!.matchAll(/[A-Za-z0-9]+/g)) {
      if (!tagNames.has(m[0])) continue;
      const at = from + m.index;
      const end = at + m[0].length;
      marks.push({
        at,
        end,
        html: `<a href="${escapeText(tagUrl(m[0]))}">${marked(body, at, end, highlight)}</a>`,
      });
    }
  }
  marks.sort((a, b) => a.at - b.at || a.end - b.end);
  let out = '';
  let pos = 0;
  for (const m of marks) {
    if (m.at < pos) continue;
    out += marked(body, pos, m.at, highlight) + m.html;
    pos = m.end;
  }
  return trusted(out + marked(body, pos, body.length, highlight));
}

/** Query terms to mark on a cable page reached from a search result (`?hl=`). */
export interface Highlight {
  query: string;
  subject: Span[];
  body: Span[];
}

function ref(r: ResolvedReference): Html {
  const label = `${r.bullet ? `${r.bullet}. ` : ''}${r.value}`;
  if (r.status === 'released' && r.target) {
    return html`<li>${label} → <a href="${cableUrl(r.target.id, r.target.created)}">${r.target.id}</a> <span class="muted">${r.target.subject}</span></li>`;
  }
  const note =
    r.status === 'embargoed'
      ? 'not yet released'
      : r.status === 'absent'
        ? 'not in archive'
        : r.kind !== 'cable'
          ? r.kind
          : '';
  return html`<li>${label} ${note ? html`<span class="muted">(${note})</span>` : null}</li>`;
}

function metaRows(c: CableDetail, self: string): Html {
  const created = c.created
    ? html`<a href="${dateUrl(c.created.slice(0, 7))}"><time datetime="${c.created}">${shortTime(c.created)} UTC</time></a>`
    : '—';
  const dtg = c.dtg ? html`<tr><th scope="row">Date-time group</th><td>${c.dtg.text}</td></tr>` : null;
  const classification = c.classification
    ? html`<a href="${classificationUrl(c.classification)}">${c.classification}</a>`
    : '—';
  const origin = c.origin && c.originSlug ? html`<a href="${originUrl(c.originSlug)}">${c.origin}</a>` : '—';
  const tags = c.tags.length
    ? html`<tr><th scope="row">Tags</th><td>${c.tags.map(
        (t, i) =>
          html`${i ? ', ' : ''}<a href="${tagUrl(t.name)}">${t.name}</a> <span class="kind">${t.kind}</span>`,
      )}</td></tr>`
    : null;
  return html`<tr><th scope="row">Reference ID</th><td><a href="${self}">${c.id}</a>${
    c.aliases.length ? html`<span class="muted"> (also ${c.aliases.join(', ')})</span>` : null
  }</td></tr><tr><th scope="row">Created</th><td>${created}</td></tr>${dtg}<tr><th scope="row">Released</th><td><a href="${reldateUrl(c.released.slice(0, 10))}"><time datetime="${c.released}">${shortTime(c.released)} UTC</time></a></td></tr><tr><th scope="row">Classification</th><td>${classification}</td></tr><tr><th scope="row">Origin</th><td>${origin}</td></tr>${tags}`;
}

export function cableView(d: CablePageData, hl?: Highlight): Html {
  const { cable: c, references, citedBy, neighbours } = d;
  const self = cableUrl(c.id, c.created);
  const notes = c.flags.map((f) => FLAG_NOTES[f]).filter((x): x is string => !!x);
  const subject =
    hl && c.subject
      ? trusted(marked(c.subject, 0, c.subject.length, hl.subject))
      : c.subject || '(no subject)';
  const places = hl ? hl.body.length + hl.subject.length : 0;
  const hlNote = hl
    ? html`<p class="hl-note">Highlighting: <q>${hl.query}</q> (${places} ${places === 1 ? 'place' : 'places'}) · <a href="${self}">clear</a></p>`
    : null;
  // The reading guide is on /help; every cable page repeating it would weigh on all of them.
  const guide = html`<p class="muted"><a href="/help#understanding">Understanding cables</a> · <a href="/help#discussing">Discussing cables</a>: cite <a href="${self}">${c.id}</a> or a ¶ link; hashtags #cablegate #${c.id}</p>`;
  const notesBox = notes.length
    ? html`<section aria-labelledby="h-notes"><h2 id="h-notes">Notes on this text</h2><ul class="note">${notes.map((n) => html`<li>${n}</li>`)}</ul></section>`
    : null;
  const refs = references.length
    ? html`<section aria-labelledby="h-refs"><h2 id="h-refs">References</h2><ul>${references.map(ref)}</ul></section>`
    : null;
  const cited = citedBy.total
    ? html`<section aria-labelledby="h-cited"><h2 id="h-cited">Cited by (${fmt(citedBy.total)})</h2><ul>${citedBy.rows.map(
        (r) =>
          html`<li><a href="${cableUrl(r.id, r.created)}">${r.id}</a> <span class="muted">${r.subject}</span></li>`,
      )}</ul>${
        citedBy.total > citedBy.rows.length
          ? html`<p class="muted">and ${fmt(citedBy.total - citedBy.rows.length)} more.</p>`
          : null
      }</section>`
    : null;
  const versions =
    c.versionCount > 1
      ? html`<p>This cable has ${c.versionCount} versions: <a href="${historyUrl(c.id)}">version history and differences</a>.</p>`
      : null;
  const { previous: prev, next } = neighbours;
  const pn =
    prev || next
      ? html`<nav class="nav-pn" aria-label="${`Other cables from ${c.origin ?? 'this origin'}`}"><span>${
          prev
            ? html`<a href="${cableUrl(prev.id, prev.created)}" rel="prev">← Previous from ${c.origin}: ${prev.id}</a>`
            : null
        }</span><span>${
          next
            ? html`<a href="${cableUrl(next.id, next.created)}" rel="next">Next from ${c.origin}: ${next.id} →</a>`
            : null
        }</span></nav>`
      : null;
  return html`<article><h1>Viewing cable ${c.id}, ${subject}</h1>${hlNote}${guide}${notesBox}<section class="box" aria-labelledby="h-meta"><h2 id="h-meta">Cable</h2><table class="meta"><tbody>${metaRows(c, self)}</tbody></table></section><section class="box" aria-labelledby="h-header"><h2 id="h-header">Header</h2><pre>${c.header}</pre></section><section class="box" aria-labelledby="h-body"><h2 id="h-body">Body</h2><pre>${bodyHtml(c, hl?.body)}</pre></section>${refs}${cited}${versions}${pn}</article>`;
}
