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

test('classified-by shapes of the real cables: joined and military titles, a misspelt label', () => {
  // Title words written as one (04BRASILIA1748, 05ANKARA3199, 09BERLIN1395, 06HELSINKI1073).
  assert.deepEqual(names('Classified By: DepPolCouns Lawrence Cohen, reasons: 1.4 (b & d)'), [
    'Lawrence Cohen',
  ]);
  assert.deepEqual(names('Classified by Polcounselor John Kunstadter; reasons: E.O. 12958 1.4 (b,d).'), [
    'John Kunstadter',
  ]);
  assert.deepEqual(names('Classified By: ECONMIN Robert A. Pollard for reasons 1.4 (b,d).'), [
    'Robert A. Pollard',
  ]);
  assert.deepEqual(names('Classified By: POLCHIEF GREGORY THOME FOR REASONS 1.4 (B) AND (D)'), [
    'GREGORY THOME',
  ]);
  // A surname made of title-like letters stays.
  assert.deepEqual(names('Classified By: Ambassador Michael Polt for reasons 1.4 (b)'), ['Michael Polt']);
  // Military ranks and services.
  assert.deepEqual(names('Classified By: Defense Attache COL John M. Smith, USA, reasons 1.4 (b)'), [
    'John M. Smith',
  ]);
  assert.deepEqual(names('Classified By: Lt. Gen. Ray Odierno for reasons 1.4 (b)'), ['Ray Odierno']);
  // 08MADRID518: a capitals line stays in capitals mode after `D'AFFAIRES`.
  assert.deepEqual(names("Classified By: CHARGE D'AFFAIRES HUGO LLORENS, REASONS 1.4(B) AND (D)."), [
    'HUGO LLORENS',
  ]);
  // 06BAKU1661: a stray full stop before an initial.
  assert.deepEqual(names('Classified By: Ambassador Anne. E. Derse, Reasons 1.4 (B,D)'), ['Anne. E. Derse']);
  // 09ASHGABAT757: the label misspelt; 08MANAMA541: glued to the REF line's serial.
  assert.deepEqual(names('Classfied By: Charge Richard Miles, reasons 1.4 (b) and (d).'), ['Richard Miles']);
  assert.deepEqual(names('REF: MANAMA 510Classified By: CDA CHRISTOPHER HENZEL FOR REASONS 1.4 (b)'), [
    'CHRISTOPHER HENZEL',
  ]);
  assert.deepEqual(names('the cable was declassified by the Department on 5/5/2005'), []);
});

test('the label repeated with a classification or a doubled by; a particle opening the name', () => {
  // 08CARACAS420, 07BAGHDAD3895, 08REYKJAVIK46.
  assert.deepEqual(
    names('Classified By: CLASSIFIED CONFIDENTIAL BY ACTING DCM ROBERT RICHARD DOWNES FOR REASON 1.4 (d).'),
    ['ROBERT RICHARD DOWNES'],
  );
  assert.deepEqual(names('Classified By: by CDA Patricia Butenis for reasons 1.4 (b) and (d)'), [
    'Patricia Butenis',
  ]);
  assert.deepEqual(names('Classified by Ambassador van Voorst, reasons 1.4 b. and d.'), ['van Voorst']);
});

test('reasons end where the text goes on (real cables)', () => {
  const reasons = (t: string) => parseClassifiedBy(t).reasons;
  // 07BERN130, 08LONDON1922, 10ABUDHABI9, 09BRASILIA193, 08REYKJAVIK46.
  assert.equal(
    reasons('Classified By: X Y, reasons 1.4 B/D ------- Summary ------- 1.(C) Swiss FM'),
    '1.4 B/D',
  );
  assert.equal(
    reasons('Classified By: X Y, reasons 1. 4 (b) and (d) (C) HMG is aware that'),
    '1. 4 (b) and (d)',
  );
  assert.equal(reasons('Classified By: X Y, reasons 1.4(B), (D) (S//NF) Summary: The'), '1.4(B), (D)');
  assert.equal(reasons('Classified By: X Y, reasons 1.4 (b) and (d) REF: A) STATE 3691'), '1.4 (b) and (d)');
  assert.equal(reasons('Classified by X Y, reasons 1.4 b. and d. \n \n(C) Ambassador spoke'), '1.4 b. and d');
  assert.equal(reasons('Classified By: X Y for reasons 1.5 (B) a nd (D)'), '1.5 (B) a nd (D)');
});
