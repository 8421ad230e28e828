import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../../store/testing.js';
import { attachPolicy, detachPolicy } from './attachments.js';
import { createGroup } from './groups.js';
import { deleteInlinePolicy, getInlinePolicy, listInlinePolicies, putInlinePolicy } from './inline-policies.js';
import { createPolicy } from './managed-policies.js';
import { deletePermissionsBoundary, putPermissionsBoundary } from './permissions-boundaries.js';
import {
  createRole,
  deleteRole,
  getRole,
  listRoles,
  listRoleTags,
  tagRole,
  untagRole,
  updateAssumeRolePolicy,
  updateRole,
  updateRoleDescription,
} from './roles.js';
import { ACCOUNT_ID, failure, identityFixture, type IdentityFixture } from './test-identity-fixture.js';
import { createUser } from './users.js';

const trust = (service = 'ec2.amazonaws.com') => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] });
const allow = (action: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });

describe.each(testDialects())('roles, inline policies and boundaries (%s)', (dialect) => {
  let f: IdentityFixture;
  beforeAll(async () => {
    f = await identityFixture(dialect);
  });
  afterAll(() => f.dispose());

  it('creates a role with AROA id, path, trust policy, description, session duration, boundary and tags', async () => {
    const boundary = await createPolicy(f.deps, { policyName: 'RoleBoundary', policyDocument: allow('s3:*') }, f.root());
    const { role, tags } = await createRole(
      f.deps,
      { roleName: 'App', path: '/svc/', assumeRolePolicyDocument: trust(), description: 'app role', maxSessionDuration: 7200, permissionsBoundary: boundary.arn, tags: [{ key: 'env', value: 'prod' }] },
      f.root(),
    );
    expect(role).toMatchObject({ name: 'App', path: '/svc/', arn: `arn:aws:iam::${ACCOUNT_ID}:role/svc/App`, description: 'app role', maxSessionDuration: 7200, permissionsBoundaryArn: boundary.arn });
    expect(role.id).toMatch(/^AROA[A-Z2-7]{17}$/);
    expect(tags).toEqual([{ key: 'env', value: 'prod' }]);
    const got = await getRole(f.deps, { roleName: 'app' }, f.root());
    expect(got.role.assumeRolePolicyDocument).toBe(trust());
    expect(await failure(() => createRole(f.deps, { roleName: 'APP', assumeRolePolicyDocument: trust() }, f.root()))).toEqual({ code: 'EntityAlreadyExists', message: 'Role with name APP already exists.' });
  });

  it.each([
    ['an identity policy as trust policy', allow('s3:*'), 'MalformedPolicyDocument'],
    ['a non-sts action', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:GetObject' }] }), 'MalformedPolicyDocument'],
    ['invalid JSON', '{', 'MalformedPolicyDocument'],
    ['over 2,048 characters', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: Array.from({ length: 60 }, (_, i) => `arn:aws:iam::${String(100000000000 + i)}:root`) }, Action: 'sts:AssumeRole' }] }), 'LimitExceeded'],
  ])('refuses %s', async (_what, document, code) => {
    expect((await failure(() => createRole(f.deps, { roleName: 'Bad', assumeRolePolicyDocument: document }, f.root()))).code).toBe(code);
  });

  it('refuses AWS principals that do not exist, as AWS does ("Invalid principal in policy"), and a Resource in a trust policy', async () => {
    const trustAws = (...aws: string[]) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: aws }, Action: 'sts:AssumeRole' }] });
    await createUser(f.deps, { userName: 'truster', path: '/t/' }, f.root());
    for (const [aws, shown] of [
      ['999999999999', 'arn:aws:iam::999999999999:root'],
      ['arn:aws:iam::999999999999:root', 'arn:aws:iam::999999999999:root'],
      [`arn:aws:iam::${ACCOUNT_ID}:user/ghost`, `arn:aws:iam::${ACCOUNT_ID}:user/ghost`],
      [`arn:aws:iam::${ACCOUNT_ID}:user/truster`, `arn:aws:iam::${ACCOUNT_ID}:user/truster`],
      [`arn:aws:iam::${ACCOUNT_ID}:role/NoSuchRole`, `arn:aws:iam::${ACCOUNT_ID}:role/NoSuchRole`],
    ]) {
      expect(await failure(() => createRole(f.deps, { roleName: 'Ghostly', assumeRolePolicyDocument: trustAws(aws!) }, f.root()))).toEqual({
        code: 'MalformedPolicyDocument',
        message: `Invalid principal in policy: "AWS":"${shown}"`,
      });
    }
    const ok = await createRole(f.deps, { roleName: 'Trusting', assumeRolePolicyDocument: trustAws(ACCOUNT_ID, `arn:aws:iam::${ACCOUNT_ID}:user/t/truster`) }, f.root());
    expect(ok.role.name).toBe('Trusting');
    expect(await failure(() => updateAssumeRolePolicy(f.deps, { roleName: 'Trusting', policyDocument: trustAws('arn:aws:iam::999999999999:root') }, f.root()))).toMatchObject({
      message: 'Invalid principal in policy: "AWS":"arn:aws:iam::999999999999:root"',
    });
    for (const service of ['ec2', '*', 'ec2.example.com', 'eks.amazonaws.com.cn']) {
      const doc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] });
      expect(await failure(() => createRole(f.deps, { roleName: 'Svc', assumeRolePolicyDocument: doc }, f.root()))).toEqual({
        code: 'MalformedPolicyDocument',
        message: `Invalid principal in policy: "SERVICE":"${service}"`,
      });
    }
    for (const service of [['ec2.amazonaws.com', 'lambda.amazonaws.com'], ['states.us-east-1.amazonaws.com'], ['ecs-tasks.amazonaws.com']]) {
      const doc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] });
      await createRole(f.deps, { roleName: `Svc${service.length}${service[0]!.length}`, assumeRolePolicyDocument: doc }, f.root());
    }
    const wildcardUser = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:user/*` }, Action: 'sts:AssumeRole' }] });
    expect(await failure(() => createRole(f.deps, { roleName: 'Wild', assumeRolePolicyDocument: wildcardUser }, f.root()))).toEqual({
      code: 'MalformedPolicyDocument',
      message: `Invalid principal in policy: "AWS":"arn:aws:iam::${ACCOUNT_ID}:user/*"`,
    });
    const withResource = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole', Resource: '*' }] });
    expect(await failure(() => createRole(f.deps, { roleName: 'Res', assumeRolePolicyDocument: withResource }, f.root()))).toEqual({
      code: 'MalformedPolicyDocument',
      message: 'Has prohibited field Resource',
    });
  });

  it('ListRoles shows the ids its trust policies keep as ARNs with one read of users and one of roles for the page', async () => {
    const trustAws = (...aws: string[]) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: aws }, Action: 'sts:AssumeRole' }] });
    const arnOf = (kind: string, name: string) => `arn:aws:iam::${ACCOUNT_ID}:${kind}/${name}`;
    await createUser(f.deps, { userName: 'pageA' }, f.root());
    await createUser(f.deps, { userName: 'pageB' }, f.root());
    await createRole(f.deps, { roleName: 'PageHop', assumeRolePolicyDocument: trustAws(arnOf('user', 'pageA')) }, f.root());
    for (const n of [1, 2, 3]) {
      await createRole(f.deps, { roleName: `Page${n}`, assumeRolePolicyDocument: trustAws(arnOf('user', 'pageA'), arnOf('user', 'pageB'), arnOf('role', 'PageHop')) }, f.root());
    }
    const calls: string[] = [];
    const store = new Proxy(f.deps.store, {
      get(target, prop) {
        const value: unknown = Reflect.get(target, prop, target);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          calls.push(String(prop));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const page = await listRoles({ ...f.deps, store }, { pathPrefix: '/' }, f.root());
    for (const n of [1, 2, 3]) {
      expect(page.items.find((r) => r.name === `Page${n}`)!.assumeRolePolicyDocument).toBe(trustAws(arnOf('user', 'pageA'), arnOf('user', 'pageB'), arnOf('role', 'PageHop')));
    }
    expect(page.items.find((r) => r.name === 'PageHop')!.assumeRolePolicyDocument).toBe(trustAws(arnOf('user', 'pageA')));
    expect(calls.filter((c) => /^get(User|Role)(ById|ArnsByIds)$/.test(c)).sort()).toEqual(['getRoleArnsByIds', 'getUserArnsByIds']);
  });

  it('refuses a session duration outside 3600..43200 and a boundary that does not exist', async () => {
    expect((await failure(() => createRole(f.deps, { roleName: 'Short', assumeRolePolicyDocument: trust(), maxSessionDuration: 600 }, f.root()))).code).toBe('InvalidInput');
    const missing = `arn:aws:iam::${ACCOUNT_ID}:policy/Nope`;
    expect(await failure(() => createRole(f.deps, { roleName: 'NoB', assumeRolePolicyDocument: trust(), permissionsBoundary: missing }, f.root()))).toEqual({
      code: 'NoSuchEntity',
      message: `Scope ARN: ${missing} does not exist or is not attachable.`,
    });
  });

  it('updates description, session duration and trust policy; lists with PathPrefix and paging', async () => {
    await updateRole(f.deps, { roleName: 'App', maxSessionDuration: 43200 }, f.root());
    const described = await updateRoleDescription(f.deps, { roleName: 'App', description: 'new' }, f.root());
    expect(described.role).toMatchObject({ description: 'new', maxSessionDuration: 43200 });
    await updateAssumeRolePolicy(f.deps, { roleName: 'App', policyDocument: trust('lambda.amazonaws.com') }, f.root());
    expect((await getRole(f.deps, { roleName: 'App' }, f.root())).role.assumeRolePolicyDocument).toContain('lambda');
    expect((await failure(() => updateAssumeRolePolicy(f.deps, { roleName: 'App', policyDocument: allow('s3:*') }, f.root()))).code).toBe('MalformedPolicyDocument');
    for (const n of ['r1', 'r2', 'r3']) await createRole(f.deps, { roleName: n, path: '/batch/', assumeRolePolicyDocument: trust() }, f.root());
    const p1 = await listRoles(f.deps, { pathPrefix: '/batch/', maxItems: 2 }, f.root());
    expect(p1.items.map((r) => r.name)).toEqual(['r1', 'r2']);
    const p2 = await listRoles(f.deps, { pathPrefix: '/batch/', marker: p1.marker }, f.root());
    expect(p2.items.map((r) => r.name)).toEqual(['r3']);
    expect(await failure(() => getRole(f.deps, { roleName: 'ghost' }, f.root()))).toEqual({ code: 'NoSuchEntity', message: 'The role with name ghost cannot be found.' });
  });

  it('tags roles (keys case-insensitive), untags, lists', async () => {
    await tagRole(f.deps, { roleName: 'App', tags: [{ key: 'ENV', value: 'dev' }, { key: 'team', value: 'a' }] }, f.root());
    expect((await listRoleTags(f.deps, { roleName: 'App' }, f.root())).items).toEqual([{ key: 'ENV', value: 'dev' }, { key: 'team', value: 'a' }]);
    await untagRole(f.deps, { roleName: 'App', tagKeys: ['env'] }, f.root());
    expect((await listRoleTags(f.deps, { roleName: 'App' }, f.root())).items).toEqual([{ key: 'team', value: 'a' }]);
  });

  it('puts, gets, lists and deletes inline policies with the aggregate size quota per kind', async () => {
    await createUser(f.deps, { userName: 'inl' }, f.root());
    await createGroup(f.deps, { groupName: 'inl-g' }, f.root());
    for (const [kind, entityName] of [['user', 'inl'], ['group', 'inl-g'], ['role', 'App']] as const) {
      await putInlinePolicy(f.deps, { kind, entityName, policyName: 'One', policyDocument: allow('s3:GetObject') }, f.root());
      await putInlinePolicy(f.deps, { kind, entityName, policyName: 'one', policyDocument: allow('s3:PutObject') }, f.root());
      const got = await getInlinePolicy(f.deps, { kind, entityName: entityName.toUpperCase(), policyName: 'ONE' }, f.root());
      expect(got).toEqual({ entityName, policyName: 'one', policyDocument: allow('s3:PutObject') });
      await putInlinePolicy(f.deps, { kind, entityName, policyName: 'Two', policyDocument: allow('s3:*') }, f.root());
      expect((await listInlinePolicies(f.deps, { kind, entityName }, f.root())).items).toEqual(['one', 'Two']);
      expect(await failure(() => getInlinePolicy(f.deps, { kind, entityName, policyName: 'Three' }, f.root()))).toEqual({
        code: 'NoSuchEntity',
        message: `The ${kind} policy with name Three cannot be found.`,
      });
    }
    const big = (n: number) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: Array.from({ length: n }, (_, i) => `arn:aws:s3:::b${String(i).padStart(4, '0')}/*`) }] });
    // about 23 characters per resource: 70 fit a user's 2,048 once, not twice.
    await putInlinePolicy(f.deps, { kind: 'user', entityName: 'inl', policyName: 'Big', policyDocument: big(70) }, f.root());
    expect(await failure(() => putInlinePolicy(f.deps, { kind: 'user', entityName: 'inl', policyName: 'Big2', policyDocument: big(70) }, f.root()))).toEqual({
      code: 'LimitExceeded',
      message: 'Maximum policy size of 2048 bytes exceeded for user inl',
    });
    await putInlinePolicy(f.deps, { kind: 'group', entityName: 'inl-g', policyName: 'Big2', policyDocument: big(70) }, f.root());
    await putInlinePolicy(f.deps, { kind: 'user', entityName: 'inl', policyName: 'Big', policyDocument: big(75) }, f.root());
    expect((await failure(() => putInlinePolicy(f.deps, { kind: 'user', entityName: 'inl', policyName: 'Bad', policyDocument: '{"Statement":[]}' }, f.root()))).code).toBe('MalformedPolicyDocument');
    for (const name of ['one', 'Two', 'Big']) await deleteInlinePolicy(f.deps, { kind: 'user', entityName: 'inl', policyName: name }, f.root());
    expect((await failure(() => deleteInlinePolicy(f.deps, { kind: 'user', entityName: 'inl', policyName: 'one' }, f.root()))).code).toBe('NoSuchEntity');
    expect(await failure(() => putInlinePolicy(f.deps, { kind: 'user', entityName: 'nobody', policyName: 'x', policyDocument: allow('s3:*') }, f.root()))).toEqual({
      code: 'NoSuchEntity',
      message: 'The user with name nobody cannot be found.',
    });
  });

  it('sets and clears permissions boundaries on users and roles', async () => {
    await createUser(f.deps, { userName: 'bounded' }, f.root());
    await putPermissionsBoundary(f.deps, { kind: 'user', entityName: 'bounded', permissionsBoundary: 'arn:aws:iam::aws:policy/PowerUserAccess' }, f.root());
    expect((await f.deps.store.getUserByName(ACCOUNT_ID, 'bounded'))?.permissionsBoundaryArn).toBe('arn:aws:iam::aws:policy/PowerUserAccess');
    await deletePermissionsBoundary(f.deps, { kind: 'user', entityName: 'bounded' }, f.root());
    expect((await f.deps.store.getUserByName(ACCOUNT_ID, 'bounded'))?.permissionsBoundaryArn).toBeUndefined();
    await deletePermissionsBoundary(f.deps, { kind: 'role', entityName: 'App' }, f.root());
    expect((await getRole(f.deps, { roleName: 'App' }, f.root())).role.permissionsBoundaryArn).toBeUndefined();
    expect((await failure(() => putPermissionsBoundary(f.deps, { kind: 'role', entityName: 'App', permissionsBoundary: 'arn:aws:s3:::bucket' }, f.root()))).code).toBe('InvalidInput');
    expect((await failure(() => putPermissionsBoundary(f.deps, { kind: 'role', entityName: 'App', permissionsBoundary: 'arn:aws:iam::aws:policy/NotAPolicy' }, f.root()))).code).toBe('NoSuchEntity');
  });

  it('deletes a role only without inline and attached policies', async () => {
    await attachPolicy(f.deps, { kind: 'role', entityName: 'App', policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }, f.root());
    expect(await failure(() => deleteRole(f.deps, { roleName: 'App' }, f.root()))).toEqual({ code: 'DeleteConflict', message: 'Cannot delete entity, must delete policies first.' });
    for (const name of ['one', 'Two']) await deleteInlinePolicy(f.deps, { kind: 'role', entityName: 'App', policyName: name }, f.root());
    expect(await failure(() => deleteRole(f.deps, { roleName: 'App' }, f.root()))).toEqual({ code: 'DeleteConflict', message: 'Cannot delete entity, must detach all policies first.' });
    await detachPolicy(f.deps, { kind: 'role', entityName: 'App', policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }, f.root());
    await deleteRole(f.deps, { roleName: 'App' }, f.root());
    expect((await failure(() => getRole(f.deps, { roleName: 'App' }, f.root()))).code).toBe('NoSuchEntity');
  });
});
