import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAccountAuthorizationDetails, getAccountSummary } from './account.js';
import {
  addRoleToInstanceProfile,
  createInstanceProfile,
  deleteInstanceProfile,
  getInstanceProfile,
  listInstanceProfiles,
  listInstanceProfilesForRole,
  listInstanceProfileTags,
  removeRoleFromInstanceProfile,
  tagInstanceProfile,
  untagInstanceProfile,
} from './instance-profiles.js';
import { createRole, deleteRole } from './roles.js';
import { ACCOUNT_ID, failure, identityFixture, type IdentityFixture } from './test-identity-fixture.js';
import { testDialects } from '../../store/testing.js';

const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

describe.each(testDialects())('instance profiles (%s)', (dialect) => {
  let f: IdentityFixture;
  beforeAll(async () => {
    f = await identityFixture(dialect);
  });
  afterAll(() => f.dispose());

  it('creates a profile with AIPA id, path, ARN and tags; names are unique in any case', async () => {
    const { instanceProfile, tags } = await createInstanceProfile(
      f.deps,
      { instanceProfileName: 'Web', path: '/app/', tags: [{ key: 'Env', value: 'prod' }] },
      f.root(),
    );
    expect(instanceProfile).toMatchObject({ name: 'Web', path: '/app/', arn: `arn:aws:iam::${ACCOUNT_ID}:instance-profile/app/Web`, roles: [] });
    expect(instanceProfile.id).toMatch(/^AIPA[A-Z2-7]{17}$/);
    expect(tags).toEqual([{ key: 'Env', value: 'prod' }]);
    expect(await failure(() => createInstanceProfile(f.deps, { instanceProfileName: 'WEB' }, f.root())))
      .toEqual({ code: 'EntityAlreadyExists', message: 'Instance Profile WEB already exists.' });
    expect(await failure(() => getInstanceProfile(f.deps, { instanceProfileName: 'nope' }, f.root())))
      .toEqual({ code: 'NoSuchEntity', message: 'Instance Profile nope cannot be found.' });
  });

  it('holds one role; the second is LimitExceeded; listed both ways; DeleteConflict both ways while linked', async () => {
    await createRole(f.deps, { roleName: 'WebRole', assumeRolePolicyDocument: trust }, f.root());
    await createRole(f.deps, { roleName: 'Other', assumeRolePolicyDocument: trust }, f.root());
    await addRoleToInstanceProfile(f.deps, { instanceProfileName: 'web', roleName: 'webrole' }, f.root());
    expect(await failure(() => addRoleToInstanceProfile(f.deps, { instanceProfileName: 'Web', roleName: 'Other' }, f.root())))
      .toEqual({ code: 'LimitExceeded', message: 'Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1' });
    expect((await failure(() => addRoleToInstanceProfile(f.deps, { instanceProfileName: 'Web', roleName: 'ghost' }, f.root()))).code).toBe('NoSuchEntity');
    const got = await getInstanceProfile(f.deps, { instanceProfileName: 'Web' }, f.root());
    expect(got.instanceProfile.roles.map((r) => r.name)).toEqual(['WebRole']);
    expect(got.tags).toEqual([{ key: 'Env', value: 'prod' }]);
    expect((await listInstanceProfilesForRole(f.deps, { roleName: 'WebRole' }, f.root())).items.map((p) => p.name)).toEqual(['Web']);
    expect((await listInstanceProfilesForRole(f.deps, { roleName: 'Other' }, f.root())).items).toEqual([]);
    const conflict = { code: 'DeleteConflict', message: 'Cannot delete entity, must remove roles from instance profile first.' };
    expect(await failure(() => deleteInstanceProfile(f.deps, { instanceProfileName: 'Web' }, f.root()))).toEqual(conflict);
    expect(await failure(() => deleteRole(f.deps, { roleName: 'WebRole' }, f.root()))).toEqual(conflict);

    const details = await getAccountAuthorizationDetails(f.deps, { filter: ['Role'] }, f.root());
    expect(details.roles.find((r) => r.role.name === 'WebRole')?.instanceProfiles.map((p) => p.name)).toEqual(['Web']);
    expect((await getAccountSummary(f.deps, {}, f.root())).InstanceProfiles).toBe(1);

    expect((await failure(() => removeRoleFromInstanceProfile(f.deps, { instanceProfileName: 'Web', roleName: 'Other' }, f.root()))).code).toBe('NoSuchEntity');
    await removeRoleFromInstanceProfile(f.deps, { instanceProfileName: 'Web', roleName: 'WebRole' }, f.root());
    await addRoleToInstanceProfile(f.deps, { instanceProfileName: 'Web', roleName: 'Other' }, f.root());
    await removeRoleFromInstanceProfile(f.deps, { instanceProfileName: 'Web', roleName: 'Other' }, f.root());
    await deleteRole(f.deps, { roleName: 'WebRole' }, f.root());
  });

  it('lists by path prefix with paging', async () => {
    for (const name of ['a1', 'a2', 'a3']) await createInstanceProfile(f.deps, { instanceProfileName: name, path: '/list/' }, f.root());
    const first = await listInstanceProfiles(f.deps, { pathPrefix: '/list/', maxItems: 2 }, f.root());
    expect(first.items.map((p) => p.name)).toEqual(['a1', 'a2']);
    expect(first.isTruncated).toBe(true);
    const second = await listInstanceProfiles(f.deps, { pathPrefix: '/list/', maxItems: 2, marker: first.marker }, f.root());
    expect(second).toMatchObject({ isTruncated: false });
    expect(second.items.map((p) => p.name)).toEqual(['a3']);
  });

  it('tags: case-sensitive keys, at most 50, untag ignores absent keys; deletion takes them along', async () => {
    await createInstanceProfile(f.deps, { instanceProfileName: 'Tagged' }, f.root());
    await tagInstanceProfile(f.deps, { instanceProfileName: 'Tagged', tags: [{ key: 'k', value: '1' }, { key: 'K', value: '2' }] }, f.root());
    expect((await listInstanceProfileTags(f.deps, { instanceProfileName: 'tagged' }, f.root())).items).toEqual([{ key: 'k', value: '1' }, { key: 'K', value: '2' }]);
    const many = Array.from({ length: 49 }, (_, i) => ({ key: `t${i}`, value: 'v' }));
    expect(await failure(() => tagInstanceProfile(f.deps, { instanceProfileName: 'Tagged', tags: many }, f.root())))
      .toEqual({ code: 'LimitExceeded', message: 'Cannot exceed quota for TagsPerInstanceProfile: 50' });
    await untagInstanceProfile(f.deps, { instanceProfileName: 'Tagged', tagKeys: ['K', 'absent'] }, f.root());
    expect((await listInstanceProfileTags(f.deps, { instanceProfileName: 'Tagged' }, f.root())).items).toEqual([{ key: 'k', value: '1' }]);
    await deleteInstanceProfile(f.deps, { instanceProfileName: 'Tagged' }, f.root());
    expect((await failure(() => listInstanceProfileTags(f.deps, { instanceProfileName: 'Tagged' }, f.root()))).code).toBe('NoSuchEntity');
  });
});
