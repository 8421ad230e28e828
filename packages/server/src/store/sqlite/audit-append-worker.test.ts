import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { getPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SecretBox } from '../../crypto/secret-box.js';
import { ACCOUNT, at, auditEvent, expectLinearChain } from '../contract/fixtures.js';
import type { Database } from '../sql/schema.js';
import { SqlContext } from '../sql/sql-context.js';
import { StoreUnavailableError } from '../store-errors.js';
import { itWritesABatchPostedInParts } from '../contract/audit-batch-parts.js';
import { createTestStore } from '../testing.js';
import { sqliteAuditWorker } from './audit-append-worker.js';

const DIALECT = 'sqlite';
import { sqlitePageReader } from './sqlite-pages.js';
import { SqliteStore } from './sqlite-store.js';
import { niceOfThreads } from '../test-thread-priorities.js';

describe('the SQLite audit append worker', () => {
  let dir: string;
  let lease: Kysely<Database>;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'castellan-audit-worker-'));
    // The connection the appends hold while the worker writes (its own database: only its lease matters here).
    lease = new Kysely<Database>({ dialect: new SqliteDialect({ database: new BetterSqlite3(':memory:') }) });
  });
  afterEach(async () => {
    await lease.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  it('fails a batch as unavailable when its worker cannot start, and the next append starts a new one', async () => {
    // Given a worker for a database file that does not exist yet
    const filename = join(dir, 'castellan.db');
    const secretBox = new SecretBox(randomBytes(32));
    const chainKey = new SqlContext(lease, { dialect: 'sqlite', supportsRowLocks: false, async lockAuditChain() {}, pageReader: sqlitePageReader }, secretBox).auditChainKey;
    const worker = sqliteAuditWorker(lease, { filename, walFile: `${filename}-wal`, chainKey, busyTimeoutMs: 1000 });
    try {
      // When a batch is appended, Then it fails as unavailable (StoreAuditLog keeps such a batch queued)
      await expect(worker.append([auditEvent(1)])).rejects.toBeInstanceOf(StoreUnavailableError);
      // When the database exists and the batch is appended again, Then a new worker writes it, chained
      const store = await SqliteStore.open({ filename, secretBox, auditWorker: false });
      try {
        await store.createAccount({ id: ACCOUNT, createDate: at(0) });
        const chain = await worker.append([auditEvent(1), auditEvent(2)]);
        const rows = await store.scanAuditEvents({ fromSeq: 1, limit: 10 });
        expect(rows.map((r) => r.seq)).toEqual([1, 2]);
        expect(chain).toEqual(rows.map(({ eventId, seq, prevHash, hash }) => ({ eventId, seq, prevHash, hash })));
        expectLinearChain(store, rows);
        // A second close while the first waits for the worker's exit waits for the same close
        const closing = worker.close();
        expect(worker.close()).toBe(closing);
        await closing;
        // After close an append is refused as unavailable
        await expect(worker.append([auditEvent(3)])).rejects.toBeInstanceOf(StoreUnavailableError);
      } finally {
        await store.close();
      }
    } finally {
      await worker.close();
    }
  });

  it.runIf(process.platform === 'linux')('writes at the calling thread\'s priority: while it writes it holds the server\'s connection, which requests wait for', async () => {
    // Given a worker for a database with an account
    const filename = join(dir, 'castellan.db');
    const secretBox = new SecretBox(randomBytes(32));
    const chainKey = new SqlContext(lease, { dialect: 'sqlite', supportsRowLocks: false, async lockAuditChain() {}, pageReader: sqlitePageReader }, secretBox).auditChainKey;
    const store = await SqliteStore.open({ filename, secretBox, auditWorker: false });
    const worker = sqliteAuditWorker(lease, { filename, walFile: `${filename}-wal`, chainKey, busyTimeoutMs: 1000 });
    try {
      await store.createAccount({ id: ACCOUNT, createDate: at(0) });
      const own = getPriority(0);
      const lowered = async () => (await niceOfThreads()).filter((n) => n > own).length;
      const before = await lowered();
      // When it appends a batch (the first starts the worker thread)
      await worker.append([auditEvent(1)]);
      // Then no thread of this process runs at a lower priority than before, this one included
      expect(await lowered()).toBe(before);
      expect(getPriority(0)).toBe(own);
    } finally {
      await worker.close();
      await store.close();
    }
  });
  itWritesABatchPostedInParts(DIALECT);
});
