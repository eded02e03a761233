import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseClassifiedBy } from '../../src/parse/classified-by.js';

const names = (t: string, normalize = false) => parseClassifiedBy(t, { normalize }).names;

test('titles stripped, misspelt or abbreviated (real Classified-By lines)', () => {
  assert.deepEqual(names('Classified By: Ambassaor Joseph LeBaron for reasons 1.4 (b and d).'), [
    'Joseph LeBaron',
  ]);
  assert.deepEqual(
    names(
      "Classified By: Classified by: Charge' de Affaires Walter E. Andrusyszyn for reasons 1.4 (b) and (d).",
    ),
    ['Walter E. Andrusyszyn'],
  );
  assert.deepEqual(
    names(
      'Classified By: Minister Counselor for for Economic and Political Affairs Donald A. Blome for reasons 1.4',
    ),
    ['Donald A. Blome'],
  );
  assert.deepEqual(names('CLASSIFIED BY EUR/FO ? IAN KELLY, REASONS: 1.4 (B) AND (D).'), ['IAN KELLY']);
  assert.deepEqual(names('Classified By: EPOL COUNSELOR TIM STATER FOR REASONS 1.4(B/D).'), ['TIM STATER']);
  assert.deepEqual(
    names('Classified By: Political Counselor Walter N.S. Pflaumer for reasons 1.4 (b) and (d).'),
    ['Walter N.S. Pflaumer'],
  );
  assert.deepEqual(names("CLASSIFIED BY CHARGE D'AFFAIRES DOUGLAS C.GREENE FOR REASONS 1.4 B AND D."), [
    'DOUGLAS C.GREENE',
  ]);
});

test('an unknown office before a title is not the name', () => {
  assert.deepEqual(names('Classified By: Somalia Unit Counselor Bob Patterson. Reasons: 1.4 (b,d ).'), [
    'Bob Patterson',
  ]);
  assert.deepEqual(names('Classified By: T U/S Ellen O. Tauscher for Reasons 1.4 a,b,and d.'), [
    'Ellen O. Tauscher',
  ]);
  assert.deepEqual(
    names('Classified By: Consulate General Istanbul Deputy Principal Officer Win Dayton; Reason 1.5 (d).'),
    ['Win Dayton'],
  );
});

test('surname first, redactions, wrapped surname, no name', () => {
  assert.deepEqual(names('CLASSIFIED BY: GILMOUR, David, DCM, State, Embassy Panama; REASON: 1.4(B), (D)'), [
    'GILMOUR',
  ]);
  assert.deepEqual(
    names(
      'CLASSIFIED BY: XXXXXXXXXXXX, Ambassador, U.S. Embassy Tripoli, Department of State. REASON: 1.4 (b), (d)',
    ),
    ['XXXXXXXXXXXX'],
  );
  assert.deepEqual(
    names(
      'Classified By: Minister-Counselor for Political-Military Affairs Michae \nl Corbin for reasons 1.4 (b-d).',
    ),
    ['Michael Corbin'],
  );
  assert.deepEqual(names('Classified By: Derived from Multiple Sources SECRET//FGI//NOFORN'), []);
  assert.deepEqual(names("Classified By: Charge d'Affaires, for reasons 1.4 (b), (c), and (d)."), []);
  assert.deepEqual(names(''), []);
});

test('normalize title-cases, reasons are kept as written', () => {
  assert.deepEqual(
    names('1. (U) CLASSIFIED BY THOMAS W. SIMONS, JR., AMBASSADOR.\nREASON: 1.5 (B), (C) AND (D).', true),
    ['Thomas W. Simons, Jr.'],
  );
  const r = parseClassifiedBy(
    'Classified By: Acting Deputy Chief of Mission Marc Wall for Reasons 1.4\n (b) and (d)\n\n1. (C) SUM',
  );
  assert.deepEqual(r, { names: ['Marc Wall'], reasons: '1.4 (b) and (d)' });
  assert.equal(
    parseClassifiedBy('Classified By: Ambassador Daalder for reasons 1.5(b,d) 1. (C) SUMMARY').reasons,
    '1.5(b,d)',
  );
});
