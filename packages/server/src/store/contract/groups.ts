import { beforeEach, describe, expect } from 'vitest';
import { StoreReferenceError } from '../store-errors.js';
import type { Store } from '../store.js';
import { ACCOUNT, allPages, newGroup, newUser, settle, type ContractScope } from './fixtures.js';

/** The store contract: groups and membership. */
export function groupContract({ test, current }: ContractScope): void {
  describe('groups', () => {
    let store: Store;
    beforeEach(() => { store = current().store; });

    test('membership: idempotent add, remove, both directions, paging', async () => {
      const g = await store.createGroup(newGroup('admins'));
      const users = [];
      for (const n of ['u3', 'u1', 'u2']) users.push(await store.createUser(newUser(n)));
      for (const u of users) expect(await store.addUserToGroup({ groupId: g.id, userId: u.id })).toBe(true);
      expect(await store.addUserToGroup({ groupId: g.id, userId: users[0]!.id })).toBe(false);
      const { items } = await allPages((r) => store.listGroupMembers(g.id, r), 2);
      expect(items.map((u) => u.name)).toEqual(['u1', 'u2', 'u3']);
      expect((await store.listGroupsForUser(users[0]!.id)).items.map((x) => x.name)).toEqual(['admins']);
      expect(await store.removeUserFromGroup({ groupId: g.id, userId: users[0]!.id })).toBe(true);
      expect(await store.removeUserFromGroup({ groupId: g.id, userId: users[0]!.id })).toBe(false);
      expect(await store.listAllGroupsForUser(users[0]!.id)).toEqual([]);
      await expect(store.addUserToGroup({ groupId: 'AGPANOPE', userId: users[0]!.id })).rejects.toBeInstanceOf(StoreReferenceError);
    });

    test('groups per user quota is atomic', async () => {
      const u = await store.createUser(newUser('u'));
      const groups = [];
      for (let i = 0; i < 6; i++) groups.push(await store.createGroup(newGroup(`g${i}`)));
      const { ok, errors } = await settle(groups.map((g) => store.addUserToGroup({ groupId: g.id, userId: u.id, maxGroupsPerUser: 4 })));
      expect(ok).toHaveLength(4);
      expect(errors).toHaveLength(2);
      for (const e of errors) expect(e).toMatchObject({ kind: 'limit', quota: 'groupsPerUser', limit: 4 });
      expect(await store.listAllGroupsForUser(u.id)).toHaveLength(4);
    });

    test('update and delete; a group with members cannot be deleted', async () => {
      const g = await store.createGroup(newGroup('devs'));
      const u = await store.createUser(newUser('u'));
      expect(await store.updateGroup(g.id, { name: 'Developers', path: '/d/', arn: 'arn:new' })).toMatchObject({ name: 'Developers', path: '/d/', arn: 'arn:new' });
      expect(await store.getGroupByName(ACCOUNT, 'developers')).toMatchObject({ id: g.id });
      await store.addUserToGroup({ groupId: g.id, userId: u.id });
      await expect(store.deleteGroup(g.id)).rejects.toBeInstanceOf(StoreReferenceError);
      await store.removeUserFromGroup({ groupId: g.id, userId: u.id });
      expect(await store.deleteGroup(g.id)).toBe(true);
      expect(await store.getGroupById(g.id)).toBeUndefined();
    });
  });
}
