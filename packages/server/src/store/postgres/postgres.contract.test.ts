import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { ACCOUNT, at, auditEvent, expectLinearChain, newGroup, newUser } from '../contract/fixtures.js';
import { runStoreContract } from '../contract/suite.js';
import type { Store } from '../store.js';
import { StoreConflictError, StoreReferenceError, StoreUnavailableError } from '../store-errors.js';
import { generateMasterKey } from '../../crypto/master-key.js';
import { SecretBox } from '../../crypto/secret-box.js';
import { TEST_POSTGRES_URL, createTestPostgresSchema, createTestStore, testDialects } from '../testing.js';
import { translatePostgresError } from './postgres-errors.js';
import { PostgresStore } from './postgres-store.js';

// Each test gets a fresh schema with a random name at CASTELLAN_TEST_POSTGRES_URL, dropped after it.
// An unreachable PostgreSQL makes every test fail: only CASTELLAN_TEST_DIALECTS can leave it out.
const selected = testDialects().includes('postgres');

if (selected) runStoreContract({ name: 'postgres', newStore: () => createTestStore('postgres') });
else describe.skip('store contract: postgres (deselected by CASTELLAN_TEST_DIALECTS)', () => it('deselected', () => {}));

(selected ? describe : describe.skip)('postgres specifics', () => {
  const errors: Array<{ name: string; error: object; expected: unknown }> = [
    { name: '23505 unique_violation', error: { code: '23505', table: 'users', constraint: 'users_account_name_uq' }, expected: StoreConflictError },
    { name: '23503 foreign_key_violation', error: { code: '23503', constraint: 'access_keys_user_id_fkey' }, expected: StoreReferenceError },
    { name: 'ECONNREFUSED', error: { code: 'ECONNREFUSED' }, expected: StoreUnavailableError },
    { name: '57P01 admin_shutdown', error: { code: '57P01' }, expected: StoreUnavailableError },
    { name: '08006 connection_failure', error: { code: '08006' }, expected: StoreUnavailableError },
    { name: '53100 disk_full', error: { code: '53100' }, expected: StoreUnavailableError },
    { name: '53300 too_many_connections', error: { code: '53300' }, expected: StoreUnavailableError },
    { name: '25006 read_only_sql_transaction', error: { code: '25006' }, expected: StoreUnavailableError },
  ];
  for (const { name, error, expected } of errors) {
    it(`translates ${name}`, () => {
      expect(translatePostgresError(Object.assign(new Error('driver error'), error))).toBeInstanceOf(expected);
    });
  }

  it('names the table and constraint of a unique violation and passes other errors through', () => {
    expect(translatePostgresError(Object.assign(new Error('dup'), { code: '23505', table: 'users', constraint: 'users_account_name_uq' })))
      .toMatchObject({ entity: 'users', constraint: 'users_account_name_uq' });
    const syntax = Object.assign(new Error('syntax error'), { code: '42601' });
    expect(translatePostgresError(syntax)).toBe(syntax);
  });

  it('a real unique violation surfaces with its constraint', async () => {
    const t = await createTestStore('postgres');
    try {
      await t.store.createAccount({ id: '123456789012', createDate: new Date(0) });
      const error = await t.store.createAccount({ id: '123456789012', createDate: new Date(0) }).catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: 'conflict', entity: 'accounts', constraint: 'accounts_pkey' });
    } finally {
      await t.dispose();
    }
  });

  it('without the audit worker, a batch appended again counts its stored events as written and still refuses a clashing id', async () => {
    const pgSchema = await createTestPostgresSchema();
    try {
      const store = await PostgresStore.open({ url: pgSchema.url, secretBox: new SecretBox(generateMasterKey()), auditWorker: false });
      try {
        await store.createAccount({ id: ACCOUNT, createDate: at(0) });
        // Given a batch stored on the server's own connections
        const [a, b] = [auditEvent(1), auditEvent(2)];
        const first = await store.appendAuditEvents([a, b]);
        // When it is appended again with a new event, Then only the new one is chained
        const again = await store.appendAuditEvents([a, b, auditEvent(3)]);
        expect(again.slice(0, 2)).toEqual(first);
        expect(again[2]).toMatchObject({ seq: 3, prevHash: first[1]!.hash });
        // And a different event with a stored id is refused, inside a transaction or not, nothing of it stored
        await expect(store.appendAuditEvents([auditEvent(4), auditEvent(5, { eventId: a.eventId })])).rejects.toBeInstanceOf(StoreConflictError);
        await expect(store.transaction((tx) => tx.appendAuditEvents([auditEvent(6, { eventId: b.eventId })]))).rejects.toBeInstanceOf(StoreConflictError);
        const rows = await store.scanAuditEvents({ fromSeq: 1, limit: 10 });
        expect(rows.map((r) => r.eventId)).toEqual(again.map((c) => c.eventId));
        expectLinearChain(store, rows);
      } finally {
        await store.close();
      }
    } finally {
      await pgSchema.drop();
    }
  });

  // A pooled connection checked out for a transaction has no listener of pg-pool's: without the
  // store's own, its 'error' event (57P01, then the socket's end) was unhandled and ended the process,
  // whether it came between two statements or after the statement that got the 57P01 had failed.
  const endedInTransaction: Array<{ when: string; end: (ctx: { tx: Store; admin: pg.Client; name: string; schema: string }) => Promise<void> }> = [
    {
      when: 'idle between two statements',
      end: async ({ tx, admin, name }) => {
        const pid = (await admin.query<{ pid: number }>(`select pid from pg_stat_activity where application_name = $1 and state = 'idle in transaction'`, [name])).rows[0]?.pid;
        await admin.query('select pg_terminate_backend($1)', [pid]);
        for (let i = 0; i < 100 && (await admin.query('select 1 from pg_stat_activity where pid = $1', [pid])).rowCount! > 0; i++) {
          await new Promise((r) => setTimeout(r, 20));
        }
        await new Promise((r) => setTimeout(r, 100));
        await tx.createUser(newUser('after-loss'));
      },
    },
    {
      when: 'waiting for a lock in a statement',
      end: async ({ tx, admin, name, schema }) => {
        await admin.query('begin');
        // (a table the transaction has not touched: it holds a lock on users)
        await admin.query(`lock table "${schema}".groups in access exclusive mode`);
        const statement = tx.createGroup(newGroup('after-loss')).then(() => undefined, (error: unknown) => error);
        let pid: number | undefined;
        for (let i = 0; i < 400 && pid === undefined; i++) {
          pid = (await admin.query<{ pid: number }>(`select pid from pg_stat_activity where application_name = $1 and wait_event_type = 'Lock'`, [name])).rows[0]?.pid;
          if (pid === undefined) await new Promise((r) => setTimeout(r, 25));
        }
        await admin.query('select pg_terminate_backend($1)', [pid]);
        await admin.query('rollback');
        const error = await statement;
        await new Promise((r) => setTimeout(r, 100));
        throw error;
      },
    },
  ];
  for (const { when, end } of endedInTransaction) {
    it(`a connection ended inside a transaction (${when}) fails the transaction as unavailable, leaves nothing of it, and is not reused`, async () => {
      const pgSchema = await createTestPostgresSchema();
      const name = `castellan-test-${randomBytes(4).toString('hex')}`;
      const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await admin.connect();
      const uncaught: unknown[] = [];
      const onUncaught = (error: unknown) => uncaught.push(error);
      process.on('uncaughtException', onUncaught);
      try {
        const store = await PostgresStore.open({ url: `${pgSchema.url}&application_name=${name}`, secretBox: new SecretBox(generateMasterKey()), maxConnections: 2, auditWorker: false });
        try {
          await store.createAccount({ id: ACCOUNT, createDate: at(0) });
          // Given a transaction that wrote a user, When its backend is terminated (an operator, a restart, a failover)
          const failed = await store.transaction(async (tx) => {
            await tx.createUser(newUser('half-done'));
            await end({ tx, admin, name, schema: pgSchema.schema });
          }).then(() => undefined, (error: unknown) => error);
          // Then it fails as unavailable, and the process heard every error of the connection
          expect(failed).toBeInstanceOf(StoreUnavailableError);
          expect(uncaught).toEqual([]);
          // And nothing of the transaction is stored, and the next calls run on a new connection
          expect(await store.getUserByName(ACCOUNT, 'half-done')).toBeUndefined();
          await store.createUser(newUser('next'));
          expect(await store.getUserByName(ACCOUNT, 'next')).toBeDefined();
        } finally {
          await store.close();
        }
      } finally {
        process.off('uncaughtException', onUncaught);
        await admin.end();
        await pgSchema.drop();
      }
    });
  }

  it('takes the schema from the URL when no schema option is given', async () => {
    const pgSchema = await createTestPostgresSchema();
    try {
      const store = await PostgresStore.open({ url: pgSchema.url, secretBox: new SecretBox(generateMasterKey()) });
      try {
        expect(store.schema).toBe(pgSchema.schema);
        await store.createAccount({ id: '123456789012', createDate: new Date(0) });
      } finally {
        await store.close();
      }
      // The rows landed in that schema, not in public.
      const again = await PostgresStore.open({ url: pgSchema.url.replace(/\?.*$/, ''), schema: pgSchema.schema, secretBox: new SecretBox(generateMasterKey()) });
      try {
        expect(await again.getAccount('123456789012')).toBeDefined();
      } finally {
        await again.close();
      }
    } finally {
      await pgSchema.drop();
    }
  });

  it('refuses a schema name that is not a plain identifier', async () => {
    await expect(PostgresStore.open({ url: 'postgres://postgres@127.0.0.1:5432/test', schema: 'x"; drop', secretBox: new SecretBox(generateMasterKey()) }))
      .rejects.toThrow(/invalid PostgreSQL schema name/);
  });

  it('migrates while other schemas are being dropped', async () => {
    // Given many schemas with tables (as parallel test runs leave them)
    const admin = new pg.Pool({ connectionString: TEST_POSTGRES_URL, max: 4 });
    const stores: PostgresStore[] = [];
    try {
      for (let round = 0; round < 3; round++) {
        const others = Array.from({ length: 12 }, () => `castellan_test_drop_${randomBytes(5).toString('hex')}`);
        for (const name of others) await admin.query(`create schema "${name}"; create table "${name}".a (x text, y text, z text); create table "${name}".b (x text)`);
        // When they are dropped while new stores migrate their own schemas
        const drops = Promise.all(others.map((name) => admin.query(`drop schema "${name}" cascade`)));
        const opened = await Promise.allSettled(Array.from({ length: 3 }, () => PostgresStore.open({
          url: TEST_POSTGRES_URL, schema: `castellan_test_${randomBytes(6).toString('hex')}`, secretBox: new SecretBox(generateMasterKey()), maxConnections: 2,
        })));
        await drops;
        // Then every store opened (Kysely's own introspector fails here with 3F000)
        for (const result of opened) if (result.status === 'fulfilled') stores.push(result.value);
        expect(opened.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason?.cause?.message ?? (r as PromiseRejectedResult).reason))).toEqual([]);
      }
    } finally {
      for (const store of stores) {
        await store.close();
        await admin.query(`drop schema if exists "${store.schema}" cascade`);
      }
      await admin.end();
    }
  });
});
