import { describe, expect, it } from 'vitest';
import type { ServiceModel } from './model/service-model.js';
import { decodeJsonInput } from './json/decode-json-input.js';
import { decodeQueryInput } from './query/decode-query-input.js';

// A model with a map member: neither IAM nor STS has one in an input today, CloudTrail may later.
const MODEL: ServiceModel = {
  signingName: 'x',
  serviceId: 'X',
  protocol: 'query',
  apiVersion: '2020-01-01',
  operations: { Op: { name: 'Op', httpMethod: 'POST', errors: [], input: 'OpRequest' } },
  shapes: {
    OpRequest: { type: 'structure', members: { Attrs: { shape: 'AttrMap' } } },
    AttrMap: { type: 'map', key: { shape: 'Text' }, value: { shape: 'Text' } },
    Text: { type: 'string' },
  },
};

describe('map keys chosen by the client stay plain data', () => {
  const names = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];
  it.each(names)('Query: a map key %s is an own property, the prototype untouched', (key) => {
    // Given a Query map entry whose key is an Object.prototype name
    const params = new Map([
      [`Attrs.entry.1.key`, key],
      [`Attrs.entry.1.value`, 'v'],
    ]);
    // When it is decoded
    const { input, violations } = decodeQueryInput(MODEL, 'OpRequest', params);
    // Then the key is data, not a prototype change
    const attrs = input['Attrs'] as Record<string, unknown>;
    expect(violations).toEqual([]);
    expect(Object.getPrototypeOf(attrs)).toBe(Object.prototype);
    expect(Object.hasOwn(attrs, key)).toBe(true);
    expect(attrs[key]).toBe('v');
  });
  it.each(names)('JSON: a map key %s is an own property, the prototype untouched', (key) => {
    const input = decodeJsonInput(MODEL, 'OpRequest', new TextEncoder().encode(JSON.stringify({ Attrs: JSON.parse(`{"${key}":"v"}`) })));
    const attrs = input['Attrs'] as Record<string, unknown>;
    expect(Object.getPrototypeOf(attrs)).toBe(Object.prototype);
    expect(Object.hasOwn(attrs, key)).toBe(true);
    expect(attrs[key]).toBe('v');
  });
  it('JSON: a member name is read from the body itself, never from Object.prototype', () => {
    const model: ServiceModel = { ...MODEL, shapes: { ...MODEL.shapes, OpRequest: { type: 'structure', members: { toString: { shape: 'Text' } } } } };
    expect(decodeJsonInput(model, 'OpRequest', new TextEncoder().encode('{}'))).toEqual({});
  });
});
