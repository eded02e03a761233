import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { highlightSpans, snippetHtml } from '../../src/search/highlight.js';

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
