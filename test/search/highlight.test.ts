import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { highlightSpans, type SnippetQuery, snippetOf, snippetQuery } from '../../src/search/highlight.js';

/** The excerpt as the site renders it: escaped text, matches in <mark>. */
function snippetHtml(text: string, q: string | SnippetQuery): string {
  const s = snippetOf(text, q);
  const esc = (t: string) =>
    t.replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));
  let out = '';
  let at = 0;
  for (const [a, b] of s.marks) {
    out += `${esc(s.text.slice(at, a))}<mark>${esc(s.text.slice(a, b))}</mark>`;
    at = b;
  }
  return out + esc(s.text.slice(at));
}

const marked = (text: string, q: string) =>
  highlightSpans(text, q)
    .map(([s, e]) => text.slice(s, e))
    .join('|');

describe('highlighting', () => {
  it('marks words, prefixes, phrases and numbers as the index matches them', () => {
    const t =
      'The São Paulo consulate met Nuclear officials; nuclear-armed states; REF 0619 and 619; Human  Rights.';
    assert.equal(marked(t, 'nuclear'), 'Nuclear|nuclear');
    assert.equal(marked(t, 'sao'), 'São');
    assert.equal(marked(t, 'offic*'), 'officials');
    assert.equal(marked(t, '"human rights"'), 'Human  Rights');
    assert.equal(marked(t, '619'), '0619|619');
    assert.equal(marked(t, 'nuclear -states tag:PGOV'), 'Nuclear|nuclear');
    assert.equal(marked(t, 'tag:PGOV'), '');
  });

  it('builds an escaped excerpt around the first match', () => {
    const body = `${'x '.repeat(300)}the <b>nuclear</b> & "plan" ${'y '.repeat(300)}`;
    const s = snippetHtml(body, 'nuclear plan');
    assert.match(s, /^…/);
    assert.match(s, /&lt;b&gt;<mark>nuclear<\/mark>&lt;\/b&gt; &amp; &quot;<mark>plan<\/mark>&quot;/);
    assert.ok(s.length < 400);
    assert.equal(snippetHtml('no match here', 'nuclear'), 'no match here');
  });
});

describe('excerpts: the ASCII fast path', () => {
  it('finds the same first match as tokenising the whole text', () => {
    const texts = [
      `${'filler text, 1234 and more. '.repeat(200)}The Human Rights report; 000619 and STATE-department.`,
      'nuclear-armed; Nuclear; NUCLEARIZATION; unclear nuclear',
      'REF A: 0619. B: 619x. C: 10619. D: 619',
      `${'state '.repeat(500)}state Department at the end`,
      'Plain text with a São Paulo accent, so the slow path runs: human rights.',
      'Talks on the Iran nuclear deal resumed; the nuclear deal stalled.',
      '',
    ];
    const queries = [
      'nuclear',
      'nucl*',
      '"human rights"',
      '619',
      '0619*',
      '"state department"',
      'human rights 1234',
      'sao paulo',
      'x OR y',
      'tag:PGOV',
      '"state dep"*',
      '"iran nuclear" "nuclear deal"',
    ];
    for (const t of texts) {
      for (const q of queries) {
        const fast = snippetQuery(q);
        assert.equal(
          snippetHtml(t, fast),
          snippetHtml(t, { ...fast, finder: null }),
          `${q} in ${t.slice(-40)}`,
        );
      }
    }
  });

  it('agrees with the slow path on random texts and queries', () => {
    const word = fc.constantFrom(
      'iran',
      'Iran',
      'IRAN',
      'nuclear',
      '0619',
      '619',
      'deal',
      'x',
      'iranian',
      '1',
      // Non-ASCII tokens that fold to a term's (or nearly): the finder cannot see these.
      'Irán',
      'İRAN',
      'nücléar',
      'Zürich',
      '𝐢ran',
      '٦١٩',
    );
    const sep = fc.constantFrom(' ', '-', '. ', '\n', '', ',', '’', ' – ');
    const text = fc.array(fc.tuple(word, sep), { maxLength: 60 }).map((a) => a.flat().join(''));
    const query = fc.constantFrom(
      'iran',
      'iran*',
      '"iran nuclear"',
      '619',
      '"nuclear deal" x',
      'ira* 1',
      '"deal x"*',
      '"iran nuclear deal"',
      '"iran nuclear" "nuclear deal"',
      'rich',
    );
    fc.assert(
      fc.property(text, query, (t, q) => {
        const fast = snippetQuery(q);
        assert.equal(snippetHtml(t, fast), snippetHtml(t, { ...fast, finder: null }));
      }),
      { numRuns: 500 },
    );
  });
});
