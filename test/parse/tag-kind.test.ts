import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tagKind } from '../../src/parse/tag-kind.js';

test('kinds follow the TAGS scheme', () => {
  assert.equal(tagKind('BR'), 'geo');
  assert.equal(tagKind('XA'), 'geo');
  assert.equal(tagKind('RICE, CONDOLEEZZA'), 'person');
  assert.equal(tagKind('KDEM'), 'program');
  assert.equal(tagKind('kfrd'), 'program');
  assert.equal(tagKind('PREL'), 'subject');
  assert.equal(tagKind('pgov'), 'subject');
  assert.equal(tagKind('NATO'), 'org');
  assert.equal(tagKind('UNESCO'), 'org');
  assert.equal(tagKind('ZANU-PF'), 'org');
});

test('fallback when no rule applies', () => {
  assert.equal(tagKind('HUMAN RIGHTS'), 'unknown');
  assert.equal(tagKind('HUMAN RIGHTS', 'subject'), 'subject');
  assert.equal(tagKind(''), 'unknown');
});
