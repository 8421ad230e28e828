/**
 * The JSON reader against the code it replaced (kept here as the reference): the same input and
 * the error at the same place for every body.
 */
import { describe, expect, it } from 'vitest';
import { SerializationError } from '../../domain/errors.js';
import { CASTELLAN_MODEL } from '../model/castellan-model.js';
import { findShape, type MemberModel, type ServiceModel } from '../model/service-model.js';
import { fromEpochSeconds, parseIsoTimestamp } from '../parse-timestamp.js';
import { decodeJsonInput } from './decode-json-input.js';

function referenceInput(model: ServiceModel, shapeName: string, body: string): unknown {
  const raw: unknown = body.trim() === '' ? {} : JSON.parse(body);
  const decode = (ref: MemberModel, value: unknown, where: string): unknown => {
    if (value === null || value === undefined) return undefined;
    const shape = findShape(model, ref.shape);
    if (!shape) return undefined;
    const wrong = (): never => {
      throw new SerializationError(`${where}`);
    };
    switch (shape.type) {
      case 'structure': {
        if (typeof value !== 'object' || Array.isArray(value)) return wrong();
        const out: Record<string, unknown> = {};
        for (const [member, mref] of Object.entries(shape.members)) {
          const name = mref.locationName ?? member;
          const v = decode(mref, Object.hasOwn(value, name) ? (value as Record<string, unknown>)[name] : undefined, `${where}.${member}`);
          if (v !== undefined) out[member] = v;
        }
        return out;
      }
      case 'list':
        if (!Array.isArray(value)) return wrong();
        return value.map((item, i) => decode(shape.member, item, `${where}[${i}]`));
      case 'map':
        if (typeof value !== 'object' || Array.isArray(value)) return wrong();
        return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, decode(shape.value, v, `${where}.${k}`)]));
      case 'string':
        return typeof value === 'string' ? value : wrong();
      case 'integer':
      case 'long':
        return typeof value === 'number' && Number.isInteger(value) ? value : wrong();
      case 'float':
      case 'double':
        return typeof value === 'number' ? value : wrong();
      case 'boolean':
        return typeof value === 'boolean' ? value : wrong();
      case 'timestamp': {
        const d = typeof value === 'number' ? fromEpochSeconds(value) : typeof value === 'string' ? parseIsoTimestamp(value) : undefined;
        return d ?? wrong();
      }
      default:
        return value;
    }
  };
  return decode({ shape: shapeName }, raw, shapeName);
}

describe('JSON 1.1 reader, against the code it replaced', () => {
  const body = JSON.stringify({
    Service: 's3',
    ClientRequest: { Method: 'GET', Path: '/b/k', Query: '', Headers: JSON.parse('{"host":"h","__proto__":"p","2":"two","x":null}') },
    SourceIp: '127.0.0.1',
    Authorizations: [{ Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/k' }, null],
    ConditionKeys: { 's3:prefix': ['a', 'b'] },
    Event: { EventName: 'GetObject', ReadOnly: true, Resources: [{ Type: 'AWS::S3::Object', Arn: 'arn:aws:s3:::b/k' }] },
    Unknown: 1,
  });
  it('reads an AuthorizeRequest body as it did', () => {
    const got = decodeJsonInput(CASTELLAN_MODEL, 'AuthorizeRequestRequest', new TextEncoder().encode(body));
    expect(got).toStrictEqual(referenceInput(CASTELLAN_MODEL, 'AuthorizeRequestRequest', body));
    expect(Object.getPrototypeOf((got.ClientRequest as { Headers: object }).Headers)).toBe(Object.prototype);
  });
  it.each([
    ['a structure that is a list', '{"ClientRequest":[]}', 'AuthorizeRequestRequest.ClientRequest'],
    ['a list item of the wrong type', '{"Authorizations":[{"Action":"a"},{"Action":1}]}', 'AuthorizeRequestRequest.Authorizations[1].Action'],
    ['a map value of the wrong type', '{"ClientRequest":{"Headers":{"a":"b","x-y":2}}}', 'AuthorizeRequestRequest.ClientRequest.Headers.x-y'],
    ['a nested list', '{"ConditionKeys":{"k":["a",{}]}}', 'AuthorizeRequestRequest.ConditionKeys.k[1]'],
    ['a boolean', '{"SecureTransport":"yes"}', 'AuthorizeRequestRequest.SecureTransport'],
  ])('names where %s is', (_name, text, where) => {
    let message = '';
    try {
      decodeJsonInput(CASTELLAN_MODEL, 'AuthorizeRequestRequest', new TextEncoder().encode(text));
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(new RegExp(`\\(${where.replace(/[.[\]]/g, '\\$&')}\\)$`));
    expect(() => referenceInput(CASTELLAN_MODEL, 'AuthorizeRequestRequest', text)).toThrow(where);
  });
});
