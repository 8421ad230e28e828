import { describe, expect, it } from 'vitest';
import type { AuditEventInput } from './audit-event.js';
import { AUDIT_FIELD_LIMITS, TRUNCATED, bound, boundAuditEvent, jsonTextWithin } from './bounded-event.js';

const LONG = 'A'.repeat(15_000);
const base: AuditEventInput = {
  eventId: 'e', requestId: 'r', eventTime: new Date(0), service: 'iam', eventName: 'GetUser', region: 'us-east-1',
  sourceIp: '192.0.2.1', userAgent: 'aws-cli/2', accountId: '123456789012', readOnly: true,
  eventSource: 'iam.amazonaws.com', global: true,
};

describe('boundAuditEvent', () => {
  const cases: Array<{ field: string; over: Partial<AuditEventInput>; read: (e: AuditEventInput) => unknown; max: number }> = [
    { field: 'claimed access key id', over: { claimedAccessKeyId: LONG }, read: (e) => e.claimedAccessKeyId, max: AUDIT_FIELD_LIMITS.accessKeyId },
    { field: 'user agent', over: { userAgent: LONG }, read: (e) => e.userAgent, max: AUDIT_FIELD_LIMITS.userAgent },
    { field: 'region', over: { region: LONG }, read: (e) => e.region, max: AUDIT_FIELD_LIMITS.region },
    { field: 'event name', over: { eventName: LONG }, read: (e) => e.eventName, max: AUDIT_FIELD_LIMITS.eventName },
    { field: 'source address', over: { sourceIp: LONG }, read: (e) => e.sourceIp, max: AUDIT_FIELD_LIMITS.sourceIp },
    { field: 'host header', over: { tls: { tlsVersion: 'TLSv1.3', cipherSuite: 'x', clientProvidedHostHeader: LONG } }, read: (e) => e.tls?.clientProvidedHostHeader, max: AUDIT_FIELD_LIMITS.hostHeader },
    {
      field: 'caller access key id', read: (e) => e.caller?.accessKeyId, max: AUDIT_FIELD_LIMITS.accessKeyId,
      over: { caller: { type: 'Root', accountId: '123456789012', arn: 'arn:aws:iam::123456789012:root', principalId: '123456789012', accessKeyId: LONG, mfaAuthenticated: false } },
    },
    { field: 'refused parameter', over: { request: { UserName: LONG }, error: { code: 'ValidationError', message: 'm' } }, read: (e) => e.request?.['UserName'], max: AUDIT_FIELD_LIMITS.refusedParameter },
    { field: 'nested refused parameter', over: { request: { Tags: [{ Key: LONG }] }, error: { code: 'ValidationError', message: 'm' } }, read: (e) => (e.request?.['Tags'] as Array<{ Key: string }>)[0]!.Key, max: AUDIT_FIELD_LIMITS.refusedParameter },
  ];
  for (const c of cases) {
    it(`bounds the ${c.field}`, () => {
      const value = c.read(boundAuditEvent({ ...base, ...c.over })) as string;
      expect(value).toBe(`${LONG.slice(0, c.max)}${TRUNCATED}`);
    });
  }

  it('keeps a successful call\'s parameters (the model bounds them) and values within limits', () => {
    const event = { ...base, claimedAccessKeyId: 'AKIAEXAMPLE', request: { PolicyDocument: LONG } };
    expect(boundAuditEvent(event)).toEqual(event);
  });

  it('bounds a refused call\'s member names', () => {
    const bounded = boundAuditEvent({ ...base, request: { [LONG]: 'v' }, error: { code: 'ValidationError', message: 'm' } });
    expect(Object.keys(bounded.request!)).toEqual([`${LONG.slice(0, AUDIT_FIELD_LIMITS.refusedParameterName)}${TRUNCATED}`]);
  });

  it('returns a refused call within the limits as it is, and copies one whose input is not plain data', () => {
    const refused = { ...base, request: { UserName: 'bob', Tags: [{ Key: 'k', Value: 'v' }], At: new Date(0) }, error: { code: 'AccessDenied', message: 'm' } };
    expect(boundAuditEvent(refused)).toBe(refused);
    class Input { constructor(readonly UserName: string) {} }
    const odd = { ...base, request: { Nested: new Input('bob') } as Record<string, unknown>, error: { code: 'ValidationError', message: 'm' } };
    const bounded = boundAuditEvent(odd);
    expect(bounded).not.toBe(odd);
    expect(Object.getPrototypeOf(bounded.request!['Nested'])).toBe(Object.prototype);
  });

  it('never cuts a surrogate pair in half', () => {
    expect(bound(`ab\uD83D\uDE00cd`, 3)).toBe(`ab${TRUNCATED}`);
    expect(bound(`ab\uD83D\uDE00cd`, 4)).toBe(`ab\uD83D\uDE00${TRUNCATED}`);
  });
});

describe('jsonTextWithin', () => {
  class Named {
    constructor(readonly name: string) {}
  }
  const values: Array<[string, unknown]> = [
    ['a small input', { UserName: 'ops-admin', Tags: [{ Key: 'k', Value: 'v' }], MaxItems: 100, Marker: null, Flag: true }],
    ['escaped text', { Text: '"\\\n\u0001é😀' }],
    ['numbers of every form', [0, -0.0000012345678901234567, -1.7976931348623157e308, 5e-324, NaN, Infinity, 1e21]],
    ['dates', { At: new Date(0), Far: new Date(8.64e15), Bad: new Date(Number.NaN) }],
    ['undefined members and elements', { A: undefined, B: [undefined, 1] }],
    ['a class instance', { N: new Named('x') }],
    ['an object with its own toJSON', { T: { toJSON: () => 'x'.repeat(500) } }],
    ['bytes', { B: new Uint8Array(40) }],
    ['deep nesting', JSON.parse(`${'{"a":'.repeat(60)}1${'}'.repeat(60)}`) as unknown],
    ['a long text', { Document: 'x'.repeat(70_000) }],
  ];
  it.each(values)('answers as JSON.stringify would for %s, at every limit around its length', (_name, value) => {
    // Given a value, When its text is measured against limits around its real length, Then the answer is the written text's
    const length = JSON.stringify(value).length;
    for (const max of [0, length - 1, length, length + 1, 64 * 1024]) expect(jsonTextWithin(value, max)).toBe(length <= max);
  });
});
