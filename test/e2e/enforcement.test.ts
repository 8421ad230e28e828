/**
 * Enforcement over the wire: every IAM call of an IAM user is decided by the engine with the
 * user's own, group and managed policies, its permissions boundary and the request's conditions,
 * with AWS's AccessDenied messages.
 */
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  DeleteUserPermissionsBoundaryCommand,
  DeleteUserPolicyCommand,
  DetachUserPolicyCommand,
  GetUserCommand,
  ListAccessKeysCommand,
  ListGroupsCommand,
  ListPoliciesCommand,
  ListRolesCommand,
  ListUsersCommand,
  PutGroupPolicyCommand,
  PutUserPermissionsBoundaryCommand,
  PutUserPolicyCommand,
  TagUserCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkError } from './helpers/aws-clients.js';
import { E2E_ACCOUNT_ID, startTestCastellan } from './helpers/castellan.js';

const A = `arn:aws:iam::${E2E_ACCOUNT_ID}`;
const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

describe('enforcement', () => {
  let s: Awaited<ReturnType<typeof startTestCastellan>>;
  let root: IAMClient;
  beforeAll(async () => {
    s = await startTestCastellan();
    root = s.iam();
  });
  afterAll(() => s?.dispose());

  async function userClient(name: string, path = '/'): Promise<IAMClient> {
    await root.send(new CreateUserCommand({ UserName: name, Path: path }));
    const { AccessKey } = await root.send(new CreateAccessKeyCommand({ UserName: name }));
    return s.iam({ accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! });
  }

  it('denies a user without policies, allows once a group grants, denies again on explicit Deny or boundary', async () => {
    const bob = await userClient('bob', '/eng/');
    const denied = await sdkError(() => bob.send(new CreateUserCommand({ UserName: 'carol' })));
    expect(denied).toMatchObject({
      name: 'AccessDenied',
      status: 403,
      message: `User: ${A}:user/eng/bob is not authorized to perform: iam:CreateUser on resource: ${A}:user/carol because no identity-based policy allows the iam:CreateUser action`,
    });

    await root.send(new CreateGroupCommand({ GroupName: 'creators' }));
    await root.send(new PutGroupPolicyCommand({ GroupName: 'creators', PolicyName: 'create', PolicyDocument: policy({ Effect: 'Allow', Action: ['iam:CreateUser', 'iam:GetUser'], Resource: '*' }) }));
    await root.send(new AddUserToGroupCommand({ GroupName: 'creators', UserName: 'bob' }));
    expect((await bob.send(new CreateUserCommand({ UserName: 'carol' }))).User!.UserName).toBe('carol');

    const deny = await root.send(new CreatePolicyCommand({ PolicyName: 'DenyCreate', PolicyDocument: policy({ Effect: 'Deny', Action: 'iam:CreateUser', Resource: '*' }) }));
    await root.send(new AttachUserPolicyCommand({ UserName: 'bob', PolicyArn: deny.Policy!.Arn }));
    expect(await sdkError(() => bob.send(new CreateUserCommand({ UserName: 'dave' })))).toMatchObject({
      name: 'AccessDenied',
      message: `User: ${A}:user/eng/bob is not authorized to perform: iam:CreateUser on resource: ${A}:user/dave with an explicit deny in an identity-based policy`,
    });
    await root.send(new DetachUserPolicyCommand({ UserName: 'bob', PolicyArn: deny.Policy!.Arn }));
    expect((await bob.send(new CreateUserCommand({ UserName: 'dave' }))).User!.UserName).toBe('dave');

    await root.send(new PutUserPermissionsBoundaryCommand({ UserName: 'bob', PermissionsBoundary: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }));
    expect(await sdkError(() => bob.send(new CreateUserCommand({ UserName: 'erin' })))).toMatchObject({
      name: 'AccessDenied',
      message: `User: ${A}:user/eng/bob is not authorized to perform: iam:CreateUser on resource: ${A}:user/erin because no permissions boundary allows the iam:CreateUser action`,
    });
    expect((await bob.send(new GetUserCommand({ UserName: 'carol' }))).User!.UserName).toBe('carol');
    await root.send(new DeleteUserPermissionsBoundaryCommand({ UserName: 'bob' }));
    expect((await bob.send(new CreateUserCommand({ UserName: 'erin' }))).User!.UserName).toBe('erin');
  });

  it('authorizes on resource ARNs with the entity real path', async () => {
    const ops = await userClient('ops');
    await root.send(new CreateUserCommand({ UserName: 'in-team', Path: '/team/' }));
    await root.send(new CreateUserCommand({ UserName: 'outside', Path: '/other/' }));
    await root.send(new PutUserPolicyCommand({ UserName: 'ops', PolicyName: 'team', PolicyDocument: policy({ Effect: 'Allow', Action: 'iam:GetUser', Resource: `${A}:user/team/*` }) }));
    expect((await ops.send(new GetUserCommand({ UserName: 'in-team' }))).User!.Path).toBe('/team/');
    expect(await sdkError(() => ops.send(new GetUserCommand({ UserName: 'outside' })))).toMatchObject({
      name: 'AccessDenied',
      message: expect.stringContaining(`on resource: ${A}:user/other/outside because`),
    });
    // Without a name, GetUser acts on the caller itself.
    expect(await sdkError(() => ops.send(new GetUserCommand({})))).toMatchObject({ name: 'AccessDenied', message: expect.stringContaining(`on resource: ${A}:user/ops`) });
  });

  it('evaluates conditions: aws:SourceIp, aws:MultiFactorAuthPresent, principal and resource tags, request tags', async () => {
    const cond = await userClient('cond');
    // The test client connects from 127.0.0.1.
    await root.send(new PutUserPolicyCommand({ UserName: 'cond', PolicyName: 'ip', PolicyDocument: policy({ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '127.0.0.0/8' } } }) }));
    expect((await cond.send(new ListUsersCommand({}))).Users!.length).toBeGreaterThan(0);
    await root.send(new PutUserPolicyCommand({ UserName: 'cond', PolicyName: 'ip', PolicyDocument: policy({ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }) }));
    expect(await sdkError(() => cond.send(new ListUsersCommand({})))).toMatchObject({ name: 'AccessDenied' });

    // AWS's "deny unless MFA": long-term keys carry no aws:MultiFactorAuthPresent, so BoolIfExists denies.
    await root.send(
      new PutUserPolicyCommand({
        UserName: 'cond',
        PolicyName: 'ip',
        PolicyDocument: policy(
          { Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' },
          { Effect: 'Deny', Action: 'iam:ListUsers', Resource: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } },
        ),
      }),
    );
    expect(await sdkError(() => cond.send(new ListUsersCommand({})))).toMatchObject({ name: 'AccessDenied', message: expect.stringContaining('with an explicit deny') });
    await root.send(new DeleteUserPolicyCommand({ UserName: 'cond', PolicyName: 'ip' }));

    await root.send(new CreateUserCommand({ UserName: 'blue-target', Tags: [{ Key: 'team', Value: 'blue' }] }));
    await root.send(new CreateUserCommand({ UserName: 'red-target', Tags: [{ Key: 'team', Value: 'red' }] }));
    await root.send(
      new PutUserPolicyCommand({
        UserName: 'cond',
        PolicyName: 'tags',
        PolicyDocument: policy(
          { Effect: 'Allow', Action: 'iam:GetUser', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' } } },
          { Effect: 'Allow', Action: 'iam:TagUser', Resource: '*', Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env'] }, StringEquals: { 'aws:RequestTag/env': 'dev' } } },
        ),
      }),
    );
    expect(await sdkError(() => cond.send(new GetUserCommand({ UserName: 'blue-target' })))).toMatchObject({ name: 'AccessDenied' });
    await root.send(new TagUserCommand({ UserName: 'cond', Tags: [{ Key: 'team', Value: 'blue' }] }));
    expect((await cond.send(new GetUserCommand({ UserName: 'blue-target' }))).User!.UserName).toBe('blue-target');
    expect(await sdkError(() => cond.send(new GetUserCommand({ UserName: 'red-target' })))).toMatchObject({ name: 'AccessDenied' });
    await cond.send(new TagUserCommand({ UserName: 'red-target', Tags: [{ Key: 'env', Value: 'dev' }] }));
    expect(await sdkError(() => cond.send(new TagUserCommand({ UserName: 'red-target', Tags: [{ Key: 'env', Value: 'prod' }] })))).toMatchObject({ name: 'AccessDenied' });
    expect(await sdkError(() => cond.send(new TagUserCommand({ UserName: 'red-target', Tags: [{ Key: 'owner', Value: 'dev' }] })))).toMatchObject({ name: 'AccessDenied' });
  });

  it('resolves policy variables: a user may manage only its own keys with ${aws:username}', async () => {
    const self = await userClient('selfie');
    await root.send(new CreateUserCommand({ UserName: 'someone-else' }));
    await root.send(new PutUserPolicyCommand({ UserName: 'selfie', PolicyName: 'own-keys', PolicyDocument: policy({ Effect: 'Allow', Action: 'iam:*AccessKey*', Resource: `${A}:user/\${aws:username}` }) }));
    expect((await self.send(new ListAccessKeysCommand({ UserName: 'selfie' }))).AccessKeyMetadata).toHaveLength(1);
    expect((await self.send(new ListAccessKeysCommand({}))).AccessKeyMetadata).toHaveLength(1);
    expect(await sdkError(() => self.send(new ListAccessKeysCommand({ UserName: 'someone-else' })))).toMatchObject({
      name: 'AccessDenied',
      message: `User: ${A}:user/selfie is not authorized to perform: iam:ListAccessKeys on resource: ${A}:user/someone-else because no identity-based policy allows the iam:ListAccessKeys action`,
    });
  });

  it('grants through attached AWS-managed policies and iam:PolicyARN conditions', async () => {
    const admin = await userClient('delegate');
    await root.send(
      new PutUserPolicyCommand({
        UserName: 'delegate',
        PolicyName: 'attach-readonly-only',
        PolicyDocument: policy({ Effect: 'Allow', Action: 'iam:AttachUserPolicy', Resource: `${A}:user/*`, Condition: { ArnEquals: { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/ReadOnlyAccess' } } }),
      }),
    );
    await root.send(new CreateUserCommand({ UserName: 'target' }));
    await admin.send(new AttachUserPolicyCommand({ UserName: 'target', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
    expect(await sdkError(() => admin.send(new AttachUserPolicyCommand({ UserName: 'target', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' })))).toMatchObject({ name: 'AccessDenied' });

    const reader = await userClient('reader');
    await root.send(new AttachUserPolicyCommand({ UserName: 'reader', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }));
    expect((await reader.send(new ListUsersCommand({}))).Users!.length).toBeGreaterThan(0);
    expect(await sdkError(() => reader.send(new CreateUserCommand({ UserName: 'nope' })))).toMatchObject({ name: 'AccessDenied' });
    await root.send(new CreateGroupCommand({ GroupName: 'admins' }));
    await root.send(new AttachGroupPolicyCommand({ GroupName: 'admins', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
    await root.send(new AddUserToGroupCommand({ GroupName: 'admins', UserName: 'reader' }));
    expect((await reader.send(new CreateUserCommand({ UserName: 'nope' }))).User!.UserName).toBe('nope');
  });

  it('refuses the root of the account nothing in its own account, and a policy ARN of another account to anyone', async () => {
    expect((await root.send(new ListUsersCommand({}))).Users!.length).toBeGreaterThan(0);
    expect(await sdkError(() => root.send(new AttachUserPolicyCommand({ UserName: 'target', PolicyArn: 'arn:aws:iam::999999999999:policy/Foreign' })))).toMatchObject({
      name: 'NoSuchEntityException',
    });
  });

  it('authorizes listings on the path they list, as AWS names them: a policy scoped to a path lists that path only', async () => {
    const lister = await userClient('path-lister');
    await root.send(new CreateUserCommand({ UserName: 'ann', Path: '/division_abc/' }));
    await root.send(new PutUserPolicyCommand({
      UserName: 'path-lister', PolicyName: 'list-division',
      PolicyDocument: policy({ Effect: 'Allow', Action: ['iam:ListUsers', 'iam:ListGroups'], Resource: [`${A}:user/division_abc/*`, `${A}:group/*`] }),
    }));
    const listed = await lister.send(new ListUsersCommand({ PathPrefix: '/division_abc/' }));
    expect(listed.Users!.map((u) => u.UserName)).toEqual(['ann']);
    expect(await sdkError(() => lister.send(new ListUsersCommand({})))).toMatchObject({
      name: 'AccessDenied',
      message: `User: ${A}:user/path-lister is not authorized to perform: iam:ListUsers on resource: ${A}:user/ because no identity-based policy allows the iam:ListUsers action`,
    });
    expect((await lister.send(new ListGroupsCommand({}))).Groups).toBeDefined();
    expect(await sdkError(() => lister.send(new ListRolesCommand({ PathPrefix: '/svc/' })))).toMatchObject({
      message: `User: ${A}:user/path-lister is not authorized to perform: iam:ListRoles on resource: ${A}:role/svc/ because no identity-based policy allows the iam:ListRoles action`,
    });
    expect(await sdkError(() => lister.send(new ListPoliciesCommand({})))).toMatchObject({
      message: `User: ${A}:user/path-lister is not authorized to perform: iam:ListPolicies on resource: policy path / because no identity-based policy allows the iam:ListPolicies action`,
    });
  });
});
