import { describe, expect, it } from 'vitest';
import type { NewAuditEvent } from '../store.js';
import { packAuditEvents, unpackAuditEvents } from './audit-append-worker.js';

const event = (i: number, extra: Partial<NewAuditEvent> = {}): NewAuditEvent => ({
  eventId: `e-${i}`,
  accountId: '123456789012',
  eventTime: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
  eventSource: 'iam.amazonaws.com',
  eventName: 'GetUser',
  readOnly: true,
  resources: [],
  recordJson: `{"eventID":"e-${i}"}`,
  ...extra,
});

describe('a batch packed for the audit worker', () => {
  it('unpacks to the same events: optional members absent or present, any number of resources', () => {
    const events = [
      event(1),
      event(2, { username: 'alice', accessKeyId: 'AKIAEXAMPLE000000001', errorCode: 'AccessDenied', readOnly: false }),
      event(3, { username: '', resources: [{ type: 'AWS::IAM::User', name: 'bob' }, { type: 'AWS::IAM::Group', name: 'ops' }] }),
      event(4, { resources: [{ type: 'AWS::IAM::Role', name: 'r' }], recordJson: '{"a":"\u0000\ud800"}' }),
    ];
    const back = unpackAuditEvents(structuredClone(packAuditEvents(events)));
    expect(back).toStrictEqual(events);
  });

  it('carries an invalid time as an invalid Date, which the chaining refuses as before', () => {
    const [back] = unpackAuditEvents(packAuditEvents([event(1, { eventTime: new Date(Number.NaN) })]));
    expect(Number.isNaN(back!.eventTime.getTime())).toBe(true);
    const [notADate] = unpackAuditEvents(packAuditEvents([event(1, { eventTime: '2026-01-01' as unknown as Date })]));
    expect(Number.isNaN(notADate!.eventTime.getTime())).toBe(true);
  });

  it('is empty for no events', () => {
    expect(unpackAuditEvents(packAuditEvents([]))).toEqual([]);
  });
});
