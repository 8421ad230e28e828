import { randomBytes } from 'node:crypto';
import { getPriority } from 'node:os';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { ACCOUNT, at, auditEvent, expectLinearChain } from '../contract/fixtures.js';
import { StoreConflictError, StoreUnavailableError } from '../store-errors.js';
import { TEST_POSTGRES_URL, createTestStore, testDialects } from '../testing.js';
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

  it('a connection ended while it waits for the chain\'s lock fails the batch as PostgreSQL unreachable, answered by the worker thread, and the next batch is written', async () => {
    // pg-pool stops listening for a client's 'error' at checkout. The lock wait's query fails with
    // 57P01, the worker's ROLLBACK is queued, then the socket's end emits 'error': unheard, it
    // ended the worker thread (the batch failed as "the audit append worker failed").
    const t = await createTestStore('postgres');
    const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await admin.connect();
    try {
      await t.store.createAccount({ id: ACCOUNT, createDate: at(0) });
      await t.store.appendAuditEvents([auditEvent(1)]);
      // Given the chain's lock held elsewhere, and a batch waiting for it on the worker's connection
      await admin.query('begin');
      await admin.query(`select pg_advisory_xact_lock(hashtext($1 || '.castellan.audit_chain'))`, [t.location]);
      const batch = t.store.appendAuditEvents([auditEvent(2)]).then(() => undefined, (error: unknown) => error);
      // (the worker's connection: blocked by this one's lock, which no other test holds)
      const waiting = async () => (await admin.query<{ pid: number }>(`select pid from pg_stat_activity
        where application_name = 'castellan-audit' and pg_blocking_pids(pid) @> array[pg_backend_pid()]`)).rows.map((r) => r.pid);
      let pids: number[] = [];
      for (let i = 0; i < 800 && pids.length === 0; i++) {
        pids = await waiting();
        if (pids.length === 0) await new Promise((r) => setTimeout(r, 25));
      }
      expect(pids).toHaveLength(1);
      // When its connection is ended
      await admin.query('select pg_terminate_backend($1)', [pids[0]]);
      await admin.query('rollback');
      // Then the batch fails as the database unreachable, answered by the worker itself
      const failed = await batch;
      expect(failed).toBeInstanceOf(StoreUnavailableError);
      expect((failed as Error).message).toBe('PostgreSQL is unreachable');
      // And the next batch is written on a new connection
      expect((await t.store.appendAuditEvents([auditEvent(3)])).map((c) => c.seq)).toEqual([2]);
    } finally {
      await admin.end();
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
