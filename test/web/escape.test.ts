import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { escapeToBuffer } from 'hono/utils/html';
import { escapeText } from '../../src/web/escape.js';
import { html } from '../../src/web/html.js';

const jsx = (s: string) => {
  const out = [''];
  escapeToBuffer(s, out);
  return out[0];
};

test('the escaper escapes as hono/jsx does, so string templates and JSX give the same bytes', () => {
  assert.equal(escapeText(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  fc.assert(
    fc.property(fc.string({ unit: fc.constantFrom('a', '<', '>', '&', '"', "'", 'é', ' ') }), (s) => {
      assert.equal(escapeText(s), jsx(s));
      assert.equal(html`<p title="${s}">${s}</p>`.html, `<p title="${jsx(s)}">${jsx(s)}</p>`);
    }),
  );
  fc.assert(fc.property(fc.string(), (s) => assert.equal(escapeText(s), jsx(s))));
});
