import {
  AddUserToGroupCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateAccountAliasCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteAccountAliasCommand,
  GetAccountAuthorizationDetailsCommand,
  GetAccountSummaryCommand,
  ListAccountAliasesCommand,
  PutGroupPolicyCommand,
  PutUserPolicyCommand,
  paginateGetAccountAuthorizationDetails,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkError } from './helpers/aws-clients.js';
import { E2E_ACCOUNT_ID, startTestCastellan } from './helpers/castellan.js';

type Server = Awaited<ReturnType<typeof startTestCastellan>>;

const doc = (action: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });
const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

describe('IAM account operations over the wire', () => {
  let s: Server;
  let iam: IAMClient;
  beforeAll(async () => {
    s = await startTestCastellan();
    iam = s.iam();
  });
  afterAll(() => s.dispose());

  it('GetAccountSummary reports every SummaryMap key with counts and quotas', async () => {
    const before = (await iam.send(new GetAccountSummaryCommand({}))).SummaryMap!;
    for (const k of ['Users', 'UsersQuota', 'Groups', 'GroupsQuota', 'Policies', 'PoliciesQuota', 'AccountMFAEnabled', 'AccountAccessKeysPresent', 'AccountSigningCertificatesPresent', 'MFADevices', 'MFADevicesInUse', 'AccessKeysPerUserQuota', 'GroupsPerUserQuota', 'PolicyVersionsInUse', 'PolicyVersionsInUseQuota', 'VersionsPerPolicyQuota', 'GlobalEndpointTokenVersion', 'ServerCertificates', 'ServerCertificatesQuota', 'Roles', 'RolesQuota']) {
      expect(before, k).toHaveProperty(k);
    }
    expect(before).toMatchObject({ Users: 0, Groups: 0, AccountAccessKeysPresent: 1, AccountMFAEnabled: 0, UsersQuota: 5000, GroupsQuota: 300, AccessKeysPerUserQuota: 2, VersionsPerPolicyQuota: 5 });
    await iam.send(new CreateUserCommand({ UserName: 'counted' }));
    await iam.send(new CreateGroupCommand({ GroupName: 'counted' }));
    await iam.send(new CreatePolicyCommand({ PolicyName: 'counted', PolicyDocument: doc('iam:GetUser') }));
    expect((await iam.send(new GetAccountSummaryCommand({}))).SummaryMap).toMatchObject({ Users: 1, Groups: 1, Policies: 1 });
  });

  it('account alias: create, list, replace, delete; AWS pattern enforced', async () => {
    expect((await iam.send(new ListAccountAliasesCommand({}))).AccountAliases).toEqual([]);
    await iam.send(new CreateAccountAliasCommand({ AccountAlias: 'example-corp' }));
    expect((await iam.send(new ListAccountAliasesCommand({}))).AccountAliases).toEqual(['example-corp']);
    await iam.send(new CreateAccountAliasCommand({ AccountAlias: 'example-corp-2' }));
    expect((await iam.send(new ListAccountAliasesCommand({}))).AccountAliases).toEqual(['example-corp-2']);
    for (const bad of ['Upper', 'a--b', '-start', 'ab']) {
      expect(await sdkError(() => iam.send(new CreateAccountAliasCommand({ AccountAlias: bad })))).toMatchObject({ name: 'ValidationError', status: 400 });
    }
    expect(await sdkError(() => iam.send(new DeleteAccountAliasCommand({ AccountAlias: 'example-corp' })))).toMatchObject({
      name: 'NoSuchEntityException',
      status: 404,
      message: 'The account alias example-corp cannot be found.',
    });
    await iam.send(new DeleteAccountAliasCommand({ AccountAlias: 'example-corp-2' }));
    expect((await iam.send(new ListAccountAliasesCommand({}))).AccountAliases).toEqual([]);
  });

  it('GetAccountAuthorizationDetails: every kind with URL-encoded documents, filters and pages', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'auditee', Path: '/audit/', Tags: [{ Key: 'k', Value: 'v' }] }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'auditee', PolicyName: 'inline', PolicyDocument: doc('iam:GetUser') }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'auditee', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
    await iam.send(new CreateGroupCommand({ GroupName: 'auditors' }));
    await iam.send(new PutGroupPolicyCommand({ GroupName: 'auditors', PolicyName: 'g-inline', PolicyDocument: doc('iam:ListUsers') }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'auditors', UserName: 'auditee' }));
    await iam.send(new CreateRoleCommand({ RoleName: 'app', AssumeRolePolicyDocument: trust }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'app', PolicyArn: `arn:aws:iam::${E2E_ACCOUNT_ID}:policy/counted` }));

    const all = await iam.send(new GetAccountAuthorizationDetailsCommand({}));
    const user = all.UserDetailList!.find((u) => u.UserName === 'auditee')!;
    expect(user).toMatchObject({ Path: '/audit/', GroupList: ['auditors'], AttachedManagedPolicies: [{ PolicyName: 'ReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }], Tags: [{ Key: 'k', Value: 'v' }] });
    expect(JSON.parse(decodeURIComponent(user.UserPolicyList![0]!.PolicyDocument!))).toEqual(JSON.parse(doc('iam:GetUser')));
    const group = all.GroupDetailList!.find((g) => g.GroupName === 'auditors')!;
    expect(group.GroupPolicyList!.map((p) => p.PolicyName)).toEqual(['g-inline']);
    const role = all.RoleDetailList!.find((r) => r.RoleName === 'app')!;
    expect(JSON.parse(decodeURIComponent(role.AssumeRolePolicyDocument!))).toEqual(JSON.parse(trust));
    expect(role.AttachedManagedPolicies).toEqual([{ PolicyName: 'counted', PolicyArn: `arn:aws:iam::${E2E_ACCOUNT_ID}:policy/counted` }]);
    const local = all.Policies!.find((p) => p.PolicyName === 'counted')!;
    expect(local).toMatchObject({ AttachmentCount: 1, DefaultVersionId: 'v1', IsAttachable: true });
    expect(local.PolicyVersionList![0]).toMatchObject({ VersionId: 'v1', IsDefaultVersion: true });
    const aws = all.Policies!.find((p) => p.PolicyName === 'ReadOnlyAccess')!;
    expect(aws).toMatchObject({ Arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess', AttachmentCount: 1 });
    expect(decodeURIComponent(aws.PolicyVersionList![0]!.Document!)).toContain('Statement');

    const onlyRoles = await iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['Role'] }));
    expect(onlyRoles.UserDetailList).toEqual([]);
    expect(onlyRoles.Policies).toEqual([]);
    expect(onlyRoles.RoleDetailList!.map((r) => r.RoleName)).toEqual(['app']);

    const seen: string[] = [];
    for await (const page of paginateGetAccountAuthorizationDetails({ client: iam, pageSize: 1 }, {})) {
      seen.push(...page.UserDetailList!.map((u) => `user:${u.UserName}`), ...page.GroupDetailList!.map((g) => `group:${g.GroupName}`),
        ...page.RoleDetailList!.map((r) => `role:${r.RoleName}`), ...page.Policies!.map((p) => `policy:${p.PolicyName}`));
    }
    const expected = [...all.UserDetailList!.map((u) => `user:${u.UserName}`), ...all.GroupDetailList!.map((g) => `group:${g.GroupName}`),
      ...all.RoleDetailList!.map((r) => `role:${r.RoleName}`), ...all.Policies!.map((p) => `policy:${p.PolicyName}`)];
    expect(seen).toEqual(expected);
  });

  it('account operations are authorized on `*` and denied to a user without policy', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'no-rights' }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'no-rights' }));
    const client = s.iam({ accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! });
    for (const cmd of [new GetAccountSummaryCommand({}), new ListAccountAliasesCommand({}), new GetAccountAuthorizationDetailsCommand({})]) {
      const err = await sdkError(() => client.send(cmd as never));
      expect(err).toMatchObject({ name: 'AccessDenied', status: 403 });
      expect(err.message).toContain('on resource: * because');
    }
  });
});
