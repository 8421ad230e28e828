import type { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Principal, RequestContext } from '../domain/context.js';
import { AuditAppendWorker } from '../store/sql/audit-append-worker.js';
import { nodeHealth } from '../http/health.js';
import { translatePostgresError } from '../store/postgres/postgres-errors.js';
import { translateSqliteError } from '../store/sqlite/sqlite-errors.js';
import { StoreUnavailableError } from '../store/store-errors.js';
import type { Store } from '../store/store.js';
import { lookupEvents } from '../protocol/json/operations/cloudtrail/lookup-events.js';
import type { LookupEventsRequest, LookupEventsResponse } from '../protocol/model/cloudtrail-types.js';
import type { AuditEventInput } from './audit-event.js';
import { StoreAuditLog } from './store-audit-log.js';
import { openTamperableStore, TEST_DIALECTS, type TamperableStore } from './test-audit-store.js';
import { verifyStoredChain } from './verify/verify-stored-chain.js';

const A = '123456789012';
const B = '210987654321';
const root = (account: string): Principal => ({ type: 'Root', accountId: account, arn: `arn:aws:iam::${account}:root`, principalId: account, accessKeyId: `AKIAROOT${account}`, mfaAuthenticated: false });
const bob: Principal = { type: 'IAMUser', accountId: A, arn: `arn:aws:iam::${A}:user/bob`, principalId: 'AIDABOB', userName: 'bob', accessKeyId: 'AKIABOB0000000000001', mfaAuthenticated: false };

let n = 0;
function call(over: Partial<AuditEventInput>): AuditEventInput {
  n++;
  return {
    eventId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    requestId: `req-${n}`,
    eventTime: new Date(Date.UTC(2026, 1, 1, 0, 0, n)),
    service: 'iam',
    eventSource: `${over.service ?? 'iam'}.amazonaws.com`,
    global: (over.service ?? 'iam') === 'iam',
    eventName: 'CreateUser',
    region: 'us-east-1',
    sourceIp: '198.51.100.7',
    userAgent: 'aws-sdk-js/3',
    caller: root(A),
    accountId: A,
    readOnly: false,
    ...over,
  };
}

