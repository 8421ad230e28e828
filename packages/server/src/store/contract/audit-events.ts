import { beforeEach, describe, expect } from 'vitest';
import { StoreConflictError, StoreInvalidCursorError } from '../store-errors.js';
import type { AuditLookupAttribute, NewAuditEvent, Store } from '../store.js';
import { GENESIS_HASH, chainHash } from '../chain-hash.js';
import { ACCOUNT, at, auditEvent, expectLinearChain, newUser, OTHER_ACCOUNT, type ContractScope } from './fixtures.js';

/** The store contract: the audit trail: the hash chain, lookups, scans and retention. */
export function auditEventContract({ test, current }: ContractScope): void {
  describe('audit events', () => {
    let store: Store;
    beforeEach(() => { store = current().store; });

    test('append assigns seqs and links the hash chain', async () => {
      const first = await store.appendAuditEvents([auditEvent(1), auditEvent(2)]);
      const second = await store.appendAuditEvents([auditEvent(3)]);
      expect([...first, ...second].map((e) => e.seq)).toEqual([1, 2, 3]);
      expect(first[0]?.prevHash).toBe(GENESIS_HASH);
      expect(second[0]?.prevHash).toBe(first[1]?.hash);
      const rows = await store.scanAuditEvents({ fromSeq: 1, limit: 100 });
      expectLinearChain(store, rows);
      expect(await store.getAuditHead()).toEqual({ seq: 3, hash: second[0]?.hash });
      expect(await store.appendAuditEvents([])).toEqual([]);
      await expect(store.appendAuditEvents([auditEvent(9, { eventId: rows[0]!.eventId })])).rejects.toBeInstanceOf(StoreConflictError);
    });

    test('a batch appended again (its first answer lost) counts its stored events as written, with their links, and chains only the new ones', async () => {
      // Given a batch stored (as when its writer died between its commit and its answer)
      const a = auditEvent(1, { resources: [{ type: 'AWS::IAM::User', name: 'alice' }] });
      const b = auditEvent(2, { username: 'bob', errorCode: 'AccessDenied', readOnly: false });
      const first = await store.appendAuditEvents([a, b]);
      // When it is appended again, among new events, Then the stored ones get their stored links
      // and no new ones, and the new ones continue the chain after the head
      const c = auditEvent(3);
      const d = auditEvent(4);
      const again = await store.appendAuditEvents([c, a, b, d]);
      expect(again[1]).toEqual(first[0]);
      expect(again[2]).toEqual(first[1]);
      expect([again[0]?.seq, again[3]?.seq]).toEqual([3, 4]);
      expect(again[0]?.prevHash).toBe(first[1]?.hash);
      expect(again[3]?.prevHash).toBe(again[0]?.hash);
      // And a batch of stored events only appends nothing
      expect(await store.appendAuditEvents([b])).toEqual([first[1]]);
      const rows = await store.scanAuditEvents({ fromSeq: 1, limit: 100 });
      expect(rows.map((r) => r.eventId)).toEqual([a, b, c, d].map((e) => e.eventId));
      expect(rows[0]?.resources).toEqual(a.resources);
      expectLinearChain(store, rows);
      expect(await store.getAuditHead()).toEqual({ seq: 4, hash: again[3]?.hash });
    });

    test('a different event reusing a stored id is still refused, whatever differs, and nothing of its batch is stored', async () => {
      const original = auditEvent(1);
      const [stored] = await store.appendAuditEvents([original]);
      const clashes: Array<Partial<NewAuditEvent>> = [
        { recordJson: '{"eventID":"reused","other":true}' },
        { accountId: OTHER_ACCOUNT },
        { eventTime: at(99) },
        { eventName: 'GetUser' },
        { readOnly: false },
        { errorCode: 'NoSuchEntity' },
        { username: 'mallory' },
        { resources: [{ type: 'AWS::IAM::Role', name: 'mallory' }] },
      ];
      for (const over of clashes) {
        const clash = { ...original, ...over };
        await expect(store.appendAuditEvents([auditEvent(2), clash]), JSON.stringify(over)).rejects.toBeInstanceOf(StoreConflictError);
        await expect(store.appendAuditEvents([clash]), JSON.stringify(over)).rejects.toBeInstanceOf(StoreConflictError);
      }
      expect(await store.getAuditHead()).toEqual({ seq: 1, hash: stored!.hash });
    });

    test('stored rows round-trip every field, resources in order', async () => {
      const event = auditEvent(1, {
        eventName: 'AttachUserPolicy', readOnly: false, username: 'bob', accessKeyId: 'AKIAEXAMPLE', errorCode: 'AccessDenied',
        resources: [{ type: 'AWS::IAM::User', name: 'carol' }, { type: 'AWS::IAM::Policy', name: 'arn:p' }],
        recordJson: '{"weird":"\\u00e9\\n  spacing kept ","n":1}',
      });
      const [chain] = await store.appendAuditEvents([event]);
      const [row] = await store.scanAuditEvents({ fromSeq: 1, limit: 1 });
      expect(row).toEqual({ ...event, seq: 1, prevHash: GENESIS_HASH, hash: chain!.hash });
    });

    test('NUL and lone surrogates are stored as U+FFFD, hashed as stored, and found by lookup', async () => {
      // Given an event whose every text carries characters one of the databases cannot store as given
      const bad = 'a\u0000b\uD800c\uDC00d';
      const stored = 'a\uFFFDb\uFFFDc\uFFFDd';
      const event = auditEvent(1, {
        eventName: `Get${bad}`, username: bad, accessKeyId: `AKIA${bad}`, errorCode: bad,
        resources: [{ type: 'AWS::IAM::User', name: bad }],
        recordJson: `{"raw":"${bad}","emoji":"\uD83D\uDE00"}`,
      });
      // When it is appended between two ordinary events
      await store.appendAuditEvents([auditEvent(0), event, auditEvent(2)]);
      // Then all three are stored, the bad one with U+FFFD in place (a valid pair is kept), and the chain holds
      const rows = await store.scanAuditEvents({ fromSeq: 1, limit: 10 });
      expect(rows).toHaveLength(3);
      expect(rows[1]).toMatchObject({
        eventName: `Get${stored}`, username: stored, accessKeyId: `AKIA${stored}`, errorCode: stored,
        resources: [{ type: 'AWS::IAM::User', name: stored }],
        recordJson: `{"raw":"${stored}","emoji":"\uD83D\uDE00"}`,
      });
      expectLinearChain(store, rows);
      // And a lookup by the value as the caller wrote it finds it
      for (const attribute of [{ key: 'Username', value: bad }, { key: 'ResourceName', value: bad }] as const) {
        expect((await store.lookupAuditEvents({ accountId: ACCOUNT, attribute, limit: 5 })).events.map((e) => e.seq)).toEqual([2]);
      }
    });

    test('concurrent appends, alone or with mutations, keep the chain linear', async () => {
      const appends = Array.from({ length: 15 }, (_, i) => store.appendAuditEvents([auditEvent(i * 3), auditEvent(i * 3 + 1), auditEvent(i * 3 + 2)]));
      const mutations = Array.from({ length: 10 }, (_, i) => store.transaction(async (tx) => {
        await tx.createUser(newUser(`c${i}`));
        await tx.appendAuditEvents([auditEvent(100 + i, { eventName: 'CreateUser', readOnly: false })]);
      }));
      await Promise.all([...appends, ...mutations]);
      const rows = await store.scanAuditEvents({ fromSeq: 1, limit: 1000 });
      expect(rows).toHaveLength(55);
      expectLinearChain(store, rows);
    });

    test('lookup: newest first, time range, paging with a cursor, account isolation', async () => {
      const events = Array.from({ length: 7 }, (_, i) => auditEvent(i));
      // Appended out of time order (batched read-only events): lookup orders by event time.
      await store.appendAuditEvents([events[3]!, events[0]!, events[6]!, events[1]!, events[5]!]);
      await store.appendAuditEvents([events[2]!, events[4]!, auditEvent(50, { accountId: OTHER_ACCOUNT })]);
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await store.lookupAuditEvents({ accountId: ACCOUNT, limit: 3, ...(cursor ? { cursor } : {}) });
        seen.push(...page.events.map((e) => e.eventId));
        cursor = page.nextCursor;
        pages++;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toEqual([6, 5, 4, 3, 2, 1, 0].map((i) => events[i]!.eventId));
      const ranged = await store.lookupAuditEvents({ accountId: ACCOUNT, startTime: at(2), endTime: at(4), limit: 50 });
      expect(ranged.events.map((e) => e.eventId)).toEqual([4, 3, 2].map((i) => events[i]!.eventId));
      expect(ranged.nextCursor).toBeUndefined();
      expect((await store.lookupAuditEvents({ accountId: OTHER_ACCOUNT, limit: 50 })).events).toHaveLength(1);
      await expect(store.lookupAuditEvents({ accountId: ACCOUNT, limit: 5, cursor: 'garbage' })).rejects.toBeInstanceOf(StoreInvalidCursorError);
    });

    const attributeCases: Array<{ name: string; attribute: AuditLookupAttribute; expected: number[] }> = [
      { name: 'EventName', attribute: { key: 'EventName', value: 'CreateUser' }, expected: [3, 1] },
      { name: 'Username', attribute: { key: 'Username', value: 'alice' }, expected: [2, 1] },
      { name: 'EventSource', attribute: { key: 'EventSource', value: 'sts.amazonaws.com' }, expected: [4] },
      { name: 'AccessKeyId', attribute: { key: 'AccessKeyId', value: 'AKIABOB' }, expected: [3] },
      { name: 'ReadOnly true', attribute: { key: 'ReadOnly', value: 'true' }, expected: [4, 2] },
      { name: 'ReadOnly false', attribute: { key: 'ReadOnly', value: 'false' }, expected: [3, 1] },
      { name: 'ResourceType', attribute: { key: 'ResourceType', value: 'AWS::IAM::User' }, expected: [3, 1] },
      { name: 'ResourceName', attribute: { key: 'ResourceName', value: 'carol' }, expected: [3] },
      { name: 'EventId', attribute: { key: 'EventId', value: 'evt-2' }, expected: [2] },
      { name: 'no match', attribute: { key: 'Username', value: 'nobody' }, expected: [] },
    ];
    for (const { name, attribute, expected } of attributeCases) {
      test(`lookup by ${name}`, async () => {
        // Given four events with distinct attributes (and a decoy in another account)
        await store.appendAuditEvents([
          auditEvent(1, { eventId: 'evt-1', eventName: 'CreateUser', readOnly: false, username: 'alice', resources: [{ type: 'AWS::IAM::User', name: 'bob' }] }),
          auditEvent(2, { eventId: 'evt-2', eventName: 'ListUsers', readOnly: true, username: 'alice' }),
          auditEvent(3, {
            eventId: 'evt-3', eventName: 'CreateUser', readOnly: false, username: 'bob', accessKeyId: 'AKIABOB',
            resources: [{ type: 'AWS::IAM::User', name: 'carol' }, { type: 'AWS::IAM::Group', name: 'admins' }],
          }),
          auditEvent(4, { eventId: 'evt-4', eventSource: 'sts.amazonaws.com', eventName: 'GetCallerIdentity', readOnly: true }),
          auditEvent(5, { eventId: 'evt-x', accountId: OTHER_ACCOUNT, eventName: 'CreateUser', username: 'alice', accessKeyId: 'AKIABOB', resources: [{ type: 'AWS::IAM::User', name: 'carol' }] }),
        ]);
        // When looking up by the attribute, Then exactly the matching events come back, newest first
        const { events } = await store.lookupAuditEvents({ accountId: ACCOUNT, attribute, limit: 50 });
        expect(events.map((e) => e.eventId)).toEqual(expected.map((i) => `evt-${i}`));
      });
    }

    test('lookup by a resource pages without repeating multi-resource events', async () => {
      await store.appendAuditEvents(Array.from({ length: 5 }, (_, i) => auditEvent(i, {
        eventId: `r-${i}`, resources: [{ type: 'AWS::IAM::User', name: 'a' }, { type: 'AWS::IAM::User', name: 'b' }],
      })));
      const ids: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.lookupAuditEvents({ accountId: ACCOUNT, attribute: { key: 'ResourceType', value: 'AWS::IAM::User' }, limit: 2, ...(cursor ? { cursor } : {}) });
        ids.push(...page.events.map((e) => e.eventId));
        expect(page.events.every((e) => e.resources.length === 2)).toBe(true);
        cursor = page.nextCursor;
      } while (cursor);
      expect(ids).toEqual(['r-4', 'r-3', 'r-2', 'r-1', 'r-0']);
    });

    test('the chain is keyed by the store\'s chain key', async () => {
      const [chain] = await store.appendAuditEvents([auditEvent(1)]);
      const [row] = await store.scanAuditEvents({ fromSeq: 1, limit: 1 });
      expect(row!.hash).toBe(chain!.hash);
      expect(row!.hash).toMatch(/^v3:[0-9a-f]{64}$/);
      expect(store.auditChainHash(GENESIS_HASH, 1, row!)).toBe(row!.hash);
      // The previous keyed format, which older rows carry, is another hash under the same key
      expect(store.auditChainHash(GENESIS_HASH, 1, row!, 'v2')).toMatch(/^v2:[0-9a-f]{64}$/);
      expect(store.auditChainHash(GENESIS_HASH, 1, row!, 'v2').slice(3)).not.toBe(row!.hash.slice(3));
      // Another key (an attacker without the master key) computes another hash
      expect(chainHash(Buffer.alloc(32, 1), GENESIS_HASH, 1, row!)).not.toBe(row!.hash);
      // Any covered field changes it
      expect(store.auditChainHash(GENESIS_HASH, 1, { ...row!, username: 'mallory' })).not.toBe(row!.hash);
      expect(store.auditChainHash(GENESIS_HASH, 1, { ...row!, resources: [{ type: 'AWS::IAM::User', name: 'x' }] })).not.toBe(row!.hash);
    });

    test('resource rows are read by seq', async () => {
      await store.appendAuditEvents([
        auditEvent(1, { resources: [{ type: 'AWS::IAM::User', name: 'b' }, { type: 'AWS::IAM::Group', name: 'a' }] }),
        auditEvent(2),
        auditEvent(3, { resources: [{ type: 'AWS::IAM::Role', name: 'r' }] }),
      ]);
      const resources = await store.getAuditResources([3, 1, 2, 99]);
      expect(Object.fromEntries(resources)).toEqual({
        1: [{ type: 'AWS::IAM::User', name: 'b' }, { type: 'AWS::IAM::Group', name: 'a' }],
        3: [{ type: 'AWS::IAM::Role', name: 'r' }],
      });
      expect((await store.getAuditResources([])).size).toBe(0);
    });

    test('scan pages ascending from a seq', async () => {
      await store.appendAuditEvents(Array.from({ length: 6 }, (_, i) => auditEvent(i)));
      expect((await store.scanAuditEvents({ fromSeq: 3, limit: 2 })).map((e) => e.seq)).toEqual([3, 4]);
      expect((await store.scanAuditEvents({ fromSeq: 5, limit: 10 })).map((e) => e.seq)).toEqual([5, 6]);
      expect(await store.scanAuditEvents({ fromSeq: 7, limit: 10 })).toEqual([]);
    });

    test('retention deletes through a seq, records a checkpoint, and the chain continues', async () => {
      const chain = await store.appendAuditEvents(Array.from({ length: 5 }, (_, i) => auditEvent(i, { resources: [{ type: 'AWS::IAM::User', name: `u${i}` }] })));
      expect(await store.getAuditCheckpoint()).toBeUndefined();
      expect(await store.deleteAuditEventsThrough(3)).toBe(3);
      expect(await store.getAuditCheckpoint()).toEqual({ seq: 3, hash: chain[2]!.hash });
      const remaining = await store.scanAuditEvents({ fromSeq: 0, limit: 100 });
      expect(remaining.map((e) => e.seq)).toEqual([4, 5]);
      expectLinearChain(store, remaining, { seq: 3, hash: chain[2]!.hash });
      expect((await store.lookupAuditEvents({ accountId: ACCOUNT, attribute: { key: 'ResourceName', value: 'u1' }, limit: 5 })).events).toEqual([]);
      expect(await store.deleteAuditEventsThrough(3)).toBe(0);

      // Deleting everything keeps seqs and the chain going from the checkpoint.
      expect(await store.deleteAuditEventsThrough(100)).toBe(2);
      expect(await store.getAuditCheckpoint()).toEqual({ seq: 5, hash: chain[4]!.hash });
      expect(await store.getAuditHead()).toEqual({ seq: 5, hash: chain[4]!.hash });
      const [next] = await store.appendAuditEvents([auditEvent(9)]);
      expect(next).toMatchObject({ seq: 6, prevHash: chain[4]!.hash });
      expectLinearChain(store, await store.scanAuditEvents({ fromSeq: 0, limit: 10 }), { seq: 5, hash: chain[4]!.hash });
    });
  });
}
