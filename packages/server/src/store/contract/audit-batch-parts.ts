import { expect, it } from 'vitest';
import { HANDOFF_EVENTS } from '../sql/audit-append-worker.js';
import { createTestStore } from '../testing.js';
import { ACCOUNT, at, auditEvent, expectLinearChain } from './fixtures.js';

/**
 * The audit worker's hand-off in parts, the same on both dialects: a batch larger than one part is
 * written in one append, chained in order, and one whose later part cannot be posted stores nothing.
 * Called inside each dialect's audit-worker `describe`.
 */
export function itWritesABatchPostedInParts(dialect: 'sqlite' | 'postgres'): void {
  it('writes a batch posted in several parts in one append, chained in order, and refuses one whose later part cannot be posted', async () => {
    const t = await createTestStore(dialect);
    try {
      // Given a store whose batches go to the worker
      await t.store.createAccount({ id: ACCOUNT, createDate: at(0) });
      // When a batch of more than two parts is appended (one event with resources in the last part)
      const events = Array.from({ length: 2 * HANDOFF_EVENTS + 3 }, (_, i) => auditEvent(i + 1));
      events[events.length - 1] = auditEvent(events.length, { resources: [{ type: 'AWS::IAM::User', name: 'alice' }] });
      const chain = await t.store.appendAuditEvents(events);
      // Then every event is stored once, in order, in one chain, and the append returns each one's link
      const rows = await t.store.scanAuditEvents({ fromSeq: 1, limit: events.length + 10 });
      expect(rows.map((r) => r.eventId)).toEqual(events.map((e) => e.eventId));
      expect(rows.at(-1)!.resources).toEqual([{ type: 'AWS::IAM::User', name: 'alice' }]);
      expect(chain).toEqual(rows.map(({ eventId, seq, prevHash, hash }) => ({ eventId, seq, prevHash, hash })));
      expectLinearChain(t.store, rows);
      // When a batch's second part holds a value that cannot be posted, Then the batch is refused and nothing of it is stored
      const bad = Array.from({ length: HANDOFF_EVENTS + 2 }, (_, i) => auditEvent(1000 + i));
      bad[HANDOFF_EVENTS + 1] = auditEvent(2000, { recordJson: (() => 'x') as unknown as string });
      await expect(t.store.appendAuditEvents(bad)).rejects.toThrow();
      expect((await t.store.getAuditHead())?.seq).toBe(events.length);
      // And the next batch continues the chain
      const next = await t.store.appendAuditEvents([auditEvent(3000)]);
      expect(next.map((c) => c.seq)).toEqual([events.length + 1]);
      expectLinearChain(t.store, await t.store.scanAuditEvents({ fromSeq: 1, limit: events.length + 10 }));
    } finally {
      await t.dispose();
    }
  });
}
