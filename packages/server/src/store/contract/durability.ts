import { beforeEach, describe, expect } from 'vitest';
import type { Store } from '../store.js';
import type { TestStore } from '../testing.js';
import { ACCOUNT, at, auditEvent, doc, newGroup, newPolicy, newRole, newUser, uid, type ContractScope } from './fixtures.js';

/** The store contract: what survives `close` and a reopen. */
export function durabilityContract({ test, current }: ContractScope): void {
  describe('durability', () => {
    let t: TestStore;
    let store: Store;
    beforeEach(() => { t = current(); store = t.store; });

    test('close lets a transaction in flight commit', async () => {
      // Given a transaction that is between two writes
      let reachedMiddle!: () => void;
      const middle = new Promise<void>((resolve) => { reachedMiddle = resolve; });
      const pending = store.transaction(async (tx) => {
        await tx.createUser(newUser('late'));
        reachedMiddle();
        await new Promise((resolve) => setTimeout(resolve, 50));
        await tx.createGroup(newGroup('late'));
      });
      await middle;
      // When the store is closed (and reopened) meanwhile
      const reopened = await t.reopen();
      await pending;
      // Then both writes were committed
      expect(await reopened.getUserByName(ACCOUNT, 'late')).toBeDefined();
      expect(await reopened.getGroupByName(ACCOUNT, 'late')).toBeDefined();
    });

    test('a reopened store has everything that was written', async () => {
      // Given one of each kind of row
      const u = await store.createUser(newUser('persist', { permissionsBoundaryArn: 'arn:b' }));
      const g = await store.createGroup(newGroup('pg'));
      const r = await store.createRole(newRole('pr', { description: 'd' }));
      const p = await store.createPolicy(newPolicy('pp'));
      await store.createPolicyVersion({ policyId: p.id, document: doc('s3:*'), setAsDefault: true, createDate: at(2) });
      await store.addUserToGroup({ groupId: g.id, userId: u.id });
      await store.attachPolicy({ accountId: ACCOUNT, entity: { kind: 'role', id: r.id }, policyArn: p.arn });
      await store.putInlinePolicy({ accountId: ACCOUNT, entity: { kind: 'group', id: g.id }, name: 'inl', document: doc('ec2:*') });
      await store.putTags({ kind: 'user', id: u.id }, [{ key: 'k', value: 'v' }]);
      const keyId = uid('AKIA');
      await store.createAccessKey({ accountId: ACCOUNT, accessKeyId: keyId, owner: { kind: 'user', userId: u.id }, secretAccessKey: 'restart-secret', status: 'Active', createDate: at(3) });
      await store.createLoginProfile({ accountId: ACCOUNT, userId: u.id, passwordHash: '$argon2id$h', passwordResetRequired: false, createDate: at(3) });
      await store.createAccountAlias(ACCOUNT, 'persisted', at(3));
      await store.setMeta('bootstrap', 'done');
      const [event] = await store.appendAuditEvents([auditEvent(1)]);
      const before = {
        user: await store.getUserById(u.id), role: await store.getRoleById(r.id), policy: await store.getPolicyById(p.id),
        versions: await store.listPolicyVersions(p.id), key: await store.getAccessKey(keyId),
      };

      // When the store is closed and opened again
      const reopened = await t.reopen();

      // Then everything is there
      expect(await reopened.getUserById(u.id)).toEqual(before.user);
      expect(await reopened.getRoleById(r.id)).toEqual(before.role);
      expect(await reopened.getPolicyById(p.id)).toEqual(before.policy);
      expect(await reopened.listPolicyVersions(p.id)).toEqual(before.versions);
      expect(await reopened.getAccessKey(keyId)).toEqual(before.key);
      expect((await reopened.getAccessKeyWithSecret(keyId))?.secretAccessKey).toBe('restart-secret');
      expect((await reopened.listGroupMembers(g.id)).items.map((x) => x.id)).toEqual([u.id]);
      expect((await reopened.listAttachedPolicies({ kind: 'role', id: r.id })).items.map((a) => a.policyArn)).toEqual([p.arn]);
      expect(await reopened.getInlinePolicy({ kind: 'group', id: g.id }, 'INL')).toBeDefined();
      expect((await reopened.listTags({ kind: 'user', id: u.id })).items).toEqual([{ key: 'k', value: 'v' }]);
      expect(await reopened.getLoginProfile(u.id)).toBeDefined();
      expect(await reopened.getAccountIdByAlias('persisted')).toBe(ACCOUNT);
      expect(await reopened.getMeta('bootstrap')).toBe('done');
      expect(await reopened.getAuditHead()).toEqual({ seq: 1, hash: event!.hash });
      const [next] = await reopened.appendAuditEvents([auditEvent(2)]);
      expect(next?.prevHash).toBe(event!.hash);
    });
  });
}