for (const dialect of TEST_DIALECTS) {
  describe(`StoreAuditLog and LookupEvents on ${dialect}`, () => {
    let t: TamperableStore;
    let audit: StoreAuditLog<{ store: Store }>;
    beforeEach(async () => {
      t = await openTamperableStore(dialect);
      audit = new StoreAuditLog<{ store: Store }>({ store: t.store, transactionStore: (d) => d.store, flushIntervalMs: 60_000, maxBatch: 1000 });
    });
    afterEach(async () => {
      await audit.close();
      await t.close();
    });

    it('a mutation event commits or rolls back with its transaction', async () => {
      // Given one committed and one failed mutation
      await t.store.transaction((tx) => audit.recordInTransaction(call({ request: { UserName: 'kept' } }), { store: tx }));
      await expect(
        t.store.transaction(async (tx) => {
          await audit.recordInTransaction(call({ request: { UserName: 'rolled-back' } }), { store: tx });
          throw new Error('the mutation failed after its event was written');
        }),
      ).rejects.toThrow('the mutation failed');
      // Then only the committed one is stored
      const rows = await t.store.scanAuditEvents({ fromSeq: 1, limit: 10 });
      expect(rows.map((r) => JSON.parse(r.recordJson).requestParameters.userName)).toEqual(['kept']);
      expect(rows[0]!.resources).toEqual([{ type: 'AWS::IAM::User', name: 'kept' }]);
    });

    it('batches read-only and refused events until flushed, and close() writes them all', async () => {
      await audit.record(call({ eventName: 'ListUsers', readOnly: true }));
      await audit.record(call({ caller: bob, eventName: 'DeleteUser', request: { UserName: 'carol' }, error: { code: 'AccessDenied', message: 'denied' } }));
      expect(audit.pendingCount).toBe(2);
      expect(await t.store.scanAuditEvents({ fromSeq: 1, limit: 10 })).toEqual([]);
      await audit.close();
      const rows = await t.store.scanAuditEvents({ fromSeq: 1, limit: 10 });
      expect(rows.map((r) => [r.eventName, r.errorCode ?? null, r.username ?? null])).toEqual([['ListUsers', null, 'root'], ['DeleteUser', 'AccessDenied', 'bob']]);
      // After close, an event is written at once.
      await audit.record(call({ eventName: 'GetUser', readOnly: true }));
      expect(await t.store.scanAuditEvents({ fromSeq: 1, limit: 10 })).toHaveLength(3);
      expect((await verifyStoredChain({ source: t.store })).findings).toEqual([]);
    });

    it('a 15,000-character access key id or parameter is not stored in full', async () => {
      // Given an unauthenticated call claiming a huge key id, and a refused call with a huge parameter
      const huge = `AKIA${'X'.repeat(15_000)}`;
      await audit.record(call({ caller: undefined, claimedAccessKeyId: huge, eventName: 'ListUsers', readOnly: true, error: { code: 'InvalidClientTokenId', message: 'no such key' } }));
      await audit.record(call({ eventName: 'UpdateAccessKey', request: { AccessKeyId: huge, Status: 'Active' }, error: { code: 'ValidationError', message: 'too long' } }));
      await audit.flush();
      // Then neither the columns nor the records nor the resources hold it
      const rows = await t.store.scanAuditEvents({ fromSeq: 1, limit: 10 });
      expect(rows).toHaveLength(2);
      for (const row of rows) {
        expect(row.recordJson).not.toContain(huge);
        expect(row.recordJson.length).toBeLessThan(4096);
        expect(row.accessKeyId?.length ?? 0).toBeLessThan(200);
        for (const r of row.resources) expect(r.name.length).toBeLessThan(1100);
      }
      expect(rows[0]!.accessKeyId).toMatch(/^AKIAXXX+… \(truncated\)$/);
      expect(rows[1]!.resources).toEqual([{ type: 'AWS::IAM::AccessKey', name: expect.stringMatching(/… \(truncated\)$/) }]);
    });

    it('flushes on its own when the batch is full', async () => {
      const small = new StoreAuditLog<{ store: Store }>({ store: t.store, transactionStore: (d) => d.store, flushIntervalMs: 60_000, maxBatch: 3 });
      for (let i = 0; i < 3; i++) await small.record(call({ eventName: 'ListUsers', readOnly: true }));
      await small.flush();
      expect(await t.store.scanAuditEvents({ fromSeq: 1, limit: 10 })).toHaveLength(3);
      await small.close();
    });

    describe('LookupEvents', () => {
      const op = lookupEvents;
      const lookup = (input: LookupEventsRequest, account = A): Promise<LookupEventsResponse> => {
        const ctx: RequestContext = { requestId: 'r', now: new Date(), caller: root(account), sourceIp: '127.0.0.1', userAgent: 't', region: 'us-east-1' };
        return Promise.resolve(op.execute(input, ctx, { store: t.store }));
      };
      beforeEach(async () => {
        // Given events of two accounts: 5 CreateUser by root, 2 reads by bob, 1 in account B
        for (let i = 1; i <= 5; i++) await t.store.transaction((tx) => audit.recordInTransaction(call({ request: { UserName: `u${i}` } }), { store: tx }));
        await audit.record(call({ caller: bob, eventName: 'GetUser', readOnly: true, request: { UserName: 'u1' } }));
        await audit.record(call({ caller: bob, eventName: 'ListUsers', readOnly: true }));
        await audit.record(call({ caller: root(B), accountId: B, eventName: 'CreateUser', request: { UserName: 'other' } }));
        await audit.flush();
      });

      const cases: { name: string; input: LookupEventsRequest; expect: string[] }[] = [
        { name: 'everything of the account, newest first', input: {}, expect: ['ListUsers', 'GetUser', 'CreateUser:u5', 'CreateUser:u4', 'CreateUser:u3', 'CreateUser:u2', 'CreateUser:u1'] },
        { name: 'by EventName', input: { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'GetUser' }] }, expect: ['GetUser'] },
        { name: 'by Username', input: { LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'bob' }] }, expect: ['ListUsers', 'GetUser'] },
        { name: 'by ReadOnly', input: { LookupAttributes: [{ AttributeKey: 'ReadOnly', AttributeValue: 'false' }] }, expect: ['CreateUser:u5', 'CreateUser:u4', 'CreateUser:u3', 'CreateUser:u2', 'CreateUser:u1'] },
        { name: 'by ResourceName', input: { LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: 'u1' }] }, expect: ['GetUser', 'CreateUser:u1'] },
        { name: 'by ResourceType', input: { LookupAttributes: [{ AttributeKey: 'ResourceType', AttributeValue: 'AWS::IAM::User' }] }, expect: ['GetUser', 'CreateUser:u5', 'CreateUser:u4', 'CreateUser:u3', 'CreateUser:u2', 'CreateUser:u1'] },
        { name: 'by AccessKeyId', input: { LookupAttributes: [{ AttributeKey: 'AccessKeyId', AttributeValue: 'AKIABOB0000000000001' }] }, expect: ['ListUsers', 'GetUser'] },
        { name: 'by EventSource', input: { LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 'sts.amazonaws.com' }] }, expect: [] },
      ];
      for (const c of cases) {
        it(c.name, async () => {
          const out = await lookup(c.input);
          const names = out.Events!.map((e) => {
            const record = JSON.parse(e.CloudTrailEvent!);
            return e.EventName === 'CreateUser' ? `CreateUser:${record.requestParameters.userName}` : e.EventName!;
          });
          expect(names).toEqual(c.expect);
        });
      }

      it('filters by time range, both ends inclusive', async () => {
        const all = (await lookup({})).Events!;
        const out = await lookup({ StartTime: all[4]!.EventTime!, EndTime: all[2]!.EventTime! });
        expect(out.Events!.map((e) => e.EventId)).toEqual(all.slice(2, 5).map((e) => e.EventId));
      });

      it('returns AWS members, and each account sees only its own events', async () => {
        const out = await lookup({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'GetUser' }] });
        expect(out.Events![0]).toMatchObject({ EventName: 'GetUser', ReadOnly: 'true', AccessKeyId: 'AKIABOB0000000000001', EventSource: 'iam.amazonaws.com', Username: 'bob', Resources: [{ ResourceType: 'AWS::IAM::User', ResourceName: 'u1' }] });
        expect(out.Events![0]!.EventTime).toBeInstanceOf(Date);
        const other = await lookup({}, B);
        expect(other.Events!.map((e) => JSON.parse(e.CloudTrailEvent!).requestParameters.userName)).toEqual(['other']);
      });

      it('pages with MaxResults and NextToken', async () => {
        const seen: string[] = [];
        let token: string | undefined;
        let pages = 0;
        do {
          const out = await lookup({ MaxResults: 3, ...(token ? { NextToken: token } : {}) });
          seen.push(...out.Events!.map((e) => e.EventId!));
          token = out.NextToken;
          pages++;
        } while (token);
        expect(pages).toBe(3);
        expect(new Set(seen).size).toBe(7);
      });

      const errors: { name: string; input: LookupEventsRequest; code: string }[] = [
        { name: 'ReadOnly neither true nor false', input: { LookupAttributes: [{ AttributeKey: 'ReadOnly', AttributeValue: 'yes' }] }, code: 'InvalidLookupAttributesException' },
        { name: 'start after end', input: { StartTime: new Date(2000), EndTime: new Date(1000) }, code: 'InvalidTimeRangeException' },
        { name: 'a token that is not one', input: { NextToken: 'not-a-token' }, code: 'InvalidNextTokenException' },
        { name: 'MaxResults over 50', input: { MaxResults: 51 }, code: 'InvalidMaxResultsException' },
      ];
      for (const c of errors) {
        it(`refuses ${c.name}`, async () => {
          await expect(lookup(c.input)).rejects.toMatchObject({ code: c.code });
        });
      }

      it('applies the first of two lookup attributes and ignores the second, as CloudTrail does', async () => {
        const first = await lookup({ LookupAttributes: [{ AttributeKey: 'ReadOnly', AttributeValue: 'true' }] });
        const both = await lookup({ LookupAttributes: [{ AttributeKey: 'ReadOnly', AttributeValue: 'true' }, { AttributeKey: 'Username', AttributeValue: 'nobody-at-all' }] });
        expect(first.Events!.length).toBeGreaterThan(0);
        expect(both.Events!.map((e) => e.EventId)).toEqual(first.Events!.map((e) => e.EventId));
      });

      it('refuses a token used with other parameters', async () => {
        const first = await lookup({ MaxResults: 2 });
        await expect(lookup({ MaxResults: 2, NextToken: first.NextToken!, LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'bob' }] })).rejects.toMatchObject({ code: 'InvalidNextTokenException' });
      });
    });
  });
}

