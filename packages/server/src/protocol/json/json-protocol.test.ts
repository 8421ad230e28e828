import { describe, expect, it } from 'vitest';
import { CASTELLAN_MODEL } from '../model/castellan-model.js';
import { CLOUDTRAIL_MODEL } from '../model/cloudtrail-model.js';
import { decodeJsonCall, resolveJsonOperation } from './resolve-json-call.js';
import { serializeJsonError } from './serialize-json-error.js';
import { serializeJsonOutput } from './serialize-json-output.js';

const enc = (s: string) => new TextEncoder().encode(s);
const lookup = CLOUDTRAIL_MODEL.operations.LookupEvents!;
const failure = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return { code: (e as { code: string }).code, message: (e as Error).message };
  }
  return undefined;
};

describe('JSON 1.1 target resolution', () => {
  it.each([
    ['com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents', 'LookupEvents'],
    ['CloudTrail_20131101.LookupEvents', 'LookupEvents'],
    ['CloudTrail_20131101.Nope', undefined],
    ['LookupEvents', undefined],
    ['Other_1.LookupEvents', undefined],
    ['CloudTrail_20131101.__proto__', undefined],
    ['CloudTrail_20131101.constructor', undefined],
    ['com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.toString', undefined],
  ])('%s -> %s', (target, expected) => {
    const f = failure(() => resolveJsonOperation(CLOUDTRAIL_MODEL, target));
    if (expected) expect(resolveJsonOperation(CLOUDTRAIL_MODEL, target).name).toBe(expected);
    else expect(f?.code).toBe('UnknownOperationException');
  });
});

describe('JSON 1.1 input', () => {
  const cases: Array<{ name: string; body: string; input?: unknown; code?: string; message?: RegExp }> = [
    { name: 'empty body', body: '', input: {} },
    {
      name: 'epoch-second timestamps, lists of structures',
      body: '{"StartTime":1700000000,"EndTime":1700000000.5,"LookupAttributes":[{"AttributeKey":"EventName","AttributeValue":"CreateUser"}],"MaxResults":5}',
      input: { StartTime: new Date(1_700_000_000_000), EndTime: new Date(1_700_000_000_500), LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateUser' }], MaxResults: 5 },
    },
    { name: 'not JSON', body: '{', code: 'SerializationException' },
    { name: 'wrong type', body: '{"MaxResults":"5"}', code: 'SerializationException' },
    { name: 'a fraction for an integer', body: '{"MaxResults":1.5}', code: 'SerializationException', message: /^Number value can not be converted to an integer \(LookupEventsRequest\.MaxResults\)$/ },
    // A timestamp JavaScript cannot represent (beyond ±8.64e12 s) or a string that is not ISO 8601 is refused while
    // decoding, never passed on as an invalid Date (StartTime 1e300 answered 500).
    ...['1e300', '-1e300', '8640000000001', '"1"', '"Dec 5"', '"+275760-09-13T00:00:00.001Z"'].map((v) => ({
      name: `timestamp ${v}`,
      body: `{"StartTime":${v}}`,
      code: 'SerializationException',
      message: /can not be converted to a timestamp \(LookupEventsRequest\.StartTime\)$/,
    })),
    { name: 'ISO 8601 string timestamp', body: '{"StartTime":"2023-11-14T22:13:20Z"}', input: { StartTime: new Date(1_700_000_000_000) } },
    { name: 'range', body: '{"MaxResults":51}', code: 'ValidationError', message: /Value '51' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 50/ },
    { name: 'enum in a list item', body: '{"LookupAttributes":[{"AttributeKey":"Nope","AttributeValue":"x"}]}', code: 'ValidationError', message: /at 'lookupAttributes.1.member.attributeKey' failed to satisfy constraint: Member must satisfy enum value set/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      if (c.input) {
        expect(decodeJsonCall(CLOUDTRAIL_MODEL, lookup, enc(c.body))).toEqual(c.input);
        return;
      }
      const f = failure(() => decodeJsonCall(CLOUDTRAIL_MODEL, lookup, enc(c.body)));
      expect(f?.code).toBe(c.code);
      if (c.message) expect(f?.message).toMatch(c.message);
    });
  }
});

describe('JSON 1.1 input received before validation', () => {
  it.each([
    ['a range violation: decoded input', '{"MaxResults":51,"LookupAttributes":[{"AttributeKey":"Nope","AttributeValue":"x"}]}', 'ValidationError', { MaxResults: 51, LookupAttributes: [{ AttributeKey: 'Nope', AttributeValue: 'x' }] }],
    ['wrong JSON type: nothing decoded', '{"MaxResults":"5"}', 'SerializationException', undefined],
    ['not JSON: nothing decoded', '{', 'SerializationException', undefined],
  ])('%s', (_name, body, code, expected) => {
    let received: unknown;
    const f = failure(() => decodeJsonCall(CLOUDTRAIL_MODEL, lookup, enc(body), (input) => (received = input)));
    expect(f?.code).toBe(code);
    expect(received).toEqual(expected);
  });
});

describe('JSON 1.1 output and errors', () => {
  it('writes timestamps as epoch seconds and drops absent members', () => {
    const out = serializeJsonOutput(CLOUDTRAIL_MODEL, 'LookupEvents', { Events: [{ EventId: 'e', EventTime: new Date(1_700_000_000_000), Resources: [] }], NextToken: undefined });
    expect(JSON.parse(out)).toEqual({ Events: [{ EventId: 'e', EventTime: 1_700_000_000, Resources: [] }] });
  });
  it.each([
    ['ValidationError', 'ValidationException', 400],
    ['AccessDenied', 'AccessDeniedException', 400],
    ['InvalidClientTokenId', 'UnrecognizedClientException', 400],
    ['MissingAuthenticationToken', 'MissingAuthenticationTokenException', 403],
    ['NotImplemented', 'NotImplemented', 501],
    ['InvalidLookupAttributesException', 'InvalidLookupAttributesException', 400],
  ])('%s -> %s (%i)', (code, wire, status) => {
    const e = serializeJsonError(code, 'm');
    expect(e).toEqual({ status, code: wire, body: JSON.stringify({ __type: wire, message: 'm' }) });
  });
  it.each([
    // CloudTrail's own exceptions carry `Message`, the only key the SDK for Go v2 reads into them.
    { name: 'CloudTrail TrailNotFoundException', model: CLOUDTRAIL_MODEL, code: 'TrailNotFoundException', key: 'Message' },
    { name: 'CloudTrail ConflictException', model: CLOUDTRAIL_MODEL, code: 'ConflictException', key: 'Message' },
    // Errors no model lists come from AWS's front end with `message`.
    { name: 'CloudTrail ValidationError', model: CLOUDTRAIL_MODEL, code: 'ValidationError', key: 'message' },
    { name: 'CloudTrail AccessDenied', model: CLOUDTRAIL_MODEL, code: 'AccessDenied', key: 'message' },
    { name: 'CloudTrail Throttling', model: CLOUDTRAIL_MODEL, code: 'Throttling', key: 'message' },
    // Castellan's own model names its exceptions' member `message`.
    { name: 'castellan ConflictException', model: CASTELLAN_MODEL, code: 'ConflictException', key: 'message' },
    { name: 'castellan NoSuchEntity', model: CASTELLAN_MODEL, code: 'NoSuchEntity', key: 'message' },
  ])('$name: the message is under $key', ({ model, code, key }) => {
    // Given an error of the service, When serialized, Then its message is under the service's key
    const body = JSON.parse(serializeJsonError(code, 'm', model).body) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['__type', key]);
    expect(body[key]).toBe('m');
  });
});
