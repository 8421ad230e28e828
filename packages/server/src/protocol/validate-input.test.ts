import { describe, expect, it } from 'vitest';
import type { ServiceModel } from './model/service-model.js';
import { collectViolations, validationMessage, type Violation } from './validate-input.js';

/** A small model with every kind of nesting the checker walks. */
const model: ServiceModel = {
  signingName: 'test',
  serviceId: 'Test',
  protocol: 'json',
  apiVersion: '2020-01-01',
  operations: {},
  shapes: {
    Input: { type: 'structure', members: { Name: { shape: 'Name' }, Items: { shape: 'Items' }, Labels: { shape: 'Labels' }, Count: { shape: 'Count' }, Secret: { shape: 'Secret' } }, required: ['Name'] },
    Items: { type: 'list', member: { shape: 'Item' }, max: 2 },
    Item: { type: 'structure', members: { Key: { shape: 'Name' }, Kind: { shape: 'Kind' } }, required: ['Key'] },
    Labels: { type: 'map', key: { shape: 'Name' }, value: { shape: 'Name' } },
    Name: { type: 'string', min: 1, max: 5, pattern: '[a-z]+', regex: '^[a-z]+$' },
    Kind: { type: 'string', enum: ['a', 'b'] },
    Count: { type: 'integer', min: 1, max: 10 },
    Secret: { type: 'string', max: 3, sensitive: true },
  },
};

function violations(input: unknown): Violation[] {
  const out: Violation[] = [];
  collectViolations(model, 'Input', input, '', out);
  return out;
}

describe('collectViolations', () => {
  const cases: Array<[string, unknown, Array<Pick<Violation, 'path' | 'constraint'>>]> = [
    ['a valid input', { Name: 'ab', Items: [{ Key: 'k', Kind: 'a' }], Labels: { x: 'y' }, Count: 3 }, []],
    ['a missing required member', {}, [{ path: 'name', constraint: 'Member must not be null' }]],
    ['a required member of a list item', { Name: 'a', Items: [{ Key: 'k' }, { Kind: 'a' }] }, [{ path: 'items.2.member.key', constraint: 'Member must not be null' }]],
    ['an enum in a list item', { Name: 'a', Items: [{ Key: 'k', Kind: 'c' }] }, [{ path: 'items.1.member.kind', constraint: 'Member must satisfy enum value set: [a, b]' }]],
    ['a list too long', { Name: 'a', Items: [{ Key: 'a' }, { Key: 'b' }, { Key: 'c' }] }, [{ path: 'items', constraint: 'Member must have length less than or equal to 2' }]],
    ['a map key and value', { Name: 'a', Labels: { ok: 'ok', BAD: 'toolong' } }, [
      { path: 'labels.2.key', constraint: 'Member must satisfy regular expression pattern: [a-z]+' },
      { path: 'labels.2.value', constraint: 'Member must have length less than or equal to 5' },
    ]],
    // Dense lists and maps: a JSON null in one (the decoder makes it undefined) is refused, not handed on.
    ['a null list item', { Name: 'a', Items: [{ Key: 'k' }, undefined] }, [{ path: 'items.2.member', constraint: 'Member must not be null' }]],
    ['a null map value', { Name: 'a', Labels: { x: null } }, [{ path: 'labels.1.value', constraint: 'Member must not be null' }]],
    ['a number out of range', { Name: 'a', Count: 11 }, [{ path: 'count', constraint: 'Member must have value less than or equal to 10' }]],
    ['several, in model order', { Name: '', Count: 0 }, [
      { path: 'name', constraint: 'Member must have length greater than or equal to 1' },
      { path: 'name', constraint: 'Member must satisfy regular expression pattern: [a-z]+' },
      { path: 'count', constraint: 'Member must have value greater than or equal to 1' },
    ]],
  ];
  for (const [name, input, expected] of cases) {
    it(name, () => {
      expect(violations(input).map(({ path, constraint }) => ({ path, constraint }))).toEqual(expected);
    });
  }

  it('hides a sensitive value in the message', () => {
    expect(validationMessage(violations({ Name: 'a', Secret: 'hunter2' }))).toBe(
      "1 validation error detected: Value '*** Sensitive Data Redacted ***' at 'secret' failed to satisfy constraint: Member must have length less than or equal to 3",
    );
  });
});
