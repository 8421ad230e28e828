import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NewAuditEvent } from '../store.js';
import { AuditAppendWorker, HANDOFF_EVENTS, gatherAuditBatch, packAuditEvents, unpackAuditEvents, type WorkerBatch } from './audit-append-worker.js';

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

  // A part that cannot be unpacked (here: one whose first field is 'bad') refuses its batch.
  const bad = (id: number, more: boolean): WorkerBatch => ({ id, events: ['bad'], ...(more ? { more: true as const } : {}) });
  const unpackOrThrow = (packed: WorkerBatch['events']) => {
    if (packed[0] === 'bad') throw new Error('cannot unpack');
    return unpackAuditEvents(packed);
  };
  const refusals: Array<{ name: string; messages: WorkerBatch[]; expect: Array<string[] | undefined | 'threw'>; left: number }> = [
    { name: 'a last part that fails drops the parts received', messages: [part(1, 0, 2, true), bad(1, false)], expect: [undefined, 'threw'], left: 0 },
    {
      name: 'a middle part that fails: the main thread stops posting and aborts, which frees the batch',
      messages: [part(1, 0, 2, true), bad(1, true), { id: 1, events: [], abort: true }],
      expect: [undefined, 'threw', undefined],
      left: 0,
    },
    {
      name: 'a middle part that fails: parts posted before the refusal came are dropped, the last frees the batch',
      messages: [part(1, 0, 2, true), bad(1, true), part(1, 4, 5, true), part(1, 5, 6, false), part(2, 8, 9, false)],
      expect: [undefined, 'threw', undefined, undefined, ['e-8']],
      left: 0,
    },
  ];
  for (const c of refusals) {
    it(c.name, () => {
      const partial = new Map<number, NewAuditEvent[] | null>();
      const gathered = c.messages.map((m) => {
        try {
          return ids(gatherAuditBatch(partial, structuredClone(m), unpackOrThrow));
        } catch {
          return 'threw' as const;
        }
      });
      expect(gathered).toEqual(c.expect);
      expect(partial.size).toBe(c.left);
    });
  }
});

describe('a batch in parts that its worker refuses', () => {
  it('is aborted by the main thread, which stops posting its parts', async () => {
    // A worker that writes a batch of one part and refuses one of several at its first part; on
    // close it reports the messages it received.
    const source = `
      const { parentPort, workerData } = require('node:worker_threads');
      const seen = [];
      parentPort.on('message', (m) => {
        if (m === 'close') { require('node:fs').writeFileSync(workerData.file, JSON.stringify(seen)); parentPort.close(); return; }
        const first = !seen.some((s) => s.id === m.id);
        seen.push({ id: m.id, parts: m.events.length > 0, more: m.more === true, abort: m.abort === true });
        if (first && !m.more) {
          parentPort.postMessage({ id: m.id, committed: { firstSeq: 1, firstPrevHash: 'h0', hashes: ['h1'] } });
          parentPort.postMessage({ id: m.id, synced: true });
        } else if (first) parentPort.postMessage({ id: m.id, error: { message: 'refused' } });
      });`;
    const dir = mkdtempSync(join(tmpdir(), 'audit-worker-'));
    const file = join(dir, 'seen.json');
    try {
      const worker = new AuditAppendWorker({ source: () => source, workerData: () => ({ file }), translateError: (err) => err });
      // The worker started and answering, so its refusal comes while the parts are being posted.
      await worker.append([event(0)]);
      const events = Array.from({ length: HANDOFF_EVENTS * 50 }, (_, i) => event(i + 1));
      await expect(worker.append(events)).rejects.toThrow('refused');
      await worker.close();
      const seen = (JSON.parse(readFileSync(file, 'utf8')) as Array<{ id: number; parts: boolean; more: boolean; abort: boolean }>).filter((m) => m.id === 2);
      // Its first part, those posted before the refusal came, then the abort; never its last part.
      expect(seen[0]).toEqual({ id: 2, parts: true, more: true, abort: false });
      expect(seen.at(-1)).toEqual({ id: 2, parts: false, more: false, abort: true });
      expect(seen.filter((m) => m.parts && !m.more)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a batch posted to its worker', () => {
  it('is let go once its last part is posted, while the worker still writes it (only the ids stay, for the answer)', async () => {
    // A worker that commits each batch at its last part and answers that it is durable a while later.
    const source = `
      const { parentPort } = require('node:worker_threads');
      const sizes = new Map();
      parentPort.on('message', (m) => {
        if (m === 'close') { parentPort.close(); return; }
        sizes.set(m.id, (sizes.get(m.id) ?? 0) + m.events.filter((f) => typeof f === 'string' && f.startsWith('e-')).length);
        if (m.more) return;
        const n = sizes.get(m.id);
        parentPort.postMessage({ id: m.id, committed: { firstSeq: 1, firstPrevHash: 'h0', hashes: Array.from({ length: n }, (_, i) => 'h' + (i + 1)) } });
        setTimeout(() => parentPort.postMessage({ id: m.id, synced: true }), 1500);
      });`;
    const v8 = await import('node:v8');
    const { runInNewContext } = await import('node:vm');
    v8.setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const worker = new AuditAppendWorker({ source: () => source, workerData: () => ({}), translateError: (err) => err });
    try {
      // Given a batch of two parts that only the append holds
      const { appended, batch } = (() => {
        const events = Array.from({ length: HANDOFF_EVENTS + 5 }, (_, i) => event(i + 1));
        return { appended: worker.append(events), batch: new WeakRef(events) };
      })();
      let settled = false;
      void appended.then(() => { settled = true; });
      // When its parts have been posted (one turn of the event loop each) and the collector runs
      for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
      gc();
      // Then the batch is gone before it is durable
      expect(settled).toBe(false);
      expect(batch.deref()).toBeUndefined();
      // And the append still answers each event's place in the chain
      const links = await appended;
      expect(links.map((l) => l.eventId)).toEqual(Array.from({ length: HANDOFF_EVENTS + 5 }, (_, i) => `e-${i + 1}`));
      expect(links.at(-1)).toEqual({ eventId: `e-${HANDOFF_EVENTS + 5}`, seq: HANDOFF_EVENTS + 5, prevHash: `h${HANDOFF_EVENTS + 4}`, hash: `h${HANDOFF_EVENTS + 5}` });
    } finally {
      await worker.close();
    }
  });
});
