import type { StructuredPatchHunk } from 'diff';
import type { VersionText } from '../../store/types.js';
import { shortTime } from '../urls.js';
import { ColumnHeads } from './components.js';

export function HistoryView(p: {
  id: string;
  self: string;
  versions: VersionText[];
  changes: { from: number; to: number; hunks: StructuredPatchHunk[] }[];
}) {
  const { versions } = p;
  return (
    <>
      <h1>
        Version history of <a href={p.self}>{p.id}</a>
      </h1>
      <p>
        {versions.length} {versions.length === 1 ? 'version' : 'versions'} of this cable's text were received.
      </p>
      <div class="scroll">
        <table>
          <caption class="muted">Versions, oldest first</caption>
          <ColumnHeads names={['Version', 'Filed as', 'Source', 'Received', 'Status']} />
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
      {p.changes.map((ch) => (
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
  );
}
