/** The browsing indexes: release and creation calendars, origins, tags, classifications. */
import type { ClassificationEntry, MonthDays, OriginEntry, TagEntry, YearMonths } from '../../store/types.js';
import { classificationUrl, dateUrl, fmt, monthName, originUrl, reldateUrl, tagUrl } from '../urls.js';
import { ColumnHeads } from './components.js';

export function ReleaseIndexView(p: { months: MonthDays[] }) {
  return (
    <>
      <h1>Browse latest releases</h1>
      {p.months.length === 0 ? <p>Nothing has been released yet.</p> : null}
      {p.months.map((m) => (
        <section>
          <h2>
            <a href={`/reldate/${m.month}`}>{monthName(m.month)}</a>{' '}
            <span class="muted">({fmt(m.count)})</span>
          </h2>
          <ul class="chips">
            {m.days.map((d) => (
              <li>
                <a href={reldateUrl(d.day)}>{d.day.slice(8)}</a> <span class="muted">{fmt(d.count)}</span>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}

export function ReleaseMonthView(p: { m: MonthDays }) {
  return (
    <>
      <h1>Releases of {monthName(p.m.month)}</h1>
      <p>{fmt(p.m.count)} cables released on these days:</p>
      <ul class="cols">
        {[...p.m.days].reverse().map((d) => (
          <li>
            <a href={reldateUrl(d.day)}>{d.day}</a> <span class="muted">({fmt(d.count)})</span>
          </li>
        ))}
      </ul>
    </>
  );
}

export function DateIndexView(p: { years: YearMonths[] }) {
  return (
    <>
      <h1>Browse by creation date</h1>
      <div class="scroll">
        <table>
          <caption class="muted">Released cables per year and month of creation</caption>
          <ColumnHeads names={['Year', 'Cables', 'Months']} />
          <tbody>
            {p.years.map((y) => (
              <tr>
                <th scope="row">
                  <a href={`/date/${y.year}`}>{y.year}</a>
                </th>
                <td>{fmt(y.count)}</td>
                <td>
                  <ul class="chips">
                    {y.months.map((m) => (
                      <li>
                        <a href={dateUrl(m.month)} title={`${fmt(m.count)} cables`}>
                          {monthName(m.month).slice(0, 3)}
                        </a>
                      </li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

export function DateYearView(p: { y: YearMonths }) {
  return (
    <>
      <h1>Cables created in {p.y.year}</h1>
      <p>{fmt(p.y.count)} released cables, by month of creation:</p>
      <ul class="cols">
        {p.y.months.map((m) => (
          <li>
            <a href={dateUrl(m.month)}>{monthName(m.month)}</a> <span class="muted">({fmt(m.count)})</span>
          </li>
        ))}
      </ul>
    </>
  );
}

export function OriginIndexView(p: { origins: OriginEntry[] }) {
  const groups = new Map<string, OriginEntry[]>();
  for (const o of p.origins) {
    const l = /^[A-Za-z]/.test(o.name) ? o.name.charAt(0).toUpperCase() : '#';
    groups.set(l, [...(groups.get(l) ?? []), o]);
  }
  return (
    <>
      <h1>Browse by origin</h1>
      <p>{fmt(p.origins.length)} posts with released cables.</p>
      {[...groups].map(([l, os]) => (
        <section>
          <h2 id={`o-${l}`}>{l}</h2>
          <ul class="cols">
            {os.map((o) => (
              <li>
                <a href={originUrl(o.slug)}>{o.name}</a> <span class="muted">({fmt(o.count)})</span>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}

/** `0` stands for the tags that do not start with a letter. */
export const letterLabel = (letter: string) => (letter === '0' ? '0–9 and others' : letter);

export function TagIndexView(p: {
  tags: number;
  letters: { letter: string; tags: number }[];
  top: TagEntry[];
}) {
  return (
    <>
      <h1>Browse by tag</h1>
      <p>
        {fmt(p.tags)} tags on released cables. Each tag has a kind: subject, geo(graphic), org(anisation),
        program, person, or unknown.
      </p>
      <h2>By first letter</h2>
      <ul class="chips">
        {p.letters.map((l) => (
          <li>
            <a href={`/tags/${l.letter}`}>{letterLabel(l.letter)}</a> <span class="muted">{fmt(l.tags)}</span>
          </li>
        ))}
      </ul>
      <h2>Most used</h2>
      <ul class="cols">
        {p.top.map((t) => (
          <li>
            <a href={tagUrl(t.name)}>{t.name}</a> <span class="kind">{t.kind}</span>{' '}
            <span class="muted">({fmt(t.count)})</span>
          </li>
        ))}
      </ul>
    </>
  );
}

export function TagLetterView(p: { letter: string; tags: TagEntry[] }) {
  const label = letterLabel(p.letter);
  if (p.tags.length === 0) {
    return (
      <>
        <h1>Tags: {label}</h1>
        <p>No tag of a released cable starts with {label}.</p>
      </>
    );
  }
  return (
    <>
      <h1>Tags: {label}</h1>
      <div class="scroll">
        <table>
          <caption class="muted">
            {fmt(p.tags.length)} tags starting with {label}
          </caption>
          <ColumnHeads names={['Tag', 'Kind', 'Cables']} />
          <tbody>
            {p.tags.map((t) => (
              <tr>
                <td>
                  <a href={tagUrl(t.name)}>{t.name}</a>
                </td>
                <td>{t.kind}</td>
                <td>{fmt(t.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

export function ClassificationIndexView(p: { classifications: ClassificationEntry[] }) {
  return (
    <>
      <h1>Browse by classification</h1>
      <ul>
        {p.classifications.map((x) => (
          <li>
            <a href={classificationUrl(x.name)}>{x.name}</a> <span class="muted">({fmt(x.count)})</span>
          </li>
        ))}
      </ul>
    </>
  );
}
