import { beforeEach, describe, expect } from 'vitest';
import { StoreConflictError, StoreReferenceError } from '../store-errors.js';
import type { Store } from '../store.js';
import { ACCOUNT, at, doc, newGroup, newUser, OTHER_ACCOUNT, uid, type ContractScope } from './fixtures.js';

/** The store contract: users, and what keeps a user from being deleted. */
export function userContract({ test, current }: ContractScope): void {
  describe('users', () => {
    let store: Store;
    beforeEach(() => { store = current().store; });

    test('creates and reads a user by id and by name in any case', async () => {
      const input = newUser('Alice', { path: '/eng/', permissionsBoundaryArn: 'arn:aws:iam::aws:policy/PowerUserAccess' });
      const created = await store.createUser(input);
      const expected = { ...input };
      expect(created).toEqual(expected);
      expect(await store.getUserById(input.id)).toEqual(expected);
      expect(await store.getUserByName(ACCOUNT, 'aLICE')).toEqual(expected);
      expect(await store.getUserByName(OTHER_ACCOUNT, 'alice')).toBeUndefined();
      expect(await store.getUserById('AIDANOPE')).toBeUndefined();
    });

    test('reads a user with its tags in one call, in listTags order, also inside a transaction', async () => {
      const u = await store.createUser(newUser('Tagged'));
      await store.createUser(newUser('plain'));
      await store.putTags({ kind: 'user', id: u.id }, [{ key: 'b', value: '1' }, { key: 'a', value: '2' }]);
      await store.putTags({ kind: 'user', id: u.id }, [{ key: 'c', value: '' }, { key: 'B', value: '3' }]);
      const tags = (await store.listTags({ kind: 'user', id: u.id })).items;
      expect(tags).toEqual([{ key: 'B', value: '3' }, { key: 'a', value: '2' }, { key: 'c', value: '' }]);
      expect(await store.getUserWithTags(ACCOUNT, 'tAGGED')).toEqual({ user: u, tags });
      expect(await store.getUserWithTags(ACCOUNT, 'PLAIN')).toEqual({ user: await store.getUserByName(ACCOUNT, 'plain'), tags: [] });
      expect(await store.getUserWithTags(OTHER_ACCOUNT, 'tagged')).toBeUndefined();
      expect(await store.getUserWithTags(ACCOUNT, 'nobody')).toBeUndefined();
      // A read inside a transaction sees the transaction's own writes.
      await store.transaction(async (tx) => {
        await tx.removeTags({ kind: 'user', id: u.id }, ['a']);
        expect((await tx.getUserWithTags(ACCOUNT, 'tagged'))?.tags).toEqual([{ key: 'B', value: '3' }, { key: 'c', value: '' }]);
        expect((await tx.listTags({ kind: 'user', id: u.id })).items).toHaveLength(2);
        const created = await tx.createUser(newUser('fresh'));
        expect(await tx.getUserByName(ACCOUNT, 'FRESH')).toEqual(created);
        expect(await tx.getUserById(created.id)).toEqual(created);
      });
    });

    test('a read outside a transaction never sees its uncommitted writes', async () => {
      let outside: Promise<unknown> | undefined;
      let outsideTags: Promise<unknown> | undefined;
      const u = await store.createUser(newUser('seen'));
      await expect(store.transaction(async (tx) => {
        await tx.createUser(newUser('ghost'));
        await tx.putTags({ kind: 'user', id: u.id }, [{ key: 'k', value: 'v' }]);
        outside = store.getUserByName(ACCOUNT, 'ghost');
        outsideTags = store.getUserWithTags(ACCOUNT, 'seen');
        await new Promise((resolve) => setTimeout(resolve, 20));
        throw new Error('roll back');
      })).rejects.toThrow('roll back');
      expect(await outside).toBeUndefined();
      expect(await outsideTags).toEqual({ user: u, tags: [] });
    });

    test('updates: rename, move, boundary set and clear; rename onto a taken name conflicts', async () => {
      const bob = await store.createUser(newUser('bob'));
      await store.createUser(newUser('carol'));
      const renamed = await store.updateUser(bob.id, { name: 'Robert', path: '/x/', arn: `arn:aws:iam::${ACCOUNT}:user/x/Robert`, permissionsBoundaryArn: 'arn:b' });
      expect(renamed).toMatchObject({ name: 'Robert', path: '/x/', arn: `arn:aws:iam::${ACCOUNT}:user/x/Robert`, permissionsBoundaryArn: 'arn:b' });
      expect(await store.getUserByName(ACCOUNT, 'robert')).toMatchObject({ id: bob.id });
      expect(await store.getUserByName(ACCOUNT, 'bob')).toBeUndefined();
      expect((await store.updateUser(bob.id, { permissionsBoundaryArn: null }))?.permissionsBoundaryArn).toBeUndefined();
      await expect(store.updateUser(bob.id, { name: 'CAROL' })).rejects.toBeInstanceOf(StoreConflictError);
      expect(await store.updateUser('AIDANOPE', { path: '/' })).toBeUndefined();
    });

    test('password last used never moves backwards', async () => {
      const u = await store.createUser(newUser('u'));
      await store.recordUserPasswordUse(u.id, at(10));
      await store.recordUserPasswordUse(u.id, at(5));
      expect((await store.getUserById(u.id))?.passwordLastUsed).toEqual(at(10));
    });

    test('deleting a user with dependents is refused; its tags go with it', async () => {
      const u = await store.createUser(newUser('u'));
      const key = uid('AKIA');
      await store.putTags({ kind: 'user', id: u.id }, [{ key: 'team', value: 'a' }]);
      await store.createAccessKey({ accountId: ACCOUNT, accessKeyId: key, owner: { kind: 'user', userId: u.id }, secretAccessKey: 's'.repeat(40), status: 'Active', createDate: at(1) });
      await expect(store.deleteUser(u.id)).rejects.toBeInstanceOf(StoreReferenceError);
      expect(await store.getUserById(u.id)).toBeDefined();
      expect(await store.deleteAccessKey(key)).toBe(true);
      expect(await store.deleteUser(u.id)).toBe(true);
      expect(await store.deleteUser(u.id)).toBe(false);
      expect((await store.listTags({ kind: 'user', id: u.id })).items).toEqual([]);
    });

    const dependents: Array<{ name: string; add: (s: Store, userId: string) => Promise<unknown> }> = [
      { name: 'login profile', add: (s, userId) => s.createLoginProfile({ accountId: ACCOUNT, userId, passwordHash: '$argon2id$h', passwordResetRequired: true, createDate: at(1) }) },
      { name: 'group membership', add: async (s, userId) => s.addUserToGroup({ groupId: (await s.createGroup(newGroup('g'))).id, userId }) },
      { name: 'inline policy', add: (s, userId) => s.putInlinePolicy({ accountId: ACCOUNT, entity: { kind: 'user', id: userId }, name: 'p', document: doc('s3:*') }) },
      { name: 'attached policy', add: (s, userId) => s.attachPolicy({ accountId: ACCOUNT, entity: { kind: 'user', id: userId }, policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }) },
    ];
    for (const dependent of dependents) {
      test(`deleting a user with a ${dependent.name} is refused`, async () => {
        const u = await store.createUser(newUser('u'));
        await dependent.add(store, u.id);
        await expect(store.deleteUser(u.id)).rejects.toBeInstanceOf(StoreReferenceError);
      });
    }
  });
}
