import { beforeEach, describe, expect } from 'vitest';
import { StoreReferenceError } from '../store-errors.js';
import type { EntityRef, Store } from '../store.js';
import { ACCOUNT, allPages, doc, newGroup, newRole, newUser, type ContractScope } from './fixtures.js';

/** The store contract: inline policies of users, groups and roles. */
export function inlinePolicyContract({ test, current }: ContractScope): void {
  describe('inline policies', () => {
    let store: Store;
    beforeEach(() => { store = current().store; });

    const kinds = ['user', 'group', 'role'] as const;
    for (const kind of kinds) {
      test(`${kind}: put, replace in any case, get, list, delete`, async () => {
        const id = kind === 'user' ? (await store.createUser(newUser('e'))).id
          : kind === 'group' ? (await store.createGroup(newGroup('e'))).id
          : (await store.createRole(newRole('e'))).id;
        const entity: EntityRef = { kind, id };
        await store.putInlinePolicy({ accountId: ACCOUNT, entity, name: 'Read', document: doc('s3:Get*') });
        await store.putInlinePolicy({ accountId: ACCOUNT, entity, name: 'READ', document: doc('s3:List*') });
        await store.putInlinePolicy({ accountId: ACCOUNT, entity, name: 'b', document: doc('ec2:*') });
        await store.putInlinePolicy({ accountId: ACCOUNT, entity, name: 'c', document: doc('sqs:*') });
        expect(await store.getInlinePolicy(entity, 'read')).toEqual({ accountId: ACCOUNT, entity, name: 'READ', document: doc('s3:List*') });
        const { items } = await allPages((r) => store.listInlinePolicies(entity, r), 2);
        expect(items.map((p) => p.name)).toEqual(['b', 'c', 'READ']);
        expect(await store.deleteInlinePolicy(entity, 'Read')).toBe(true);
        expect(await store.deleteInlinePolicy(entity, 'Read')).toBe(false);
        expect(await store.getInlinePolicy(entity, 'read')).toBeUndefined();
      });
    }

    test('listAllInlinePolicies spans entities; names are per entity', async () => {
      const u = await store.createUser(newUser('u'));
      const g = await store.createGroup(newGroup('g'));
      await store.putInlinePolicy({ accountId: ACCOUNT, entity: { kind: 'user', id: u.id }, name: 'same', document: doc('a:a') });
      await store.putInlinePolicy({ accountId: ACCOUNT, entity: { kind: 'group', id: g.id }, name: 'same', document: doc('b:b') });
      const all = await store.listAllInlinePolicies([{ kind: 'user', id: u.id }, { kind: 'group', id: g.id }]);
      expect(all.map((p) => `${p.entity.kind}:${p.document}`).sort()).toEqual([`group:${doc('b:b')}`, `user:${doc('a:a')}`]);
      expect(await store.listAllInlinePolicies([])).toEqual([]);
      await expect(store.putInlinePolicy({ accountId: ACCOUNT, entity: { kind: 'user', id: 'AIDANOPE' }, name: 'x', document: '{}' })).rejects.toBeInstanceOf(StoreReferenceError);
    });
  });
}
