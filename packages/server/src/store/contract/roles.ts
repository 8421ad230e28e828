import { beforeEach, describe, expect } from 'vitest';
import { StoreReferenceError } from '../store-errors.js';
import type { Store } from '../store.js';
import { ACCOUNT, at, doc, newRole, newUser, type ContractScope } from './fixtures.js';

/** The store contract: roles and their last use. */
export function roleContract({ test, current }: ContractScope): void {
  describe('roles', () => {
    let store: Store;
    beforeEach(() => { store = current().store; });

    test('creates, reads, updates and deletes a role', async () => {
      const input = newRole('Deployer', { description: 'ci', maxSessionDuration: 7200 });
      expect(await store.createRole(input)).toEqual(input);
      expect(await store.getRoleByName(ACCOUNT, 'deployer')).toEqual(input);
      const updated = await store.updateRole(input.id, { description: null, maxSessionDuration: 43200, assumeRolePolicyDocument: '{}', permissionsBoundaryArn: 'arn:b' });
      expect(updated).toMatchObject({ maxSessionDuration: 43200, assumeRolePolicyDocument: '{}', permissionsBoundaryArn: 'arn:b' });
      expect(updated?.description).toBeUndefined();
      await store.putInlinePolicy({ accountId: ACCOUNT, entity: { kind: 'role', id: input.id }, name: 'p', document: doc('s3:*') });
      await expect(store.deleteRole(input.id)).rejects.toBeInstanceOf(StoreReferenceError);
      await store.deleteInlinePolicy({ kind: 'role', id: input.id }, 'P');
      expect(await store.deleteRole(input.id)).toBe(true);
      expect(await store.getRoleById(input.id)).toBeUndefined();
    });

    test('the ARNs of users and roles by a list of ids: only those that exist, each once, beyond one IN list', async () => {
      const a = await store.createRole(newRole('a'));
      const b = await store.createRole(newRole('b', { path: '/ops/' }));
      const u = await store.createUser(newUser('u'));
      const many = Array.from({ length: 600 }, (_, i) => `AROANOPE${String(i).padStart(12, '0')}`);
      const roles = await store.getRoleArnsByIds([a.id, ...many, b.id, a.id, u.id]);
      expect(roles).toEqual(new Map([[a.id, a.arn], [b.id, b.arn]]));
      expect(await store.getUserArnsByIds([u.id, a.id, 'AIDANOPE'])).toEqual(new Map([[u.id, u.arn]]));
      expect(await store.getUserArnsByIds([])).toEqual(new Map());
      await store.deleteRole(b.id);
      expect(await store.getRoleArnsByIds([a.id, b.id])).toEqual(new Map([[a.id, a.arn]]));
    });

    test('role last used: batched, latest wins, never backwards', async () => {
      const a = await store.createRole(newRole('a'));
      const b = await store.createRole(newRole('b'));
      await store.recordRoleUse([
        { roleId: a.id, usedAt: at(5), region: 'us-east-1' },
        { roleId: a.id, usedAt: at(9), region: 'eu-west-1' },
        { roleId: a.id, usedAt: at(7), region: 'ap-south-1' },
        { roleId: b.id, usedAt: at(3), region: 'us-west-2' },
        { roleId: 'AROAGONE', usedAt: at(3), region: 'us-west-2' },
      ]);
      await store.recordRoleUse([{ roleId: a.id, usedAt: at(1), region: 'sa-east-1' }]);
      expect(await store.getRoleById(a.id)).toMatchObject({ lastUsedDate: at(9), lastUsedRegion: 'eu-west-1' });
      expect(await store.getRoleById(b.id)).toMatchObject({ lastUsedDate: at(3), lastUsedRegion: 'us-west-2' });
    });
  });
}