/**
 * A store over `inner` whose first append waits for `release()`, and whose append number `failing`
 * (1-based) fails as unavailable; `appended` lists each append's size.
 */
function heldFirstAppend(inner: Store, failing?: number) {
  let release!: () => void;
  const held = new Promise<void>((resolve) => { release = resolve; });
  const appended: number[] = [];
  const store = {
    appendAuditEvents: async (events: Parameters<Store['appendAuditEvents']>[0]) => {
      appended.push(events.length);
      if (appended.length === 1) await held;
      if (appended.length === failing) throw new StoreUnavailableError('database unreachable');
      return inner.appendAuditEvents(events);
    },
  };
  return { store, appended, release };
}

/**
 * Makes the next audit append worker started die right after it answered a batch's commit: it is
 * terminated, and its later answers (the WAL sync's) never arrive, as when the thread dies between
 * the COMMIT and its last answer. Returns the undo.
 */
function killAuditWorkerAfterCommit(): () => void {
  const proto = AuditAppendWorker.prototype as unknown as { start(this: AuditAppendWorker): Worker };
  const start = proto.start;
  proto.start = function startThenDie(this: AuditAppendWorker): Worker {
    proto.start = start;
    const worker = start.call(this);
    const emit = worker.emit.bind(worker);
    let dead = false;
    worker.emit = ((name: string | symbol, ...args: unknown[]) => {
      if (name === 'message' && dead) return false;
      const delivered = emit(name, ...args);
      if (name === 'message' && typeof args[0] === 'object' && args[0] !== null && 'committed' in args[0]) {
        dead = true;
        void worker.terminate();
      }
      return delivered;
    }) as Worker['emit'];
    return worker;
  };
  return () => { proto.start = start; };
}

