import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestContext } from '../../domain/context.js';
import { denialError } from '../../domain/denial-error.js';
import { rootPrincipal } from '../../domain/test-principals.js';
import { testDialects } from '../../store/testing.js';
import type { User } from '../../domain/iam-entities.js';
import { attachPolicy } from '../iam/attachments.js';
import { addUserToGroup, createGroup } from '../iam/groups.js';
import { putInlinePolicy } from '../iam/inline-policies.js';
import { createPolicy } from '../iam/managed-policies.js';
import { createPolicyVersion, setDefaultPolicyVersion } from '../iam/policy-versions.js';
import { deletePermissionsBoundary, putPermissionsBoundary } from '../iam/permissions-boundaries.js';
import { ACCOUNT_ID, failure, identityFixture, type IdentityFixture } from '../iam/test-identity-fixture.js';
import { createRole } from '../iam/roles.js';
import { createUser, tagUser } from '../iam/users.js';
import { CompiledPolicyCache } from './compiled-policy-cache.js';
import { PolicyAuthorizer } from './policy-authorizer.js';

const allow = (action: string, resource = '*', extra: Record<string, unknown> = {}) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: resource, ...extra }] });
const deny = (action: string, resource = '*') => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: action, Resource: resource }] });
const carol = `arn:aws:iam::${ACCOUNT_ID}:user/carol`;

