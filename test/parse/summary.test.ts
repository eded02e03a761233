import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSummary } from '../../src/parse/summary.js';

test('line breaks of a wrapped fixed-width summary are kept as written', () => {
  const text =
    '1. (C) SUMMARY: DEPUTY FOREIGN MINISTER MIGLIORE CALLED IN CHARGE TO PRESENT\nA PRO MEMORIA ON THE SITUATION IN THE CONGO. END SUMMARY.\n';
  assert.equal(
    parseSummary(text),
    'DEPUTY FOREIGN MINISTER MIGLIORE CALLED IN CHARGE TO PRESENT\nA PRO MEMORIA ON THE SITUATION IN THE CONGO.',
  );
});

test('paragraph breaks and bullets inside a summary are kept as single newlines', () => {
  const text =
    '1. (C/NF) Summary: The minister outlined the way forward:\n\n-- the Interior Ministry will lead;\n\n-- the police will follow.\n\n2. (C) More text. End summary';
  assert.equal(
    parseSummary(text),
    'The minister outlined the way forward:\n-- the Interior Ministry will lead;\n-- the police will follow.\nMore text.',
  );
});

test('a subject line mentioning SUMMARY does not start the summary', () => {
  const text =
    'SUBJECT: DAILY SUMMARY OF PRESS\n\n1. (U) Summary: Papers led with the budget. End Summary.\n';
  assert.equal(parseSummary(text), 'Papers led with the budget.');
});

test('no summary', () => {
  assert.equal(parseSummary('1. (C) Nothing here.'), null);
  assert.equal(parseSummary(''), null);
  assert.equal(parseSummary('END SUMMARY'), null);
});

test('rules of dashes inside a summary are no part of it, spaces around breaks neither (real cables)', () => {
  const text =
    '1. (C) Summary: The GOB welcomed the visit. \n \n------- Security ------- \n \nPolice were   deployed. \nEnd Summary.';
  assert.equal(parseSummary(text), 'The GOB welcomed the visit.\nSecurity\nPolice were deployed.');
});

test('the repeated heading in its longer forms and a mixed-case marking are no part of it (real cables)', () => {
  // 09KUALALUMPUR1013, 09NEWDELHI1783, 09USNATO334, 10KABUL104.
  const s = (t: string) => parseSummary(`\n${t} End Summary.`);
  assert.equal(
    s('1.(C) SUMMARY, COMMENT, AND ACTION REQUEST: On December 19, the press reported.'),
    'On December 19, the press reported.',
  );
  assert.equal(s('1. (C) Summary and Background: India will visit.'), 'India will visit.');
  assert.equal(s('1. (C) SUMMARY On August 3 the SYG arrived.'), 'On August 3 the SYG arrived.');
  assert.equal(
    s('1. (S/Rel UK) Summary: At the direction of the President.'),
    'At the direction of the President.',
  );
  // A heading that goes on in words stays whole (09USNATO30).
  assert.equal(
    s('1. (C) Summary from the NAC Meeting: -- AFGHANISTAN.'),
    'Summary from the NAC Meeting: -- AFGHANISTAN.',
  );
});
