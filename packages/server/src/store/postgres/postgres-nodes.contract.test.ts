import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { verifyStoredChain } from '../../audit/verify/verify-stored-chain.js';
import { generateMasterKey } from '../../crypto/master-key.js';
import { SecretBox } from '../../crypto/secret-box.js';
import { sampleEvent } from '../../audit/test-audit-rows.js';
import { ACCOUNT, at, newUser } from '../contract/fixtures.js';
import { CryptoIds } from '../../domain/ids.js';
import { bootstrapAccount } from '../../services/bootstrap.js';
import { MIGRATIONS } from '../sql/migrations/index.js';
import { TEST_POSTGRES_URL, createTestPostgresSchema, testDialects } from '../testing.js';
import { PostgresStore } from './postgres-store.js';

// Several `castellan serve` processes on one PostgreSQL schema, modelled as several stores (each
// with its own pool) in one process: what the nodes share is the database, as in production.
const selected = testDialects().includes('postgres');

(selected ? describe : describe.skip)('several nodes on one PostgreSQL schema', () => {
  it('nodes starting at once on a fresh schema all create and migrate it, each migration once', async () => {
    const pgSchema = await createTestPostgresSchema();
    const secretBox = new SecretBox(generateMasterKey());
    const opened = await Promise.allSettled(Array.from({ length: 4 }, () => PostgresStore.open({ url: pgSchema.url, secretBox, maxConnections: 2 })));
    try {
      expect(opened.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason?.cause ?? (r as PromiseRejectedResult).reason))).toEqual([]);
      const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await admin.connect();
      try {
        const applied = await admin.query(`select name from "${pgSchema.schema}".kysely_migration order by name`);
        expect(applied.rows.map((r: { name: string }) => r.name)).toEqual(Object.keys(MIGRATIONS).sort());
      } finally {
        await admin.end();
      }
    } finally {
      for (const r of opened) if (r.status === 'fulfilled') await r.value.close();
      await pgSchema.drop();
    }
  });

  it('nodes bootstrapping a fresh database at once agree on one account and one root key', async () => {
    const pgSchema = await createTestPostgresSchema();
    const secretBox = new SecretBox(generateMasterKey());
    const stores = [];
    try {
      for (let i = 0; i < 3; i++) stores.push(await PostgresStore.open({ url: pgSchema.url, secretBox, maxConnections: 2 }));
      const results = await Promise.all(stores.map((store) => bootstrapAccount({ store, ids: new CryptoIds() }, { now: new Date() })));
      expect(new Set(results.map((r) => r.accountId)).size).toBe(1);
      expect(new Set(results.map((r) => r.rootAccessKeyId)).size).toBe(1);
      expect(results.filter((r) => r.createdAccount)).toHaveLength(1);
      expect(results.filter((r) => r.createdKey)).toHaveLength(1);
    } finally {
      for (const store of stores) await store.close();
      await pgSchema.drop();
    }
  });

  it('two nodes writing at once keep ids unique and one gap-free audit chain that verifies', async () => {
    // Given two nodes sharing the schema and the master key (so the chain key)
    await withTwoNodes(async (a, b) => {
      // When each node runs mutations with their audit event in one transaction, and batched
      // appends of read events, many at a time
      const ROUNDS = 40;
      const work = (node: PostgresStore, offset: number) => Array.from({ length: ROUNDS }, async (_, i) => {
        const n = offset + 4 * i;
        await node.transaction(async (tx) => {
          await tx.createUser(newUser(`user-${n}`));
          await tx.appendAuditEvents([sampleEvent(n)]);
        });
        await node.appendAuditEvents([sampleEvent(n + 1), sampleEvent(n + 2), sampleEvent(n + 3)]);
      });
      await Promise.all([...work(a, 0), ...work(b, 10_000)]);

      // Then every user is there once, and the chain has every event, without gaps, and verifies
      const users = await a.listUsers({ accountId: ACCOUNT, maxItems: 1000 });
      expect(users.items).toHaveLength(2 * ROUNDS);
      expect(new Set(users.items.map((u) => u.id)).size).toBe(2 * ROUNDS);
      expect(await b.getAuditHead()).toMatchObject({ seq: 2 * ROUNDS * 4 });
      const verified = await verifyStoredChain({ source: b });
      expect(verified.findings).toEqual([]);
      expect(verified.rows).toBe(2 * ROUNDS * 4);
    });
  });

  it('two nodes creating and deleting at once keep the account count exact, and a quota never overshoots', async () => {
    // Given two nodes and an account with 20 users, 10 of which are being deleted meanwhile
    await withTwoNodes(async (a, b) => {
      const doomed = [];
      for (let i = 0; i < 20; i++) doomed.push(await a.createUser(newUser(`old-${i}`)));
      // When each node runs CreateUser's quota rule (lock the account, count, create below 40)
      // 30 times, while the other deletes users without the account lock
      const MAX = 40;
      const create = (node: PostgresStore, n: number) => node.transaction(async (tx) => {
        await tx.lockForUpdate({ kind: 'account', id: ACCOUNT });
        if ((await tx.countAccountEntities(ACCOUNT, 'users')) >= MAX) return false;
        await tx.createUser(newUser(`new-${n}`));
        return true;
      });
      const results = await Promise.all([
        ...Array.from({ length: 30 }, (_, i) => create(i % 2 ? a : b, i)),
        ...Array.from({ length: 30 }, (_, i) => create(i % 2 ? b : a, 100 + i)),
        ...doomed.slice(0, 10).map((u, i) => (i % 2 ? a : b).deleteUser(u.id)),
      ]);
      // Then the count is the number of rows on both nodes, and no more than MAX were ever held
      const rows = (await a.listUsers({ accountId: ACCOUNT, maxItems: 1000 })).items.length;
      expect(await a.countAccountEntities(ACCOUNT, 'users')).toBe(rows);
      expect(await b.countAccountEntities(ACCOUNT, 'users')).toBe(rows);
      expect(rows).toBeLessThanOrEqual(MAX);
      expect(results.slice(0, 60).filter(Boolean).length).toBe(rows - 10);
    });
  });
});

/** Two nodes (stores with their own pools) on a fresh schema with the same master key, and the account created; removed afterwards. */
async function withTwoNodes(test: (a: PostgresStore, b: PostgresStore) => Promise<void>): Promise<void> {
  const pgSchema = await createTestPostgresSchema();
  const secretBox = new SecretBox(generateMasterKey());
  const a = await PostgresStore.open({ url: pgSchema.url, secretBox, maxConnections: 4 });
  const b = await PostgresStore.open({ url: pgSchema.url, secretBox, maxConnections: 4 });
  try {
    await a.createAccount({ id: ACCOUNT, createDate: at(0) });
    await test(a, b);
  } finally {
    await a.close();
    await b.close();
    await pgSchema.drop();
  }
}
