import assert from 'node:assert/strict';
import { test } from 'node:test';
import { titlefy } from '../../src/parse/titlefy.js';

test('acronyms stay upper-case, small words lower-case (real subjects)', () => {
  assert.equal(
    titlefy('DEMARCHE TO DUTCH MFA ON EU CHINA ARMS EMBARGO'),
    'Demarche to Dutch MFA on EU China Arms Embargo',
  );
  assert.equal(
    titlefy('SECURITY AT THE DRC’S NUCLEAR RESEARCH CENTER'),
    'Security at the DRC’s Nuclear Research Center',
  );
  assert.equal(
    titlefy('IRAN IN IRAQ: STRATEGY FOR PRESSURING IRGC'),
    'Iran in Iraq: Strategy for Pressuring IRGC',
  );
});

test('first word and the word after a colon or dash keep their capital', () => {
  assert.equal(titlefy('THE NEW GERMAN CABINET - AN OVERVIEW'), 'The New German Cabinet - An Overview');
  assert.equal(
    titlefy('AZERBAIJAN: WHO OWNS WHAT? PART 1 - THE FIRST'),
    'Azerbaijan: Who Owns What? Part 1 - The First',
  );
});

test('compounds are cased part by part; apostrophes', () => {
  assert.equal(
    titlefy('CHILE EXPLAINS COUNTER-TERRORISM EFFORTS'),
    'Chile Explains Counter-Terrorism Efforts',
  );
  assert.equal(titlefy("U/S BURNS' FEBRUARY 18 MEETINGS"), "U/S Burns' February 18 Meetings");
  assert.equal(titlefy("DOROTHY STANG'S KILLER'S FREED"), "Dorothy Stang's Killer's Freed");
  assert.equal(titlefy("COTE D'IVOIRE"), "Cote D'Ivoire");
});

test('ordinals and redactions', () => {
  assert.equal(titlefy('THE 63RD UNGA'), 'The 63rd UNGA');
  assert.equal(titlefy('MEETING WITH XXXXXXXXXXXX'), 'Meeting With XXXXXXXXXXXX');
});

test('never throws', () => {
  assert.equal(titlefy(''), '');
  assert.doesNotThrow(() => titlefy('  ---  ’’ ((( '));
});

test('acronyms that the cables define in parentheses stay upper case', () => {
  // `Revolutionary Armed Forces of Colombia (FARC)`-style definitions in the corpus prose.
  assert.equal(titlefy('COSATU WARNS ZUMA'), 'COSATU Warns Zuma');
  assert.equal(titlefy('CNOOC BIDS AGAIN'), 'CNOOC Bids Again');
});

test('surnames keep the joined particle the prose writes (McChrystal, LaBelle), other words do not', () => {
  assert.equal(titlefy('MCCHRYSTAL MEETS KARZAI'), 'McChrystal Meets Karzai');
  assert.equal(titlefy("SENATOR MCKINLEY'S VISIT"), "Senator McKinley's Visit");
  assert.equal(titlefy('LABELLE IN MACEDONIA'), 'LaBelle in Macedonia');
});
