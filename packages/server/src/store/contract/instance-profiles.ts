import { beforeEach, describe, expect } from 'vitest';
import { StoreConflictError, StoreReferenceError } from '../store-errors.js';
import type { Store } from '../store.js';
import { ACCOUNT, OTHER_ACCOUNT, allPages, at, newInstanceProfile, newRole, uid, type ContractScope } from './fixtures.js';

/** The store contract: instance profiles, the one role each holds, their tags; service-linked role deletion tasks. */
export function instanceProfileContract({ test, current }: ContractScope): void {
  describe('instance profiles', () => {
    let store: Store;
    beforeEach(() => { store = current().store; });

    test('names are unique per account in any case; listed by name with path prefix and paging; counted', async () => {
      const web = newInstanceProfile('Web', '/app/');
      expect(await store.createInstanceProfile(web)).toEqual(web);
      await expect(store.createInstanceProfile(newInstanceProfile('WEB'))).rejects.toBeInstanceOf(StoreConflictError);
      await store.createInstanceProfile(newInstanceProfile('web', '/', OTHER_ACCOUNT));
      await store.createInstanceProfile(newInstanceProfile('api'));
      await store.createInstanceProfile(newInstanceProfile('batch', '/app/'));
      expect(await store.getInstanceProfileByName(ACCOUNT, 'wEb')).toEqual(web);
      const all = await allPages((r) => store.listInstanceProfiles({ accountId: ACCOUNT, ...r }), 2);
      expect(all.items.map((p) => p.name)).toEqual(['api', 'batch', 'Web']);
      expect(all.pages.map((p) => p.length)).toEqual([2, 1]);
      expect((await store.listInstanceProfiles({ accountId: ACCOUNT, pathPrefix: '/app/' })).items.map((p) => p.name)).toEqual(['batch', 'Web']);
      expect(await store.countInstanceProfiles(ACCOUNT)).toBe(3);
      expect(await store.countInstanceProfiles(OTHER_ACCOUNT)).toBe(1);
    });

    test('holds one role; profile and role cannot be deleted while linked; tags go with the profile', async () => {
      const p = await store.createInstanceProfile(newInstanceProfile('p'));
      const q = await store.createInstanceProfile(newInstanceProfile('q'));
      const r = await store.createRole(newRole('r'));
      const s = await store.createRole(newRole('s'));
      await store.addRoleToInstanceProfile({ accountId: ACCOUNT, profileId: p.id, roleId: r.id });
      await store.addRoleToInstanceProfile({ accountId: ACCOUNT, profileId: q.id, roleId: r.id });
      await expect(store.addRoleToInstanceProfile({ accountId: ACCOUNT, profileId: p.id, roleId: s.id })).rejects.toBeInstanceOf(StoreConflictError);
      await expect(store.addRoleToInstanceProfile({ accountId: ACCOUNT, profileId: (await store.createInstanceProfile(newInstanceProfile('t'))).id, roleId: 'AROAGONE' })).rejects.toBeInstanceOf(StoreReferenceError);
      expect((await store.listInstanceProfileRoles(p.id)).map((x) => x.name)).toEqual(['r']);
      expect((await store.listInstanceProfilesForRole(r.id)).items.map((x) => x.name)).toEqual(['p', 'q']);
      await expect(store.deleteInstanceProfile(p.id)).rejects.toBeInstanceOf(StoreReferenceError);
      await expect(store.deleteRole(r.id)).rejects.toBeInstanceOf(StoreReferenceError);
      expect(await store.removeRoleFromInstanceProfile(p.id, s.id)).toBe(false);
      expect(await store.removeRoleFromInstanceProfile(p.id, r.id)).toBe(true);
      expect(await store.listInstanceProfileRoles(p.id)).toEqual([]);
      await store.putTags({ kind: 'instanceProfile', id: p.id }, [{ key: 'Env', value: 'a' }, { key: 'env', value: 'b' }]);
      expect((await store.listTags({ kind: 'instanceProfile', id: p.id })).items).toHaveLength(2);
      expect(await store.deleteInstanceProfile(p.id)).toBe(true);
      expect(await store.getInstanceProfileByName(ACCOUNT, 'p')).toBeUndefined();
      expect((await store.listTags({ kind: 'instanceProfile', id: p.id })).items).toEqual([]);
    });
  });

  describe('service-linked role deletion tasks', () => {
    let store: Store;
    beforeEach(() => { store = current().store; });

    test('a task is found in its own account only; ids are unique', async () => {
      const task = { accountId: ACCOUNT, taskId: 'task/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS/1', status: 'SUCCEEDED' as const, createDate: at(1) };
      await store.createDeletionTask(task);
      expect(await store.getDeletionTask(ACCOUNT, task.taskId)).toEqual(task);
      expect(await store.getDeletionTask(OTHER_ACCOUNT, task.taskId)).toBeUndefined();
      await expect(store.createDeletionTask({ ...task, status: 'FAILED', reason: 'in use' })).rejects.toBeInstanceOf(StoreConflictError);
      const failed = { ...task, taskId: `${task.taskId}2`, status: 'FAILED' as const, reason: 'in use' };
      await store.createDeletionTask(failed);
      expect(await store.getDeletionTask(ACCOUNT, failed.taskId)).toEqual(failed);
    });
  });
}

