import { beforeEach, describe, expect } from 'vitest';
import { StoreConflictError } from '../store-errors.js';
import type { Store } from '../store.js';
import { ACCOUNT, at, doc, newGroup, newInstanceProfile, newPolicy, newRole, newUser, OTHER_ACCOUNT, uid, type ContractScope } from './fixtures.js';

/** The store contract: accounts, aliases, meta and usage counts. */
export function accountContract({ test, current }: ContractScope): void {
  describe('accounts and meta', () => {
    let store: Store;
    beforeEach(() => { store = current().store; });

    test('creates, reads, lists and updates accounts', async () => {
      expect(await store.getAccount(ACCOUNT)).toEqual({ id: ACCOUNT, createDate: at(0), settingsJson: '{}' });
      expect(await store.getAccount('000000000000')).toBeUndefined();
      expect((await store.listAccounts()).map((a) => a.id)).toEqual([OTHER_ACCOUNT, ACCOUNT].sort());
      await expect(store.createAccount({ id: ACCOUNT, createDate: at(1) })).rejects.toBeInstanceOf(StoreConflictError);

      const policy = '{"MinimumPasswordLength":14}';
      expect((await store.updateAccount(ACCOUNT, { passwordPolicyJson: policy, settingsJson: '{"a":1}' }))).toMatchObject({ passwordPolicyJson: policy, settingsJson: '{"a":1}' });
      const cleared = await store.updateAccount(ACCOUNT, { passwordPolicyJson: null });
      expect(cleared?.passwordPolicyJson).toBeUndefined();
      expect(cleared?.settingsJson).toBe('{"a":1}');
      expect(await store.updateAccount('000000000000', { settingsJson: '{}' })).toBeUndefined();
    });

    test('stores, replaces and clears the root password hash', async () => {
      expect(await store.getRootPasswordHash(ACCOUNT)).toBeUndefined();
      expect(await store.setRootPasswordHash(ACCOUNT, '$argon2id$one')).toBe(true);
      expect(await store.setRootPasswordHash(ACCOUNT, '$argon2id$two')).toBe(true);
      expect(await store.getRootPasswordHash(ACCOUNT)).toBe('$argon2id$two');
      expect(await store.getRootPasswordHash(OTHER_ACCOUNT)).toBeUndefined();
      expect(await store.getAccount(ACCOUNT)).toEqual({ id: ACCOUNT, createDate: at(0), settingsJson: '{}' });
      expect(await store.setRootPasswordHash(ACCOUNT, null)).toBe(true);
      expect(await store.getRootPasswordHash(ACCOUNT)).toBeUndefined();
      expect(await store.setRootPasswordHash('000000000000', '$argon2id$x')).toBe(false);
    });

    test('aliases are globally unique, case-insensitively', async () => {
      await store.createAccountAlias(ACCOUNT, 'my-corp', at(1));
      expect(await store.listAccountAliases(ACCOUNT)).toEqual(['my-corp']);
      expect(await store.getAccountIdByAlias('MY-CORP')).toBe(ACCOUNT);
      await expect(store.createAccountAlias(OTHER_ACCOUNT, 'My-Corp', at(1))).rejects.toBeInstanceOf(StoreConflictError);
      expect(await store.deleteAccountAlias(OTHER_ACCOUNT, 'my-corp')).toBe(false);
      expect(await store.deleteAccountAlias(ACCOUNT, 'my-corp')).toBe(true);
      expect(await store.listAccountAliases(ACCOUNT)).toEqual([]);
      expect(await store.getAccountIdByAlias('my-corp')).toBeUndefined();
    });

    test('meta is a key/value table', async () => {
      expect(await store.getMeta('k')).toBeUndefined();
      await store.setMeta('k', 'v1');
      await store.setMeta('k', 'v2');
      expect(await store.getMeta('k')).toBe('v2');
      expect(await store.deleteMeta('k')).toBe(true);
      expect(await store.deleteMeta('k')).toBe(false);
    });

    test('account usage counts stored rows', async () => {
      const u = await store.createUser(newUser('u1'));
      await store.createUser(newUser('u2'));
      await store.createUser(newUser('elsewhere', { accountId: OTHER_ACCOUNT }));
      await store.createGroup(newGroup('g'));
      await store.createRole(newRole('r'));
      const p = await store.createPolicy(newPolicy('p'));
      await store.createPolicyVersion({ policyId: p.id, document: doc('s3:*'), setAsDefault: false, createDate: at(1) });
      await store.createPolicy(newPolicy('unused'));
      await store.attachPolicy({ accountId: ACCOUNT, entity: { kind: 'user', id: u.id }, policyArn: p.arn });
      await store.attachPolicy({ accountId: ACCOUNT, entity: { kind: 'user', id: u.id }, policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
      await store.createAccessKey({ accountId: ACCOUNT, accessKeyId: uid('AKIA'), owner: { kind: 'root' }, secretAccessKey: 'root-secret-0000000000000000000000000000', status: 'Active', createDate: at(1) });
      await store.createLoginProfile({ accountId: ACCOUNT, userId: u.id, passwordHash: '$argon2id$x', passwordResetRequired: false, createDate: at(1) });
      expect(await store.getAccountUsage(ACCOUNT)).toEqual({
        users: 2, groups: 1, roles: 1, policies: 2, policyVersions: 3, policyVersionsInUse: 2, attachedPolicies: 2, rootAccessKeys: 1, loginProfiles: 1,
      });
      const counts = { users: 2, groups: 1, roles: 1, policies: 2 } as const;
      for (const [kind, n] of Object.entries(counts)) expect(await store.countAccountEntities(ACCOUNT, kind as keyof typeof counts)).toBe(n);
      expect(await store.countAccountEntities(OTHER_ACCOUNT, 'users')).toBe(1);
    });

    test('entity counts follow deletes and roll back with their transaction', async () => {
      const users = [await store.createUser(newUser('a')), await store.createUser(newUser('b'))];
      const policy = await store.createPolicy(newPolicy('p'));
      const profile = await store.createInstanceProfile(newInstanceProfile('ip'));
      await expect(store.createUser(newUser('A'))).rejects.toBeInstanceOf(StoreConflictError);
      expect(await store.countAccountEntities(ACCOUNT, 'users')).toBe(2);
      expect(await store.countInstanceProfiles(ACCOUNT)).toBe(1);

      const boom = new Error('rolled back');
      await expect(store.transaction(async (tx) => {
        await tx.createUser(newUser('c'));
        await tx.deleteUser(users[0]!.id);
        await tx.deletePolicy(policy.id);
        expect(await tx.countAccountEntities(ACCOUNT, 'users')).toBe(2);
        expect(await tx.countAccountEntities(ACCOUNT, 'policies')).toBe(0);
        throw boom;
      })).rejects.toBe(boom);
      expect(await store.countAccountEntities(ACCOUNT, 'users')).toBe(2);
      expect(await store.countAccountEntities(ACCOUNT, 'policies')).toBe(1);

      expect(await store.deleteUser(users[1]!.id)).toBe(true);
      expect(await store.deleteUser(users[1]!.id)).toBe(false);
      expect(await store.deletePolicy(policy.id)).toBe(true);
      expect(await store.deleteInstanceProfile(profile.id)).toBe(true);
      expect(await store.countAccountEntities(ACCOUNT, 'users')).toBe(1);
      expect(await store.countAccountEntities(ACCOUNT, 'policies')).toBe(0);
      expect(await store.countInstanceProfiles(ACCOUNT)).toBe(0);
      expect(await store.getAccountUsage(ACCOUNT)).toMatchObject({ users: 1, groups: 0, roles: 0, policies: 0 });
      expect(await store.countAccountEntities(OTHER_ACCOUNT, 'users')).toBe(0);
    });
  });
}
