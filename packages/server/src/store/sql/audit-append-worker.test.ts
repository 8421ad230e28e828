import { describe, expect, it } from 'vitest';
import type { NewAuditEvent } from '../store.js';
import { gatherAuditBatch, packAuditEvents, unpackAuditEvents, type WorkerBatch } from './audit-append-worker.js';

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

describe('a batch gathered from its parts by the audit worker', () => {
  const part = (id: number, from: number, to: number, more: boolean): WorkerBatch =>
    ({ id, events: packAuditEvents(Array.from({ length: to - from }, (_, k) => event(from + k))), ...(more ? { more: true as const } : {}) });
  const ids = (events: NewAuditEvent[] | undefined) => events?.map((e) => e.eventId);
  const cases: Array<{ name: string; refused?: number; messages: WorkerBatch[]; expect: Array<string[] | undefined>; left: number }> = [
    { name: 'one part is the whole batch', messages: [part(1, 0, 2, false)], expect: [['e-0', 'e-1']], left: 0 },
    {
      name: 'parts are joined in order once the last comes',
      messages: [part(1, 0, 2, true), part(1, 2, 3, true), part(1, 3, 4, false)],
      expect: [undefined, undefined, ['e-0', 'e-1', 'e-2', 'e-3']],
      left: 0,
    },
    {
      name: 'the parts of two batches are kept apart',
      messages: [part(1, 0, 1, true), part(2, 5, 6, true), part(1, 1, 2, false), part(2, 6, 7, false)],
      expect: [undefined, undefined, ['e-0', 'e-1'], ['e-5', 'e-6']],
      left: 0,
    },
    {
      name: 'an abort drops the parts received, and the next batch starts afresh',
      messages: [part(1, 0, 2, true), { id: 1, events: [], abort: true }, part(2, 7, 8, false)],
      expect: [undefined, undefined, ['e-7']],
      left: 0,
    },
    { name: 'a batch still being posted is kept', messages: [part(1, 0, 2, true)], expect: [undefined], left: 1 },
    {
      name: 'the later parts of a batch refused already are dropped, not written as a batch of their own',
      refused: 1,
      messages: [part(1, 2, 3, true), part(1, 3, 4, false), part(2, 8, 9, false)],
      expect: [undefined, undefined, ['e-8']],
      left: 0,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const partial = new Map<number, NewAuditEvent[] | null>();
      if (c.refused !== undefined) partial.set(c.refused, null);
      expect(c.messages.map((m) => ids(gatherAuditBatch(partial, structuredClone(m), unpackAuditEvents)))).toEqual(c.expect);
      expect(partial.size).toBe(c.left);
    });
  }
});
