import { beforeEach, describe, expect } from 'vitest';
import { StoreConflictError, StoreLimitError, StoreReferenceError } from '../store-errors.js';
import type { Store } from '../store.js';
import type { TestStore } from '../testing.js';
import { ACCOUNT, allPages, at, newUser, settle, uid, type ContractScope } from './fixtures.js';

/** The store contract: access keys (secrets encrypted at rest) and login profiles. */
export function credentialContract({ test, current }: ContractScope): void {
  describe('access keys and login profiles', () => {
    let t: TestStore;
    let store: Store;
    beforeEach(() => { t = current(); store = t.store; });

    const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

    test('create, read with and without secret, list, status, delete', async () => {
      const u = await store.createUser(newUser('u'));
      const owner = { kind: 'user', userId: u.id } as const;
      const id1 = uid('AKIA');
      const id2 = uid('AKIA');
      const k1 = await store.createAccessKey({ accountId: ACCOUNT, accessKeyId: id1, owner, secretAccessKey: SECRET, status: 'Active', createDate: at(1) });
      expect(k1).toEqual({ accountId: ACCOUNT, accessKeyId: id1, owner, status: 'Active', createDate: at(1) });
      expect(k1).not.toHaveProperty('secretAccessKey');
      await store.createAccessKey({ accountId: ACCOUNT, accessKeyId: id2, owner, secretAccessKey: `${SECRET}2`, status: 'Inactive', createDate: at(2) });
      expect(await store.getAccessKey(id1)).toEqual(k1);
      expect((await store.getAccessKeyWithSecret(id1))?.secretAccessKey).toBe(SECRET);
      expect((await store.getAccessKeyWithSecret(id2))?.secretAccessKey).toBe(`${SECRET}2`);
      expect(await store.getAccessKeyWithSecret('AKIANOPE')).toBeUndefined();
      const { pages, items } = await allPages((r) => store.listAccessKeys({ accountId: ACCOUNT, owner, ...r }), 1);
      expect(pages).toHaveLength(2);
      expect(items.map((k) => [k.accessKeyId, k.status])).toEqual([[id1, 'Active'], [id2, 'Inactive']]);
      expect((await store.listAccessKeys({ accountId: ACCOUNT, owner: { kind: 'root' } })).items).toEqual([]);
      expect(await store.updateAccessKeyStatus(id1, 'Inactive')).toBe(true);
      expect(await store.updateAccessKeyStatus('AKIANOPE', 'Inactive')).toBe(false);
      expect((await store.getAccessKey(id1))?.status).toBe('Inactive');
      expect(await store.deleteAccessKey(id1)).toBe(true);
      expect(await store.deleteAccessKey(id1)).toBe(false);
      await expect(store.createAccessKey({ accountId: ACCOUNT, accessKeyId: id2, owner: { kind: 'root' }, secretAccessKey: SECRET, status: 'Active', createDate: at(3) }))
        .rejects.toBeInstanceOf(StoreConflictError);
    });

    test('at most 2 keys per owner, even under concurrent creates', async () => {
      const u = await store.createUser(newUser('u'));
      const { ok, errors } = await settle(Array.from({ length: 5 }, (_, i) => store.createAccessKey({
        accountId: ACCOUNT, accessKeyId: uid('AKIA'), owner: { kind: 'user', userId: u.id }, secretAccessKey: `${SECRET}${i}`, status: 'Active', createDate: at(i),
      })));
      expect(ok).toHaveLength(2);
      expect(errors).toHaveLength(3);
      for (const e of errors) expect(e).toMatchObject({ kind: 'limit', quota: 'accessKeysPerUser', limit: 2 });
      // The root's keys are counted apart from the users'.
      for (let i = 0; i < 2; i++) {
        await store.createAccessKey({ accountId: ACCOUNT, accessKeyId: uid('AKIA'), owner: { kind: 'root' }, secretAccessKey: SECRET, status: 'Active', createDate: at(i) });
      }
      await expect(store.createAccessKey({ accountId: ACCOUNT, accessKeyId: uid('AKIA'), owner: { kind: 'root' }, secretAccessKey: SECRET, status: 'Active', createDate: at(3) }))
        .rejects.toBeInstanceOf(StoreLimitError);
      await expect(store.createAccessKey({ accountId: ACCOUNT, accessKeyId: uid('AKIA'), owner: { kind: 'user', userId: 'AIDANOPE' }, secretAccessKey: SECRET, status: 'Active', createDate: at(3) }))
        .rejects.toBeInstanceOf(StoreReferenceError);
    });

    test('recordAccessKeyUse: one batch, latest wins per key, never backwards, unknown ignored', async () => {
      const ids = [uid('AKIA'), uid('AKIA')] as const;
      for (const id of ids) await store.createAccessKey({ accountId: ACCOUNT, accessKeyId: id, owner: { kind: 'root' }, secretAccessKey: SECRET, status: 'Active', createDate: at(0) });
      await store.recordAccessKeyUse([
        { accessKeyId: ids[0], usedAt: at(10), serviceName: 'iam', region: 'us-east-1' },
        { accessKeyId: ids[0], usedAt: at(30), serviceName: 'sts', region: 'eu-west-1' },
        { accessKeyId: ids[0], usedAt: at(20), serviceName: 'iam', region: 'us-west-2' },
        { accessKeyId: ids[1], usedAt: at(5), serviceName: 'iam', region: 'us-east-1' },
        { accessKeyId: 'AKIAGONE', usedAt: at(5), serviceName: 'iam', region: 'us-east-1' },
      ]);
      await store.recordAccessKeyUse([{ accessKeyId: ids[0], usedAt: at(15), serviceName: 'iam', region: 'ap-south-1' }]);
      await store.recordAccessKeyUse([]);
      expect(await store.getAccessKey(ids[0])).toMatchObject({ lastUsedDate: at(30), lastUsedServiceName: 'sts', lastUsedRegion: 'eu-west-1' });
      expect(await store.getAccessKey(ids[1])).toMatchObject({ lastUsedDate: at(5), lastUsedServiceName: 'iam', lastUsedRegion: 'us-east-1' });
    });

    test('secret access keys are encrypted at rest', async () => {
      const id = uid('AKIA');
      const secret = `PLAINTEXT-SECRET-${uid('')}`;
      await store.createAccessKey({ accountId: ACCOUNT, accessKeyId: id, owner: { kind: 'root' }, secretAccessKey: secret, status: 'Active', createDate: at(0) });
      // Given the key was written, When the raw database is searched, Then its id is there (the
      // search works) and its secret is not.
      expect(await t.rawDatabaseContains(id)).toBe(true);
      expect(await t.rawDatabaseContains(secret)).toBe(false);
      expect((await store.getAccessKeyWithSecret(id))?.secretAccessKey).toBe(secret);
    });

    test('login profiles: create once, read, update, delete', async () => {
      const u = await store.createUser(newUser('u'));
      const input = { accountId: ACCOUNT, userId: u.id, passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$abc$def', passwordResetRequired: true, createDate: at(1) };
      // The password's date defaults to the profile's creation.
      const profile = { ...input, passwordChangedDate: at(1) };
      expect(await store.createLoginProfile(input)).toEqual(profile);
      await expect(store.createLoginProfile(input)).rejects.toBeInstanceOf(StoreConflictError);
      expect(await store.getLoginProfile(u.id)).toEqual(profile);
      expect(await store.updateLoginProfile(u.id, { passwordHash: '$argon2id$new', passwordResetRequired: false })).toEqual({ ...profile, passwordHash: '$argon2id$new', passwordResetRequired: false });
      expect(await store.updateLoginProfile('AIDANOPE', { passwordResetRequired: true })).toBeUndefined();
      expect(await store.deleteLoginProfile(u.id)).toBe(true);
      expect(await store.deleteLoginProfile(u.id)).toBe(false);
      expect(await store.getLoginProfile(u.id)).toBeUndefined();
    });

    test('login profiles: a new password carries the date it was set', async () => {
      const u = await store.createUser(newUser('u'));
      await store.createLoginProfile({ accountId: ACCOUNT, userId: u.id, passwordHash: '$argon2id$a', passwordResetRequired: false, createDate: at(1), passwordChangedDate: at(2) });
      expect((await store.getLoginProfile(u.id))?.passwordChangedDate).toEqual(at(2));
      expect(await store.updateLoginProfile(u.id, { passwordHash: '$argon2id$b', passwordChangedDate: at(9) })).toMatchObject({ passwordHash: '$argon2id$b', passwordChangedDate: at(9), createDate: at(1) });
    });

    test('password history: newest first, only the newest `keep` remembered, deleted with the user', async () => {
      const u = await store.createUser(newUser('u'));
      const other = await store.createUser(newUser('other'));
      for (let i = 1; i <= 5; i++) await store.addPasswordHistory({ userId: u.id, passwordHash: `$argon2id$${i}`, setDate: at(i), keep: 3 });
      await store.addPasswordHistory({ userId: other.id, passwordHash: '$argon2id$other', setDate: at(1), keep: 3 });
      expect(await store.listPasswordHistory(u.id, 24)).toEqual(['$argon2id$5', '$argon2id$4', '$argon2id$3']);
      expect(await store.listPasswordHistory(u.id, 2)).toEqual(['$argon2id$5', '$argon2id$4']);
      expect(await store.listPasswordHistory(u.id, 0)).toEqual([]);
      await expect(store.addPasswordHistory({ userId: 'AIDANOPE', passwordHash: '$argon2id$x', setDate: at(1), keep: 3 })).rejects.toBeInstanceOf(StoreReferenceError);
      await store.deleteUser(u.id);
      expect(await store.listPasswordHistory(u.id, 24)).toEqual([]);
      expect(await store.listPasswordHistory(other.id, 24)).toEqual(['$argon2id$other']);
    });
  });
}