describe.each(testDialects())('PolicyAuthorizer (%s)', (dialect) => {
  let f: IdentityFixture;
  let authorizer: PolicyAuthorizer;
  let bob: User;
  let bobCtx: RequestContext;
  /** The authorizer's answer as the pipeline acts on it: allowed, or AWS's AccessDenied thrown. */
  const ask = async (ctx: RequestContext, action: string, resource: string, context: Record<string, string | string[]> = {}) => {
    const answer = await authorizer.authorize(ctx, { action, resource, context });
    if (answer.decision.effect !== 'allow') throw denialError(answer);
    return { allowed: true };
  };

  beforeAll(async () => {
    f = await identityFixture(dialect);
    authorizer = new PolicyAuthorizer({ ...f.deps, policyCache: new CompiledPolicyCache() });
    bob = (await createUser(f.deps, { userName: 'bob', path: '/eng/' }, f.root())).user;
    bobCtx = f.as(bob);
    await createGroup(f.deps, { groupName: 'admins' }, f.root());
  });
  afterAll(() => f.dispose());

  it('lets the account root do anything in its own account, and nothing in another', async () => {
    await expect(ask(f.root(), 'iam:CreateUser', carol)).resolves.toEqual({ allowed: true });
    expect(await failure(() => ask(f.root(), 'iam:GetUser', 'arn:aws:iam::999999999999:user/x'))).toMatchObject({ code: 'AccessDenied' });
  });

  it('denies a user without policies with AWS message, then allows once a group grants the action', async () => {
    expect(await failure(() => ask(bobCtx, 'iam:CreateUser', carol))).toEqual({
      code: 'AccessDenied',
      message: `User: arn:aws:iam::${ACCOUNT_ID}:user/eng/bob is not authorized to perform: iam:CreateUser on resource: ${carol} because no identity-based policy allows the iam:CreateUser action`,
    });
    await putInlinePolicy(f.deps, { kind: 'group', entityName: 'admins', policyName: 'iam', policyDocument: allow('iam:*') }, f.root());
    await addUserToGroup(f.deps, { groupName: 'admins', userName: 'bob' }, f.root());
    await expect(ask(bobCtx, 'iam:CreateUser', carol)).resolves.toEqual({ allowed: true });
  });

  it('refuses with an explicit deny from an attached managed policy, and follows its default version', async () => {
    const p = await createPolicy(f.deps, { policyName: 'NoCreate', policyDocument: deny('iam:CreateUser') }, f.root());
    await attachPolicy(f.deps, { kind: 'user', entityName: 'bob', policyArn: p.arn }, f.root());
    expect(await failure(() => ask(bobCtx, 'iam:CreateUser', carol))).toEqual({
      code: 'AccessDenied',
      message: `User: arn:aws:iam::${ACCOUNT_ID}:user/eng/bob is not authorized to perform: iam:CreateUser on resource: ${carol} with an explicit deny in an identity-based policy`,
    });
    await createPolicyVersion(f.deps, { policyArn: p.arn, policyDocument: deny('iam:DeleteUser'), setAsDefault: true }, f.root());
    await expect(ask(bobCtx, 'iam:CreateUser', carol)).resolves.toEqual({ allowed: true });
    await setDefaultPolicyVersion(f.deps, { policyArn: p.arn, versionId: 'v1' }, f.root());
    expect(await failure(() => ask(bobCtx, 'iam:CreateUser', carol))).toMatchObject({ code: 'AccessDenied' });
    await setDefaultPolicyVersion(f.deps, { policyArn: p.arn, versionId: 'v2' }, f.root());
  });

  it('answers with the decision and the statements behind it, allowed or denied', async () => {
    const p = await createPolicy(f.deps, { policyName: 'NoDeleteGroup', policyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Keep', Effect: 'Deny', Action: 'iam:DeleteGroup', Resource: '*' }] }) }, f.root());
    await attachPolicy(f.deps, { kind: 'user', entityName: 'bob', policyArn: p.arn }, f.root());
    const denied = await authorizer.authorize(bobCtx, { action: 'iam:DeleteGroup', resource: '*', context: {} });
    expect(denied.decision).toMatchObject({ effect: 'explicitDeny', reason: { kind: 'explicitDeny', layer: 'identity' } });
    expect(denied.decision.decidedBy).toEqual([expect.objectContaining({ policyName: 'NoDeleteGroup', statementIndex: 0, sid: 'Keep', effect: 'Deny' })]);
    expect(denied.evaluated).toMatchObject({ action: 'iam:DeleteGroup', resource: '*', principal: { arn: bob.arn } });
    const allowed = await authorizer.authorize(f.root(), { action: 'iam:DeleteGroup', resource: carol, context: {} });
    expect(allowed.decision.effect).toBe('allow');
  });

  it('honours the permissions boundary (customer or AWS-managed)', async () => {
    const b = await createPolicy(f.deps, { policyName: 'OnlyGets', policyDocument: allow('iam:Get*') }, f.root());
    await putPermissionsBoundary(f.deps, { kind: 'user', entityName: 'bob', permissionsBoundary: b.arn }, f.root());
    expect(await failure(() => ask(bobCtx, 'iam:CreateUser', carol))).toEqual({
      code: 'AccessDenied',
      message: `User: arn:aws:iam::${ACCOUNT_ID}:user/eng/bob is not authorized to perform: iam:CreateUser on resource: ${carol} because no permissions boundary allows the iam:CreateUser action`,
    });
    await expect(ask(bobCtx, 'iam:GetUser', carol)).resolves.toEqual({ allowed: true });
    await putPermissionsBoundary(f.deps, { kind: 'user', entityName: 'bob', permissionsBoundary: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }, f.root());
    await expect(ask(bobCtx, 'iam:ListUsers', '*')).resolves.toEqual({ allowed: true });
    expect(await failure(() => ask(bobCtx, 'iam:CreateUser', carol))).toMatchObject({ code: 'AccessDenied' });
    await deletePermissionsBoundary(f.deps, { kind: 'user', entityName: 'bob' }, f.root());
    await expect(ask(bobCtx, 'iam:CreateUser', carol)).resolves.toEqual({ allowed: true });
  });

  it('grants through AWS-managed policies and evaluates conditions on principal tags, source IP and MFA', async () => {
    const dana = (await createUser(f.deps, { userName: 'dana' }, f.root())).user;
    const ctx = f.as(dana);
    await attachPolicy(f.deps, { kind: 'user', entityName: 'dana', policyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }, f.root());
    await expect(ask(ctx, 'iam:GetRole', `arn:aws:iam::${ACCOUNT_ID}:role/r`)).resolves.toEqual({ allowed: true });
    expect(await failure(() => ask(ctx, 'iam:DeleteRole', `arn:aws:iam::${ACCOUNT_ID}:role/r`))).toMatchObject({ code: 'AccessDenied' });

    await putInlinePolicy(
      f.deps,
      {
        kind: 'user',
        entityName: 'dana',
        policyName: 'tagged',
        policyDocument: allow('iam:TagRole', '*', { Condition: { StringEquals: { 'aws:PrincipalTag/team': 'blue' }, IpAddress: { 'aws:SourceIp': '10.0.0.0/8' }, Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }),
      },
      f.root(),
    );
    const role = `arn:aws:iam::${ACCOUNT_ID}:role/r`;
    const good = { 'aws:SourceIp': '10.1.2.3', 'aws:MultiFactorAuthPresent': 'true' };
    expect(await failure(() => ask(ctx, 'iam:TagRole', role, good))).toMatchObject({ code: 'AccessDenied' });
    await tagUser(f.deps, { userName: 'dana', tags: [{ key: 'team', value: 'blue' }] }, f.root());
    await expect(ask(ctx, 'iam:TagRole', role, good)).resolves.toEqual({ allowed: true });
    expect(await failure(() => ask(ctx, 'iam:TagRole', role, { ...good, 'aws:SourceIp': '192.0.2.1' }))).toMatchObject({ code: 'AccessDenied' });
    expect(await failure(() => ask(ctx, 'iam:TagRole', role, { 'aws:SourceIp': '10.1.2.3' }))).toMatchObject({ code: 'AccessDenied' });
  });

  it('reads AWS-managed policies as in the caller account but refuses writes to them', async () => {
    const erin = (await createUser(f.deps, { userName: 'erin' }, f.root())).user;
    await putInlinePolicy(f.deps, { kind: 'user', entityName: 'erin', policyName: 'all', policyDocument: allow('iam:*') }, f.root());
    const admin = 'arn:aws:iam::aws:policy/AdministratorAccess';
    await expect(ask(f.as(erin), 'iam:GetPolicy', admin)).resolves.toEqual({ allowed: true });
    expect(await failure(() => ask(f.as(erin), 'iam:DeletePolicy', admin))).toMatchObject({ code: 'AccessDenied' });
  });

  it('compiles each policy once: repeated requests compile nothing', async () => {
    await ask(bobCtx, 'iam:CreateUser', carol);
    const before = authorizer.cache.compileCount;
    for (let i = 0; i < 20; i++) await ask(bobCtx, 'iam:CreateUser', `${carol}${i}`);
    expect(authorizer.cache.compileCount).toBe(before);
  });

  it('denies a user of another account in this account, even with a policy granting everything', async () => {
    await f.deps.store.createAccount({ id: '210987654321', createDate: new Date('2026-01-01T00:00:00Z') });
    const otherRoot = f.ctx({ ...rootPrincipal('210987654321'), accessKeyId: 'AKIAOTHERROOT0000001' });
    const mallory = (await createUser(f.deps, { userName: 'mallory' }, otherRoot)).user;
    await putInlinePolicy(f.deps, { kind: 'user', entityName: 'mallory', policyName: 'all', policyDocument: allow('*') }, otherRoot);
    const asMallory = f.ctx({ type: 'IAMUser', accountId: '210987654321', arn: mallory.arn, principalId: mallory.id, userName: 'mallory', mfaAuthenticated: false });
    await expect(ask(asMallory, 'iam:GetUser', 'arn:aws:iam::210987654321:user/mallory')).resolves.toEqual({ allowed: true });
    expect(await failure(() => ask(asMallory, 'iam:GetUser', carol))).toEqual({
      code: 'AccessDenied',
      message: `User: arn:aws:iam::210987654321:user/mallory is not authorized to perform: iam:GetUser on resource: ${carol} because no resource-based policy allows the iam:GetUser action`,
    });
  });

  it('authorizes role sessions with the role policies, its boundary, session policies and session tags', async () => {
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
    const { role } = await createRole(f.deps, { roleName: 'worker', assumeRolePolicyDocument: trust }, f.root());
    await putInlinePolicy(f.deps, { kind: 'role', entityName: 'worker', policyName: 'iam', policyDocument: allow('iam:*') }, f.root());
    const session = (policies?: string[], tags?: Record<string, string>) =>
      f.ctx({
        type: 'AssumedRole',
        accountId: ACCOUNT_ID,
        arn: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/worker/s1`,
        principalId: `${role.id}:s1`,
        mfaAuthenticated: false,
        session: {
          issuerArn: role.arn,
          issuerType: 'Role',
          issuerName: 'worker',
          issuerPrincipalId: role.id,
          sessionName: 's1',
          createdAt: new Date('2026-05-06T07:00:00Z'),
          expiresAt: new Date('2026-05-06T08:00:00Z'),
          mfaAuthenticated: false,
          ...(policies ? { policies } : {}),
          ...(tags ? { tags } : {}),
        },
      });
    await expect(ask(session(), 'iam:CreateUser', carol)).resolves.toEqual({ allowed: true });
    expect(await failure(() => ask(session([allow('iam:Get*')]), 'iam:CreateUser', carol))).toMatchObject({ message: expect.stringContaining('because no session policy allows the iam:CreateUser action') });
    await expect(ask(session([allow('iam:Get*')]), 'iam:GetUser', carol)).resolves.toEqual({ allowed: true });
    await putInlinePolicy(f.deps, { kind: 'role', entityName: 'worker', policyName: 'tagged', policyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'iam:DeleteUser', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/stage': 'prod' } } }] }) }, f.root());
    await expect(ask(session(undefined, { stage: 'dev' }), 'iam:DeleteUser', carol)).resolves.toEqual({ allowed: true });
    expect(await failure(() => ask(session(undefined, { stage: 'prod' }), 'iam:DeleteUser', carol))).toMatchObject({ code: 'AccessDenied' });
    await putPermissionsBoundary(f.deps, { kind: 'role', entityName: 'worker', permissionsBoundary: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }, f.root());
    expect(await failure(() => ask(session(), 'iam:CreateUser', carol))).toMatchObject({ message: expect.stringContaining('because no permissions boundary allows') });
  });

  it('denies a caller whose user no longer exists', async () => {
    const ghost = { ...bob, id: 'AIDAGHOSTGHOSTGHOST12', arn: `arn:aws:iam::${ACCOUNT_ID}:user/ghost`, name: 'ghost' };
    expect(await failure(() => ask(f.as(ghost), 'iam:GetUser', carol))).toMatchObject({ code: 'AccessDenied' });
    expect(rootPrincipal(ACCOUNT_ID).type).toBe('Root');
  });
});
