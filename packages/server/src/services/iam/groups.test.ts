import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IAM_QUOTAS } from '../../domain/quotas.js';
import { testDialects } from '../../store/testing.js';
import { addUserToGroup, createGroup, deleteGroup, getGroup, listGroups, listGroupsForUser, removeUserFromGroup, updateGroup } from './groups.js';
import { ACCOUNT_ID, failure, identityFixture, type IdentityFixture } from './test-identity-fixture.js';
import { createUser } from './users.js';

describe.each(testDialects())('groups (%s)', (dialect) => {
  let f: IdentityFixture;
  // Opening a store and loading the catalogue can be slow while the whole suite runs.
  beforeAll(async () => {
    f = await identityFixture(dialect);
  }, 60_000);
  afterAll(() => f?.dispose());

  it('creates a group with AGPA id and pathed ARN; names are unique in any case', async () => {
    const g = await createGroup(f.deps, { groupName: 'Admins', path: '/ops/' }, f.root());
    expect(g.id).toMatch(/^AGPA[A-Z2-7]{17}$/);
    expect(g.arn).toBe(`arn:aws:iam::${ACCOUNT_ID}:group/ops/Admins`);
    expect(await failure(() => createGroup(f.deps, { groupName: 'admins' }, f.root()))).toEqual({ code: 'EntityAlreadyExists', message: 'Group with name admins already exists.' });
  });

  it('adds and removes members (idempotent add), pages GetGroup members and ListGroupsForUser', async () => {
    await createGroup(f.deps, { groupName: 'team' }, f.root());
    for (const n of ['m1', 'm2', 'm3']) {
      await createUser(f.deps, { userName: n }, f.root());
      await addUserToGroup(f.deps, { groupName: 'team', userName: n }, f.root());
    }
    await addUserToGroup(f.deps, { groupName: 'TEAM', userName: 'm1' }, f.root());
    const p1 = await getGroup(f.deps, { groupName: 'team', maxItems: 2 }, f.root());
    expect(p1.users.items.map((u) => u.name)).toEqual(['m1', 'm2']);
    expect(p1.users.isTruncated).toBe(true);
    const p2 = await getGroup(f.deps, { groupName: 'team', maxItems: 2, marker: p1.users.marker }, f.root());
    expect(p2.users.items.map((u) => u.name)).toEqual(['m3']);
    expect((await listGroupsForUser(f.deps, { userName: 'm1' }, f.root())).items.map((g) => g.name)).toEqual(['team']);
    await removeUserFromGroup(f.deps, { groupName: 'team', userName: 'm3' }, f.root());
    expect(await failure(() => removeUserFromGroup(f.deps, { groupName: 'team', userName: 'm3' }, f.root()))).toMatchObject({ code: 'NoSuchEntity' });
    expect(await failure(() => addUserToGroup(f.deps, { groupName: 'nope', userName: 'm1' }, f.root()))).toEqual({ code: 'NoSuchEntity', message: 'The group with name nope cannot be found.' });
    expect(await failure(() => addUserToGroup(f.deps, { groupName: 'team', userName: 'nobody' }, f.root()))).toEqual({ code: 'NoSuchEntity', message: 'The user with name nobody cannot be found.' });
  });

  it(`refuses a user's group number ${IAM_QUOTAS.groupsPerUser + 1}`, async () => {
    await createUser(f.deps, { userName: 'joiner' }, f.root());
    for (let i = 0; i < IAM_QUOTAS.groupsPerUser; i++) {
      await createGroup(f.deps, { groupName: `q${i}` }, f.root());
      await addUserToGroup(f.deps, { groupName: `q${i}`, userName: 'joiner' }, f.root());
    }
    await createGroup(f.deps, { groupName: 'one-too-many' }, f.root());
    expect(await failure(() => addUserToGroup(f.deps, { groupName: 'one-too-many', userName: 'joiner' }, f.root()))).toEqual({ code: 'LimitExceeded', message: 'Cannot exceed quota for GroupsPerUser: 10' });
  });

  it('lists by path prefix and renames/moves groups, members follow', async () => {
    await createGroup(f.deps, { groupName: 'movable', path: '/a/' }, f.root());
    await createUser(f.deps, { userName: 'follower' }, f.root());
    await addUserToGroup(f.deps, { groupName: 'movable', userName: 'follower' }, f.root());
    expect((await listGroups(f.deps, { pathPrefix: '/a/' }, f.root())).items.map((g) => g.name)).toEqual(['movable']);
    const moved = await updateGroup(f.deps, { groupName: 'movable', newGroupName: 'moved', newPath: '/b/' }, f.root());
    expect(moved.arn).toBe(`arn:aws:iam::${ACCOUNT_ID}:group/b/moved`);
    expect((await getGroup(f.deps, { groupName: 'moved' }, f.root())).users.items.map((u) => u.name)).toEqual(['follower']);
    expect(await failure(() => updateGroup(f.deps, { groupName: 'moved', newGroupName: 'ADMINS' }, f.root()))).toEqual({ code: 'EntityAlreadyExists', message: 'Group with name ADMINS already exists.' });
  });

  it('DeleteGroup answers DeleteConflict for members, inline and attached policies', async () => {
    const g = await createGroup(f.deps, { groupName: 'doomed' }, f.root());
    await createUser(f.deps, { userName: 'member' }, f.root());
    await addUserToGroup(f.deps, { groupName: 'doomed', userName: 'member' }, f.root());
    await f.t.store.putInlinePolicy({ accountId: ACCOUNT_ID, entity: { kind: 'group', id: g.id }, name: 'p', document: '{}' });
    await f.t.store.attachPolicy({ accountId: ACCOUNT_ID, entity: { kind: 'group', id: g.id }, policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
    const steps: Array<{ message: string; clear: () => Promise<unknown> }> = [
      { message: 'Cannot delete entity, must remove users from group first.', clear: () => removeUserFromGroup(f.deps, { groupName: 'doomed', userName: 'member' }, f.root()) },
      { message: 'Cannot delete entity, must delete policies first.', clear: () => f.t.store.deleteInlinePolicy({ kind: 'group', id: g.id }, 'p') },
      { message: 'Cannot delete entity, must detach all policies first.', clear: () => f.t.store.detachPolicy({ entity: { kind: 'group', id: g.id }, policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }) },
    ];
    for (const step of steps) {
      expect(await failure(() => deleteGroup(f.deps, { groupName: 'doomed' }, f.root()))).toEqual({ code: 'DeleteConflict', message: step.message });
      await step.clear();
    }
    await deleteGroup(f.deps, { groupName: 'doomed' }, f.root());
    expect(await failure(() => getGroup(f.deps, { groupName: 'doomed' }, f.root()))).toEqual({ code: 'NoSuchEntity', message: 'The group with name doomed cannot be found.' });
  });
});
