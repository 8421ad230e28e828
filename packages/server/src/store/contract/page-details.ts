import { beforeEach, describe, expect } from 'vitest';
import type { Store } from '../store.js';
import { ACCOUNT, at, doc, newGroup, newPolicy, newRole, newUser, uid, type ContractScope } from './fixtures.js';

/**
 * The store contract: the related rows of a whole page read at once (GetAccountAuthorizationDetails
 * shows each entity's groups, tags, profiles and versions). Each answers by owner id, in the order
 * the one-entity reads use, and leaves out owners that have none.
 */
export function pageDetailsContract({ test, current }: ContractScope): void {
  describe('page details', () => {
    let store: Store;
    beforeEach(() => { store = current().store; });

    test('groups of several users, in name order', async () => {
      const [a, b, c] = [await store.createUser(newUser('a')), await store.createUser(newUser('b')), await store.createUser(newUser('c'))];
      const [g1, g2] = [await store.createGroup(newGroup('Zeta')), await store.createGroup(newGroup('alpha'))];
      await store.addUserToGroup({ groupId: g1.id, userId: a.id });
      await store.addUserToGroup({ groupId: g2.id, userId: a.id });
      await store.addUserToGroup({ groupId: g1.id, userId: b.id });
      const groups = await store.listAllGroupsForUsers([a.id, b.id, c.id, a.id]);
      expect(groups.get(a.id)?.map((g) => g.name)).toEqual(['alpha', 'Zeta']);
      expect(groups.get(a.id)).toEqual(await store.listAllGroupsForUser(a.id));
      expect(groups.get(b.id)).toEqual([g1]);
      expect(groups.has(c.id)).toBe(false);
      expect((await store.listAllGroupsForUsers([])).size).toBe(0);
    });

    test('tags of several targets, in insertion order', async () => {
      const [u, r] = [await store.createUser(newUser('tagged')), await store.createRole(newRole('tagged-role'))];
      const bare = await store.createUser(newUser('bare'));
      await store.putTags({ kind: 'user', id: u.id }, [{ key: 'b', value: '2' }, { key: 'a', value: '1' }]);
      await store.putTags({ kind: 'role', id: r.id }, [{ key: 'team', value: 'x' }]);
      const tags = await store.listAllTags([{ kind: 'user', id: u.id }, { kind: 'role', id: r.id }, { kind: 'user', id: bare.id }]);
      expect(tags.get(u.id)).toEqual([{ key: 'b', value: '2' }, { key: 'a', value: '1' }]);
      expect(tags.get(r.id)).toEqual([{ key: 'team', value: 'x' }]);
      expect(tags.has(bare.id)).toBe(false);
    });

    test('instance profiles of several roles', async () => {
      const [r1, r2] = [await store.createRole(newRole('r1')), await store.createRole(newRole('r2'))];
      const profile = { accountId: ACCOUNT, id: uid('AIPA'), name: 'web', path: '/', arn: `arn:aws:iam::${ACCOUNT}:instance-profile/web`, createDate: at(0) };
      await store.createInstanceProfile(profile);
      await store.addRoleToInstanceProfile({ accountId: ACCOUNT, profileId: profile.id, roleId: r1.id });
      const profiles = await store.listAllInstanceProfilesForRoles([r1.id, r2.id]);
      expect(profiles.get(r1.id)).toEqual([profile]);
      expect(profiles.has(r2.id)).toBe(false);
    });

    test('versions of several policies, newest first', async () => {
      const [p1, p2] = [await store.createPolicy(newPolicy('p1')), await store.createPolicy(newPolicy('p2'))];
      await store.createPolicyVersion({ policyId: p1.id, document: doc('s3:V2'), setAsDefault: true, createDate: at(5) });
      const versions = await store.listAllPolicyVersions([p1.id, p2.id]);
      expect(versions.get(p1.id)?.map((v) => [v.versionId, v.isDefaultVersion])).toEqual([['v2', true], ['v1', false]]);
      expect(versions.get(p1.id)).toEqual((await store.listPolicyVersions(p1.id)).items);
      expect(versions.get(p2.id)?.map((v) => v.versionId)).toEqual(['v1']);
    });
  });
}
