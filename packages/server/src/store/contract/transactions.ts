import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { beforeEach, describe, expect } from 'vitest';
import { StoreConflictError } from '../store-errors.js';
import type { Store } from '../store.js';
import { TEST_POSTGRES_URL } from '../testing.js';
import { ACCOUNT, auditEvent, newGroup, newUser, type ContractScope } from './fixtures.js';

/** The store contract: transactions, nesting and row locks. */
export function transactionContract({ test, current }: ContractScope): void {
  describe('transactions', () => {
    let store: Store;
    beforeEach(() => { store = current().store; });

    test('a throw rolls everything back and is rethrown', async () => {
      const boom = new Error('boom');
      await expect(store.transaction(async (tx) => {
        await tx.createUser(newUser('ghost'));
        await tx.appendAuditEvents([auditEvent(1, { eventName: 'CreateUser', readOnly: false })]);
        throw boom;
      })).rejects.toBe(boom);
      expect(await store.getUserByName(ACCOUNT, 'ghost')).toBeUndefined();
      expect(await store.scanAuditEvents({ fromSeq: 0, limit: 10 })).toEqual([]);
      expect(await store.getAuditHead()).toBeUndefined();
    });

    test('a store error inside a transaction rolls back earlier writes', async () => {
      await store.createUser(newUser('taken'));
      await expect(store.transaction(async (tx) => {
        await tx.createGroup(newGroup('fresh'));
        await tx.createUser(newUser('TAKEN'));
      })).rejects.toBeInstanceOf(StoreConflictError);
      expect(await store.getGroupByName(ACCOUNT, 'fresh')).toBeUndefined();
    });

    test('a mutation and its audit event commit together', async () => {
      const result = await store.transaction(async (tx) => {
        const user = await tx.createUser(newUser('real'));
        const [chain] = await tx.appendAuditEvents([auditEvent(1, { eventName: 'CreateUser', readOnly: false, resources: [{ type: 'AWS::IAM::User', name: 'real' }] })]);
        return { user, chain };
      });
      expect(result.chain?.seq).toBe(1);
      expect(await store.getUserById(result.user.id)).toBeDefined();
      expect((await store.scanAuditEvents({ fromSeq: 1, limit: 10 })).map((e) => e.eventName)).toEqual(['CreateUser']);
    });

    test('listings read while a transaction is open see committed rows only, in full', async () => {
      // SQLite's listings queue for its one connection behind the transaction and read arrays
      // there (prepared-reads.ts); PostgreSQL's read another connection meanwhile.
      const u = await store.createUser({ ...newUser('kept'), permissionsBoundaryArn: 'arn:aws:iam::aws:policy/Boundary' });
      await store.createGroup(newGroup('team'));
      const boom = new Error('rolled back');
      let listed: Promise<unknown[]> | undefined;
      await expect(store.transaction(async (tx) => {
        await tx.createUser(newUser('ghost'));
        await tx.createGroup(newGroup('ghosts'));
        listed = Promise.all([store.listUsers({ accountId: ACCOUNT }), store.listGroups({ accountId: ACCOUNT }), store.listPolicies({ accountId: ACCOUNT })]);
        await tx.getUserByName(ACCOUNT, 'ghost');
        throw boom;
      })).rejects.toBe(boom);
      const [users, groups, policies] = (await listed!) as [Awaited<ReturnType<Store['listUsers']>>, Awaited<ReturnType<Store['listGroups']>>, Awaited<ReturnType<Store['listPolicies']>>];
      expect(users.items).toEqual([u]);
      expect(groups.items.map((g) => g.name)).toEqual(['team']);
      expect(policies.items).toEqual([]);
    });

    test('a nested transaction reuses the outer one', async () => {
      const boom = new Error('outer fails after inner succeeded');
      await expect(store.transaction(async (tx) => {
        await tx.transaction(async (inner) => {
          expect(inner).toBe(tx);
          await inner.createUser(newUser('nested'));
        });
        expect(await tx.getUserByName(ACCOUNT, 'nested')).toBeDefined();
        throw boom;
      })).rejects.toBe(boom);
      expect(await store.getUserByName(ACCOUNT, 'nested')).toBeUndefined();
    });

    test('lockForUpdate needs a transaction and reports existence', async () => {
      const u = await store.createUser(newUser('u'));
      await expect(store.lockForUpdate({ kind: 'user', id: u.id })).rejects.toThrow(/transaction/);
      await store.transaction(async (tx) => {
        expect(await tx.lockForUpdate({ kind: 'user', id: u.id })).toBe(true);
        expect(await tx.lockForUpdate({ kind: 'role', id: 'AROANOPE' })).toBe(false);
        expect(await tx.lockForUpdate({ kind: 'account', id: ACCOUNT })).toBe(true);
      });
    });

    test('notifyOnCommit needs a transaction; PostgreSQL delivers it at COMMIT, never after a rollback; SQLite has none', async () => {
      await expect(store.notifyOnCommit('castellan_contract', 'x')).rejects.toThrow(/transaction/);
      if (store.dialect === 'sqlite') {
        await expect(store.transaction((tx) => tx.notifyOnCommit('castellan_contract', 'x'))).rejects.toThrow(/no notifications/);
        return;
      }
      // Given a connection listening on a channel of its own
      const channel = `castellan_contract_${randomBytes(6).toString('hex')}`;
      const listener = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      const heard: string[] = [];
      listener.on('notification', (n) => heard.push(n.payload ?? ''));
      await listener.connect();
      try {
        await listener.query(`listen "${channel}"`);
        const settle = () => new Promise((r) => setTimeout(r, 200));
        // When one transaction rolls back after notifying, and another is still open after notifying
        await expect(store.transaction(async (tx) => {
          await tx.notifyOnCommit(channel, 'rolled back');
          throw new Error('rollback');
        })).rejects.toThrow('rollback');
        await store.transaction(async (tx) => {
          await tx.notifyOnCommit(channel, 'committed');
          await settle();
          // Then nothing is heard before the COMMIT
          expect(heard).toEqual([]);
        });
        // And only the committed one after it
        await settle();
        expect(heard).toEqual(['committed']);
      } finally {
        await listener.end();
      }
    });

    test('concurrent transactions all commit and see earlier commits', async () => {
      await Promise.all(Array.from({ length: 12 }, (_, i) => store.transaction(async (tx) => {
        const u = await tx.createUser(newUser(`user${i}`));
        await tx.putTags({ kind: 'user', id: u.id }, [{ key: 'i', value: String(i) }]);
      })));
      expect((await store.listUsers({ accountId: ACCOUNT })).items).toHaveLength(12);
    });
  });
}
