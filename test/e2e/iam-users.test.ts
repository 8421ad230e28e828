import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateLoginProfileCommand,
  CreateUserCommand,
  DeleteLoginProfileCommand,
  DeleteUserCommand,
  DeleteUserPolicyCommand,
  DetachUserPolicyCommand,
  GetLoginProfileCommand,
  GetUserCommand,
  ListUsersCommand,
  ListUserTagsCommand,
  PutUserPolicyCommand,
  TagUserCommand,
  UntagUserCommand,
  UpdateLoginProfileCommand,
  UpdateUserCommand,
  paginateListUsers,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkError } from './helpers/aws-clients.js';
import { E2E_ACCOUNT_ID, startTestCastellan } from './helpers/castellan.js';

type Server = Awaited<ReturnType<typeof startTestCastellan>>;

describe('IAM users over the wire', () => {
  let s: Server;
  let iam: IAMClient;
  beforeAll(async () => {
    s = await startTestCastellan();
    iam = s.iam();
  });
  afterAll(() => s.dispose());

  /** A user with its own access key and an inline policy (when given), and a client signed with that key. */
  async function userClient(name: string, policy?: object): Promise<IAMClient> {
    await iam.send(new CreateUserCommand({ UserName: name }));
    if (policy) await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'p', PolicyDocument: JSON.stringify(policy) }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
    return s.iam({ accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! });
  }

  it('lives a whole life: create with path and tags, get, rename and move, tag, untag, delete', async () => {
    const created = await iam.send(new CreateUserCommand({ UserName: 'Alice', Path: '/eng/', Tags: [{ Key: 'team', Value: 'core' }] }));
    expect(created.User).toMatchObject({ UserName: 'Alice', Path: '/eng/', Arn: `arn:aws:iam::${E2E_ACCOUNT_ID}:user/eng/Alice`, Tags: [{ Key: 'team', Value: 'core' }] });
    expect(created.User!.UserId).toMatch(/^AIDA[A-Z2-7]{17}$/);
    expect(created.User!.CreateDate).toBeInstanceOf(Date);

    const got = await iam.send(new GetUserCommand({ UserName: 'alice' }));
    expect(got.User).toMatchObject({ UserName: 'Alice', UserId: created.User!.UserId, Tags: [{ Key: 'team', Value: 'core' }] });

    await iam.send(new UpdateUserCommand({ UserName: 'Alice', NewUserName: 'Alicia', NewPath: '/ops/' }));
    expect((await iam.send(new GetUserCommand({ UserName: 'Alicia' }))).User!.Arn).toBe(`arn:aws:iam::${E2E_ACCOUNT_ID}:user/ops/Alicia`);

    await iam.send(new TagUserCommand({ UserName: 'Alicia', Tags: [{ Key: 'Team', Value: 'platform' }, { Key: 'env', Value: 'prod' }] }));
    await iam.send(new UntagUserCommand({ UserName: 'Alicia', TagKeys: ['ENV', 'absent'] }));
    expect((await iam.send(new ListUserTagsCommand({ UserName: 'Alicia' }))).Tags).toEqual([{ Key: 'Team', Value: 'platform' }]);

    await iam.send(new DeleteUserCommand({ UserName: 'Alicia' }));
    const gone = await sdkError(() => iam.send(new GetUserCommand({ UserName: 'Alicia' })));
    expect(gone).toMatchObject({ name: 'NoSuchEntityException', message: 'The user with name Alicia cannot be found.', status: 404 });
  });

  it.each([
    { name: 'duplicate name', setup: 'dup', input: { UserName: 'DUP' }, error: 'EntityAlreadyExistsException', status: 409, message: 'User with name DUP already exists.' },
    { name: 'invalid name', input: { UserName: 'bad name!' }, error: 'ValidationError', status: 400, message: /userName/ },
    { name: 'invalid path', input: { UserName: 'pathless', Path: 'no-slashes' }, error: 'ValidationError', status: 400, message: /path/ },
    { name: 'missing boundary policy', input: { UserName: 'bounded', PermissionsBoundary: `arn:aws:iam::${E2E_ACCOUNT_ID}:policy/none` }, error: 'NoSuchEntityException', status: 404, message: /does not exist or is not attachable/ },
    { name: 'duplicate tag keys', input: { UserName: 'tags', Tags: [{ Key: 'a', Value: '1' }, { Key: 'A', Value: '2' }] }, error: 'InvalidInputException', status: 400, message: /Duplicate tag keys/ },
  ])('CreateUser answers $name with $error', async ({ setup, input, error, status, message }) => {
    if (setup) await iam.send(new CreateUserCommand({ UserName: setup }));
    const err = await sdkError(() => iam.send(new CreateUserCommand(input)));
    expect(err).toMatchObject({ name: error, status });
    expect(err.message).toMatch(message);
  });

  it('accepts an AWS-managed policy as permissions boundary and reports it', async () => {
    const arn = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
    const { User } = await iam.send(new CreateUserCommand({ UserName: 'bounded-ok', PermissionsBoundary: arn }));
    expect(User!.PermissionsBoundary).toEqual({ PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: arn });
    expect((await iam.send(new GetUserCommand({ UserName: 'bounded-ok' }))).User!.PermissionsBoundary?.PermissionsBoundaryArn).toBe(arn);
  });

  it('GetUser without a name answers the caller (the root, or the signing user, authorized on its own ARN)', async () => {
    const root = await iam.send(new GetUserCommand({}));
    expect(root.User).toMatchObject({ UserId: E2E_ACCOUNT_ID, Arn: `arn:aws:iam::${E2E_ACCOUNT_ID}:root` });
    expect(root.User!.UserName).toBeUndefined();
    const bare = await userClient('self-bare');
    expect(await sdkError(() => bare.send(new GetUserCommand({})))).toMatchObject({ name: 'AccessDenied', message: expect.stringContaining(`on resource: arn:aws:iam::${E2E_ACCOUNT_ID}:user/self-bare`) });
    const bob = await userClient('self-bob', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: 'arn:aws:iam::*:user/${aws:username}' }] });
    expect((await bob.send(new GetUserCommand({}))).User!.UserName).toBe('self-bob');
  });

  it('pages ListUsers with Marker/MaxItems and filters by PathPrefix', async () => {
    for (let i = 0; i < 5; i++) await iam.send(new CreateUserCommand({ UserName: `page-${i}`, Path: '/paging/' }));
    const first = await iam.send(new ListUsersCommand({ PathPrefix: '/paging/', MaxItems: 2 }));
    expect(first.Users!.map((u) => u.UserName)).toEqual(['page-0', 'page-1']);
    expect(first.IsTruncated).toBe(true);
    expect(first.Marker).toBeTruthy();
    const names: string[] = [];
    for await (const page of paginateListUsers({ client: iam, pageSize: 2 }, { PathPrefix: '/paging/' })) names.push(...page.Users!.map((u) => u.UserName!));
    expect(names).toEqual(['page-0', 'page-1', 'page-2', 'page-3', 'page-4']);
    const all = await iam.send(new ListUsersCommand({ PathPrefix: '/paging/' }));
    expect(all.IsTruncated).toBe(false);
    expect(all.Users![0]!.Tags).toBeUndefined();
    expect(await sdkError(() => iam.send(new ListUsersCommand({ MaxItems: 0 })))).toMatchObject({ name: 'ValidationError', status: 400 });
  });

  it('DeleteUser answers DeleteConflict while a login profile, keys or policies remain', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'sticky' }));
    await iam.send(new CreateLoginProfileCommand({ UserName: 'sticky', Password: 'Sup3r-Secret!' }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'sticky', PolicyName: 'inline', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }] }) }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'sticky', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
    const conflict = async () => sdkError(() => iam.send(new DeleteUserCommand({ UserName: 'sticky' })));
    expect(await conflict()).toMatchObject({ name: 'DeleteConflictException', status: 409, message: 'Cannot delete entity, must delete login profile first.' });
    await iam.send(new DeleteLoginProfileCommand({ UserName: 'sticky' }));
    expect((await conflict()).message).toBe('Cannot delete entity, must delete policies first.');
    await iam.send(new DeleteUserPolicyCommand({ UserName: 'sticky', PolicyName: 'inline' }));
    expect((await conflict()).message).toBe('Cannot delete entity, must detach all policies first.');
    await iam.send(new DetachUserPolicyCommand({ UserName: 'sticky', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
    await iam.send(new DeleteUserCommand({ UserName: 'sticky' }));
  });

  it('login profiles: create, get, update, delete; the password is never returned', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'console' }));
    const created = await iam.send(new CreateLoginProfileCommand({ UserName: 'console', Password: 'Corr3ct-Horse!', PasswordResetRequired: true }));
    expect(created.LoginProfile).toMatchObject({ UserName: 'console', PasswordResetRequired: true });
    expect(JSON.stringify(created)).not.toContain('Corr3ct-Horse!');
    expect(await sdkError(() => iam.send(new CreateLoginProfileCommand({ UserName: 'console', Password: 'Corr3ct-Horse!' })))).toMatchObject({
      name: 'EntityAlreadyExistsException',
      message: 'Login Profile for user console already exists.',
    });
    await iam.send(new UpdateLoginProfileCommand({ UserName: 'console', PasswordResetRequired: false }));
    expect((await iam.send(new GetLoginProfileCommand({ UserName: 'console' }))).LoginProfile!.PasswordResetRequired).toBe(false);
    const weak = await sdkError(() => iam.send(new UpdateLoginProfileCommand({ UserName: 'console', Password: 'qwqwqwqwqw' })));
    expect(weak).toMatchObject({ name: 'PasswordPolicyViolationException', status: 400 });
    expect(weak.message).not.toContain('qwqwqwqwqw');
    await iam.send(new DeleteLoginProfileCommand({ UserName: 'console' }));
    expect(await sdkError(() => iam.send(new GetLoginProfileCommand({ UserName: 'console' })))).toMatchObject({
      name: 'NoSuchEntityException',
      message: 'Login Profile for User console cannot be found.',
      status: 404,
    });
    const audit = await s.server.store.scanAuditEvents({ fromSeq: 0, limit: 100_000 });
    expect(audit.filter((e) => e.eventName === 'CreateLoginProfile').length).toBeGreaterThan(0);
    expect(audit.some((e) => e.recordJson.includes('Corr3ct-Horse!') || e.recordJson.includes('qwqwqwqwqw'))).toBe(false);
  });

  it('enforces policies on the user ARN with its path and on resource tags', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'target', Path: '/team-a/', Tags: [{ Key: 'owner', Value: 'ann' }] }));
    await iam.send(new CreateUserCommand({ UserName: 'elsewhere', Path: '/team-b/' }));
    const noPolicy = await userClient('nobody');
    const denied = await sdkError(() => noPolicy.send(new GetUserCommand({ UserName: 'target' })));
    expect(denied).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(denied.message).toContain(`on resource: arn:aws:iam::${E2E_ACCOUNT_ID}:user/team-a/target`);

    const pathScoped = await userClient('team-reader', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: `arn:aws:iam::${E2E_ACCOUNT_ID}:user/team-a/*` }] });
    expect((await pathScoped.send(new GetUserCommand({ UserName: 'target' }))).User!.UserName).toBe('target');
    expect(await sdkError(() => pathScoped.send(new GetUserCommand({ UserName: 'elsewhere' })))).toMatchObject({ name: 'AccessDenied' });

    const tagScoped = await userClient('tag-reader', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:ListUserTags', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/owner': 'ann' } } }] });
    expect((await tagScoped.send(new ListUserTagsCommand({ UserName: 'target' }))).Tags).toEqual([{ Key: 'owner', Value: 'ann' }]);
    expect(await sdkError(() => tagScoped.send(new ListUserTagsCommand({ UserName: 'elsewhere' })))).toMatchObject({ name: 'AccessDenied' });

    const creator = await userClient('tag-creator', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:CreateUser', 'iam:TagUser'], Resource: '*', Condition: { StringEquals: { 'aws:RequestTag/team': 'a' } } }] });
    await creator.send(new CreateUserCommand({ UserName: 'made-by-creator', Tags: [{ Key: 'team', Value: 'a' }] }));
    expect(await sdkError(() => creator.send(new CreateUserCommand({ UserName: 'not-allowed', Tags: [{ Key: 'team', Value: 'b' }] })))).toMatchObject({ name: 'AccessDenied' });
  });
});
