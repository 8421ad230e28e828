import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGroup } from '../iam/groups.js';
import { createPolicy } from '../iam/managed-policies.js';
import { createRole } from '../iam/roles.js';
import { ACCOUNT_ID, identityFixture, type IdentityFixture } from '../iam/test-identity-fixture.js';
import { createUser } from '../iam/users.js';
import { UserWithTagsCache } from '../caching/user-with-tags-cache.js';
import { iamTarget } from './iam-target.js';

const A = `arn:aws:iam::${ACCOUNT_ID}`;
const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

describe('iamTarget', () => {
  let f: IdentityFixture;
  beforeAll(async () => {
    f = await identityFixture('sqlite');
    await createUser(f.deps, { userName: 'carol', path: '/eng/', tags: [{ key: 'team', value: 'blue' }], permissionsBoundary: 'arn:aws:iam::aws:policy/PowerUserAccess' }, f.root());
    await createGroup(f.deps, { groupName: 'ops', path: '/x/' }, f.root());
    await createRole(f.deps, { roleName: 'app', path: '/svc/', assumeRolePolicyDocument: TRUST, tags: [{ key: 'env', value: 'prod' }] }, f.root());
    await createPolicy(f.deps, { policyName: 'P', path: '/p/', policyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }), tags: [{ key: 'owner', value: 'me' }] }, f.root());
  });
  afterAll(() => f.dispose());

  it.each([
    ['an existing user: its real path', 'iam:DeleteUser', { userName: 'CAROL' }, `${A}:user/eng/carol`],
    ['a new user: the given path', 'iam:CreateUser', { userName: 'dave', path: '/new/' }, `${A}:user/new/dave`],
    ['a missing user without path', 'iam:GetUser', { userName: 'zed' }, `${A}:user/zed`],
    ['an existing group', 'iam:AddUserToGroup', { groupName: 'ops' }, `${A}:group/x/ops`],
    ['an existing role', 'iam:GetRole', { roleName: 'app' }, `${A}:role/svc/app`],
    ['a policy ARN as given', 'iam:GetPolicy', { policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }, 'arn:aws:iam::aws:policy/ReadOnlyAccess'],
    ['an action without resource types', 'iam:ListUsers', {}, '*'],
    ['an explicit ARN', 'iam:SimulatePrincipalPolicy', { arn: `${A}:user/eng/carol` }, `${A}:user/eng/carol`],
  ])('targets %s', async (_what, action, names, expected) => {
    const spec = iamTarget<object>(() => names)(action);
    expect(await spec.resource({}, f.root(), f.deps)).toBe(expected);
  });

  it('gives request tags, tag keys, boundary, policy ARN and the target tags as condition keys', async () => {
    const attach = iamTarget<object>(() => ({ userName: 'carol', attachedPolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }))('iam:AttachUserPolicy');
    expect(await attach.conditionKeys({}, f.root(), f.deps)).toEqual({
      'iam:PermissionsBoundary': 'arn:aws:iam::aws:policy/PowerUserAccess',
      'iam:PolicyARN': 'arn:aws:iam::aws:policy/ReadOnlyAccess',
      'aws:ResourceTag/team': 'blue',
      'iam:ResourceTag/team': 'blue',
    });
    const tag = iamTarget<object>(() => ({ roleName: 'app', requestTags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] }))('iam:TagRole');
    expect(await tag.conditionKeys({}, f.root(), f.deps)).toEqual({
      'aws:RequestTag/a': '1',
      'aws:RequestTag/b': '2',
      'aws:TagKeys': ['a', 'b'],
      'aws:ResourceTag/env': 'prod',
      'iam:ResourceTag/env': 'prod',
    });
    const untag = iamTarget<object>(() => ({ policyArn: `${A}:policy/p/P`, tagKeys: ['owner'] }))('iam:UntagPolicy');
    expect(await untag.conditionKeys({}, f.root(), f.deps)).toEqual({ 'aws:TagKeys': ['owner'], 'aws:ResourceTag/owner': 'me' });
    const create = iamTarget<object>(() => ({ userName: 'new', permissionsBoundary: `${A}:policy/p/P` }))('iam:CreateUser');
    expect(await create.conditionKeys({}, f.root(), f.deps)).toEqual({ 'iam:PermissionsBoundary': `${A}:policy/p/P` });
  });

  it('answers the same for a user from the users-by-name cache, call after call', async () => {
    const cached = { ...f.deps, userReads: new UserWithTagsCache(() => f.deps.store) };
    const keys = { 'iam:PermissionsBoundary': 'arn:aws:iam::aws:policy/PowerUserAccess', 'aws:ResourceTag/team': 'blue', 'iam:ResourceTag/team': 'blue' };
    for (let call = 0; call < 3; call++) {
      // A new spec and input per call, as each request has its own.
      const spec = iamTarget<object>(() => ({ userName: 'Carol' }))('iam:GetUser');
      expect(await spec.resource({}, f.root(), cached)).toBe(`${A}:user/eng/carol`);
      expect(await spec.conditionKeys({}, f.root(), cached)).toEqual(keys);
    }
    expect(cached.userReads.stats).toMatchObject({ entries: 1, misses: 1 });
  });
});