for (const dialect of TEST_DIALECTS) {
  describe(`StoreAuditLog: a batch retried after its append worker died (${dialect})`, () => {
    let t: TamperableStore;
    let undo: (() => void) | undefined;
    afterEach(async () => {
      undo?.();
      await t.close();
    });

    it('counts the events the dead worker had committed as written: none quarantined, each stored once, the trail verifies', async () => {
      t = await openTamperableStore(dialect);
      const quarantined: string[] = [];
      const audit = new StoreAuditLog<{ store: Store }>({
        store: t.store, transactionStore: (d) => d.store, flushIntervalMs: 60_000, maxBatch: 1000,
        onQuarantine: (_err, info) => quarantined.push(info.eventId),
      });
      // Given a batch whose worker dies after its commit, before its answer (the batch is reported unavailable)
      await audit.record(call({ eventName: 'ListUsers', readOnly: true }));
      await audit.record(call({ eventName: 'ListRoles', readOnly: true }));
      undo = killAuditWorkerAfterCommit();
      await expect(audit.flush()).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(audit.pendingCount).toBe(2);
      expect((await t.store.scanAuditEvents({ fromSeq: 1, limit: 10 })).map((r) => r.eventName)).toEqual(['ListUsers', 'ListRoles']);
      // When the batch is retried (with an event recorded since) by a new worker
      await audit.record(call({ eventName: 'ListGroups', readOnly: true }));
      await audit.flush();
      // Then nothing is quarantined, each event is stored once, and the chain verifies
      expect(audit.pendingCount).toBe(0);
      expect(audit.quarantinedCount).toBe(0);
      expect(quarantined).toEqual([]);
      expect((await t.store.scanAuditEvents({ fromSeq: 1, limit: 10 })).map((r) => r.eventName)).toEqual(['ListUsers', 'ListRoles', 'ListGroups']);
      expect((await verifyStoredChain({ source: t.store })).findings).toEqual([]);
      await audit.close();
    });

    it('still quarantines a different event that reuses a stored id in the retried batch', async () => {
      t = await openTamperableStore(dialect);
      const audit = new StoreAuditLog<{ store: Store }>({ store: t.store, transactionStore: (d) => d.store, flushIntervalMs: 60_000, maxBatch: 1000 });
      // Given a batch committed by a worker that died before answering
      const first = call({ eventName: 'GetUser', readOnly: true });
      await audit.record(first);
      undo = killAuditWorkerAfterCommit();
      await expect(audit.flush()).rejects.toBeInstanceOf(StoreUnavailableError);
      // When the retried batch also holds another event with that event's id
      await audit.record({ ...call({ eventName: 'ListRoles', readOnly: true }), eventId: first.eventId });
      await audit.record(call({ eventName: 'ListGroups', readOnly: true }));
      await audit.flush();
      // Then the stored event counts as written, the clashing one is quarantined, the rest stored
      expect(audit.quarantined.map((q) => [q.eventId, q.eventName])).toEqual([[first.eventId, 'ListRoles']]);
      expect(audit.quarantinedCount).toBe(1);
      expect((await t.store.scanAuditEvents({ fromSeq: 1, limit: 10 })).map((r) => r.eventName)).toEqual(['GetUser', 'ListGroups']);
      expect((await verifyStoredChain({ source: t.store })).findings).toEqual([]);
      await audit.close();
    });
  });

  describe(`StoreAuditLog: one bad event never blocks the others (${dialect})`, () => {
    let t: TamperableStore;
    afterEach(async () => {
      await t.close();
    });

    it('writes the rest of a failed batch one by one and quarantines the event the store refuses', async () => {
      t = await openTamperableStore(dialect);
      const quarantined: Array<{ eventId: string; quarantined: number }> = [];
      const audit = new StoreAuditLog<{ store: Store }>({
        store: t.store, transactionStore: (d) => d.store, flushIntervalMs: 60_000, maxBatch: 1000,
        onQuarantine: (_err, info) => quarantined.push({ eventId: info.eventId, quarantined: info.quarantined }),
      });
      // Given a stored event, and a batch in which one event reuses its id (the store refuses it)
      const first = call({ eventName: 'GetUser', readOnly: true });
      await audit.record(first);
      await audit.flush();
      await audit.record(call({ eventName: 'ListUsers', readOnly: true }));
      await audit.record({ ...call({ eventName: 'ListRoles', readOnly: true }), eventId: first.eventId });
      await audit.record(call({ eventName: 'ListGroups', readOnly: true }));
      // When the batch is flushed
      await audit.flush();
      // Then the good events are stored in order, the bad one is quarantined and not queued again
      const rows = await t.store.scanAuditEvents({ fromSeq: 1, limit: 10 });
      expect(rows.map((r) => r.eventName)).toEqual(['GetUser', 'ListUsers', 'ListGroups']);
      expect(audit.pendingCount).toBe(0);
      expect(audit.quarantinedCount).toBe(1);
      expect(audit.quarantined.map((q) => [q.eventId, q.eventName])).toEqual([[first.eventId, 'ListRoles']]);
      expect(quarantined).toEqual([{ eventId: first.eventId, quarantined: 1 }]);
      // And later events flow as before
      await audit.record(call({ eventName: 'ListPolicies', readOnly: true }));
      await audit.close();
      expect((await t.store.scanAuditEvents({ fromSeq: 4, limit: 10 })).map((r) => r.eventName)).toEqual(['ListPolicies']);
      expect((await verifyStoredChain({ source: t.store })).findings).toEqual([]);
    });

    it('says how far back the batched events not written yet reach: the queued ones and the append under way, 0 once written', async () => {
      t = await openTamperableStore(dialect);
      // Given a store whose first append is held, and a clock read by the log
      const { store, release } = heldFirstAppend(t.store);
      let nowMs = 0;
      const audit = new StoreAuditLog<{ store: Store }>({ store, transactionStore: (d) => d.store, flushIntervalMs: 60_000, now: () => nowMs });
      expect(audit.unwrittenAgeMs).toBe(0);
      const first = call({ eventName: 'Get0', readOnly: true });
      const second = call({ eventName: 'Get1', readOnly: true });
      await audit.record(first);
      // When the first is being written (its append held) and the second waits behind it
      const flushing = audit.flush();
      await audit.record(second);
      nowMs = first.eventTime.getTime() + 1370;
      // Then the age is the first's, which a crash now would lose though it left the queue
      expect(audit.pendingCount).toBe(1);
      expect(audit.unwrittenAgeMs).toBe(1370);
      // And once it is written, the second's; once that is written, 0
      release();
      await flushing;
      expect(audit.unwrittenAgeMs).toBe(nowMs - second.eventTime.getTime());
      await audit.flush();
      expect(audit.unwrittenAgeMs).toBe(0);
      await audit.close();
    });

    it('while a full batch is written, later full batches wait as one flush (not one per event), written in batches of the size', async () => {
      t = await openTamperableStore(dialect);
      // Given a store whose first append is held, and batches of 2
      const { store, appended, release } = heldFirstAppend(t.store);
      const audit = new StoreAuditLog<{ store: Store }>({ store, transactionStore: (d) => d.store, flushIntervalMs: 60_000, maxBatch: 2 });
      let flushes = 0;
      const flush = audit.flush.bind(audit);
      audit.flush = () => { flushes++; return flush(); };
      // When 2 events start a batch and 10 more arrive while it is written
      for (let i = 0; i < 12; i++) await audit.record(call({ eventName: `Get${i}`, readOnly: true }));
      // Then one flush is writing and one waits for all 10
      expect(flushes).toBe(2);
      release();
      await audit.close();
      expect(appended).toEqual([2, 2, 2, 2, 2, 2]);
      expect((await t.store.scanAuditEvents({ fromSeq: 1, limit: 20 })).map((r) => r.eventName)).toEqual(Array.from({ length: 12 }, (_, i) => `Get${i}`));
    });

    it('writes a backlog in appends of at most maxBatch events, each event once, in order, the failed batch kept at the front', async () => {
      t = await openTamperableStore(dialect);
      // Given batches of 5, a store whose first append is held and whose third fails as unavailable
      const { store, appended, release } = heldFirstAppend(t.store, 3);
      const errors: unknown[] = [];
      const audit = new StoreAuditLog<{ store: Store }>({ store, transactionStore: (d) => d.store, flushIntervalMs: 60_000, maxBatch: 5, onError: (err) => errors.push(err) });
      // When 60 events arrive while the first batch is written
      for (let i = 0; i < 60; i++) await audit.record(call({ eventName: `Get${i}`, readOnly: true }));
      release();
      await audit.close();
      // Then the failure was reported once (the flush waiting behind went on with the queued events)
      expect(errors).toHaveLength(1);
      // And no append carried more than 5 events; every event is stored once, in the order recorded
      expect(Math.max(...appended)).toBe(5);
      expect(appended.reduce((a, b) => a + b, 0)).toBe(65); // the failed batch of 5 was sent twice
      const names = (await t.store.scanAuditEvents({ fromSeq: 1, limit: 100 })).map((r) => r.eventName);
      expect(names).toEqual(Array.from({ length: 60 }, (_, i) => `Get${i}`));
      expect((await verifyStoredChain({ source: t.store })).findings).toEqual([]);
    });

    it('drops the oldest batched events past maxPending and reports a backlog over its bound, not a failure', async () => {
      t = await openTamperableStore(dialect);
      // Given a slow store (its first append is held) and room for 4 waiting events
      let release!: () => void;
      const held = new Promise<void>((resolve) => { release = resolve; });
      let appends = 0;
      const store = {
        appendAuditEvents: async (events: Parameters<Store['appendAuditEvents']>[0]) => {
          if (++appends === 1) await held;
          return t.store.appendAuditEvents(events);
        },
      };
      const errors: unknown[] = [];
      const drops: unknown[] = [];
      const audit = new StoreAuditLog<{ store: Store }>({
        store, transactionStore: (d) => d.store, flushIntervalMs: 60_000, maxBatch: 2, maxPending: 4,
        onError: (err) => errors.push(err), onDrop: (info) => drops.push(info),
      });
      // When 8 events arrive while the first batch of 2 is being written
      for (let i = 0; i < 8; i++) await audit.record(call({ eventName: `Get${i}`, readOnly: true }));
      // Then the 2 oldest waiting are dropped, not yet reported (the interval has not passed)
      expect(audit.droppedCount).toBe(2);
      expect(drops).toEqual([]);
      release();
      await audit.close();
      // And close() reports them as one drop while writing, and no flush failed
      expect(drops).toEqual([{ dropped: 2, droppedTotal: 2, pending: 0, maxPending: 4, writing: true }]);
      expect(errors).toEqual([]);
      expect((await t.store.scanAuditEvents({ fromSeq: 1, limit: 20 })).map((r) => r.eventName)).toEqual(['Get0', 'Get1', 'Get4', 'Get5', 'Get6', 'Get7']);
    });

    describe('while the store is down (the timer faked)', () => {
      const turns = async (): Promise<void> => {
        for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
      };
      beforeEach(async () => {
        t = await openTamperableStore(dialect);
        vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
      });
      afterEach(() => {
        vi.useRealTimers();
      });

      it('tries O(1) appends per timer tick, not one per event, keeps the backlog within maxPending, and writes it all once, in order, when the store is back', async () => {
        // Given a store that is down, batches of 10 and room for 50 waiting events
        let down = true;
        let holdNext: Promise<void> | undefined;
        let appends = 0;
        const store = {
          appendAuditEvents: async (events: Parameters<Store['appendAuditEvents']>[0]) => {
            appends++;
            if (holdNext) await holdNext;
            if (down) throw new StoreUnavailableError('database unreachable');
            return t.store.appendAuditEvents(events);
          },
        };
        const errors: unknown[] = [];
        const audit = new StoreAuditLog<{ store: Store }>({ store, transactionStore: (d) => d.store, flushIntervalMs: 1000, maxBatch: 10, maxPending: 50, onError: (err) => errors.push(err) });
        let recorded = 0;
        let maxBacklog = 0;
        const record = async (count: number): Promise<void> => {
          for (let i = 0; i < count; i++) {
            await audit.record(call({ eventName: `Get${recorded++}`, readOnly: true }));
            maxBacklog = Math.max(maxBacklog, audit.pendingCount);
          }
          await turns();
        };
        // When 100 events arrive
        await record(100);
        // Then the first full batches tried at most twice (one writing, one waiting), then backed off
        expect(appends).toBeLessThanOrEqual(2);
        expect(errors).toHaveLength(appends);
        // And each timer tick tries once more, however many events arrive in between
        for (let tick = 1; tick <= 3; tick++) {
          const before = appends;
          vi.advanceTimersByTime(1000);
          await record(40);
          expect(appends - before).toBe(1);
        }
        expect(errors).toHaveLength(appends);
        expect(maxBacklog).toBe(50);
        // And a failed batch put back in front does not take the backlog past its bound
        let fail!: () => void;
        holdNext = new Promise<void>((resolve) => { fail = resolve; });
        vi.advanceTimersByTime(1000);
        await turns();
        expect(audit.pendingCount).toBe(40); // the tick's batch of 10 is being tried
        holdNext = undefined;
        await record(10);
        fail();
        await turns();
        expect(audit.pendingCount).toBe(50);
        expect(audit.droppedCount).toBe(recorded - 50);
        // When the store is back, the next tick writes everything waiting, once, in order
        const waiting = Array.from({ length: 50 }, (_, i) => `Get${recorded - 50 + i}`);
        down = false;
        vi.advanceTimersByTime(1000);
        await audit.flush();
        expect(audit.pendingCount).toBe(0);
        expect((await t.store.scanAuditEvents({ fromSeq: 1, limit: 100 })).map((r) => r.eventName)).toEqual(waiting);
        // And full batches flush on their own again (the back-off ended with the success)
        const beforeFull = appends;
        await record(10);
        expect(appends).toBe(beforeFull + 1);
        expect(audit.pendingCount).toBe(0);
        await audit.close();
        expect((await verifyStoredChain({ source: t.store })).findings).toEqual([]);
      });

      it('leaves a hanging append be: ticks during it start nothing, and none run back to back after it', async () => {
        // Given a store whose first append hangs, then fails
        let appends = 0;
        let fail!: () => void;
        const hang = new Promise<void>((resolve) => { fail = resolve; });
        const store = {
          appendAuditEvents: async () => {
            appends++;
            if (appends === 1) await hang;
            throw new StoreUnavailableError('database unreachable');
          },
        };
        const audit = new StoreAuditLog<{ store: Store }>({ store, transactionStore: (d) => d.store, flushIntervalMs: 1000, maxBatch: 100, onError: () => undefined });
        await audit.record(call({ eventName: 'Get0', readOnly: true }));
        vi.advanceTimersByTime(1000);
        await turns();
        expect(appends).toBe(1);
        // When five ticks pass while it hangs, and it then fails
        for (let i = 0; i < 5; i++) {
          vi.advanceTimersByTime(1000);
          await turns();
        }
        fail();
        await turns();
        // Then no append ran meanwhile or after it, until the next tick, which tries once
        expect(appends).toBe(1);
        vi.advanceTimersByTime(1000);
        await turns();
        expect(appends).toBe(2);
        await expect(audit.close()).rejects.toBeInstanceOf(StoreUnavailableError);
      });

      it('reports since when appends have failed on a full disk, the driver\'s code, and forgets it at the first append that succeeds', async () => {
        // Given a store whose disk is full, as this dialect's driver reports it
        const diskFull = dialect === 'sqlite'
          ? translateSqliteError(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }))
          : translatePostgresError(Object.assign(new Error('could not extend file "base/16384/2619": No space left on device'), { code: '53100' }));
        expect(diskFull).toBeInstanceOf(StoreUnavailableError);
        let full = true;
        const store = { appendAuditEvents: (events: Parameters<Store['appendAuditEvents']>[0]) => (full ? Promise.reject(diskFull) : t.store.appendAuditEvents(events)) };
        let now = 1_000_000;
        const audit = new StoreAuditLog<{ store: Store }>({ store, transactionStore: (d) => d.store, flushIntervalMs: 1000, maxBatch: 100, onError: () => undefined, now: () => now });
        const health = () => nodeHealth({ ping: () => Promise.resolve(), auditWriteFailure: () => audit.writeFailure, degradedAfterMs: 30_000, now: () => now });
        const code = dialect === 'sqlite' ? 'SQLITE_FULL' : '53100';
        // When a read's event cannot be written, and again every tick for 31 seconds
        await audit.record(call({ eventName: 'Get0', readOnly: true }));
        expect(audit.writeFailure).toBeUndefined();
        vi.advanceTimersByTime(1000);
        await turns();
        expect(audit.writeFailure).toEqual({ sinceMs: 1_000_000, code });
        expect(await health()).toEqual({ status: 'ok' });
        for (let i = 0; i < 31; i++) {
          now += 1000;
          vi.advanceTimersByTime(1000);
          await turns();
        }
        // Then the failure dates from the first one, and the node is degraded
        expect(audit.writeFailure).toEqual({ sinceMs: 1_000_000, code });
        expect(await health()).toEqual({ status: 'degraded', reason: 'audit-writes-failing', failingForSeconds: 31, storeErrorCode: code });
        // When space is freed and the next flush writes the event, the node is ok again
        full = false;
        await audit.flush();
        expect(audit.writeFailure).toBeUndefined();
        expect(await health()).toEqual({ status: 'ok' });
        expect((await t.store.scanAuditEvents({ fromSeq: 1, limit: 10 })).map((r) => r.eventName)).toEqual(['Get0']);
        await audit.close();
      });

      it('reports drops at most once per interval, with the count since the last report, the total and the bound', async () => {
        // Given a store that is down and room for 5 waiting events
        const store = { appendAuditEvents: () => Promise.reject(new StoreUnavailableError('database unreachable')) };
        const drops: unknown[] = [];
        const audit = new StoreAuditLog<{ store: Store }>({ store, transactionStore: (d) => d.store, flushIntervalMs: 1000, maxBatch: 100, maxPending: 5, onDrop: (info) => drops.push(info) });
        // When 25 events arrive, then a tick, then 3 more and a tick, then a tick with none
        for (let i = 0; i < 25; i++) await audit.record(call({ eventName: `Get${i}`, readOnly: true }));
        expect(drops).toEqual([]);
        vi.advanceTimersByTime(1000);
        await turns();
        for (let i = 0; i < 3; i++) await audit.record(call({ eventName: `List${i}`, readOnly: true }));
        vi.advanceTimersByTime(1000);
        await turns();
        vi.advanceTimersByTime(1000);
        await turns();
        // Then one report per interval that had drops, each with its own count
        expect(drops).toEqual([
          { dropped: 20, droppedTotal: 20, pending: 5, maxPending: 5, writing: false },
          { dropped: 3, droppedTotal: 23, pending: 5, maxPending: 5, writing: false },
        ]);
        expect(audit.droppedCount).toBe(23);
        await expect(audit.close()).rejects.toBeInstanceOf(StoreUnavailableError);
      });
    });

    it('keeps the batch queued, in order, while the store is unavailable', async () => {
      t = await openTamperableStore(dialect);
      let down = true;
      const store = {
        appendAuditEvents: (events: Parameters<Store['appendAuditEvents']>[0]) =>
          down ? Promise.reject(new StoreUnavailableError('database unreachable')) : t.store.appendAuditEvents(events),
      };
      const audit = new StoreAuditLog<{ store: Store }>({ store, transactionStore: (d) => d.store, flushIntervalMs: 60_000, maxBatch: 1000 });
      await audit.record(call({ eventName: 'ListUsers', readOnly: true }));
      await audit.record(call({ eventName: 'ListRoles', readOnly: true }));
      await expect(audit.flush()).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(audit.pendingCount).toBe(2);
      expect(audit.quarantinedCount).toBe(0);
      down = false;
      await audit.close();
      expect((await t.store.scanAuditEvents({ fromSeq: 1, limit: 10 })).map((r) => r.eventName)).toEqual(['ListUsers', 'ListRoles']);
    });
  });
}
