import { randomBytes } from 'node:crypto';
import { getPriority } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ACCOUNT, at, auditEvent, expectLinearChain } from '../contract/fixtures.js';
import { StoreConflictError, StoreUnavailableError } from '../store-errors.js';
import { createTestStore, testDialects } from '../testing.js';
import { niceOfThreads } from '../test-thread-priorities.js';
import { itWritesABatchPostedInParts } from '../contract/audit-batch-parts.js';
import { postgresAuditWorker } from './audit-append-worker.js';

const DIALECT = 'postgres';

const selected = testDialects().includes('postgres');

(selected ? describe : describe.skip)('the PostgreSQL audit append worker', () => {
  it('fails a batch as unavailable while PostgreSQL is unreachable', async () => {
    // Given a worker whose database does not answer (nothing listens on port 1)
    const worker = postgresAuditWorker({ url: 'postgres://postgres@127.0.0.1:1/test', schema: 'public', chainKey: randomBytes(32) });
    try {
      // Then a batch fails as unavailable (StoreAuditLog keeps its events queued)
      await expect(worker.append([auditEvent(1)])).rejects.toBeInstanceOf(StoreUnavailableError);
    } finally {
      await worker.close();
    }
  });

  it('refuses a batch with the store\'s error, writes none of it, and goes on with the next', async () => {
    const t = await createTestStore('postgres');
    try {
      // Given a store (its batches go to the worker by default) with one event stored
      await t.store.createAccount({ id: ACCOUNT, createDate: at(0) });
      const first = auditEvent(1);
      await t.store.appendAuditEvents([first]);
      // When a batch repeats that event's id, Then it is refused as a conflict and nothing of it is stored
      await expect(t.store.appendAuditEvents([auditEvent(2), auditEvent(3, { eventId: first.eventId })])).rejects.toBeInstanceOf(StoreConflictError);
      expect((await t.store.getAuditHead())?.seq).toBe(1);
      // When the next batch comes, Then it continues the chain
      const chain = await t.store.appendAuditEvents([auditEvent(4), auditEvent(5)]);
      expect(chain.map((c) => c.seq)).toEqual([2, 3]);
      const rows = await t.store.scanAuditEvents({ fromSeq: 1, limit: 10 });
      expect(chain).toEqual(rows.slice(1).map(({ eventId, seq, prevHash, hash }) => ({ eventId, seq, prevHash, hash })));
      expectLinearChain(t.store, rows);
    } finally {
      await t.dispose();
    }
  });

  it.runIf(process.platform === 'linux')('writes at the calling thread\'s priority: while it writes it holds the chain lock every mutation\'s append waits for', async () => {
    const t = await createTestStore('postgres');
    try {
      // Given a store whose batches go to the worker
      await t.store.createAccount({ id: ACCOUNT, createDate: at(0) });
      const own = getPriority(0);
      const lowered = async () => (await niceOfThreads()).filter((n) => n > own).length;
      const before = await lowered();
      // When a batch is appended (the first starts the worker thread)
      await t.store.appendAuditEvents([auditEvent(1), auditEvent(2)]);
      // Then no thread of this process runs at a lower priority than before, this one included
      expect(await lowered()).toBe(before);
      expect(getPriority(0)).toBe(own);
    } finally {
      await t.dispose();
    }
  });
  itWritesABatchPostedInParts(DIALECT);
});
