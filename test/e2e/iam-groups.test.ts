import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateUserCommand,
  DeleteGroupCommand,
  DeleteGroupPolicyCommand,
  DeleteUserCommand,
  DetachGroupPolicyCommand,
  GetGroupCommand,
  ListGroupsCommand,
  ListGroupsForUserCommand,
  ListUsersCommand,
  PutGroupPolicyCommand,
  RemoveUserFromGroupCommand,
  UpdateGroupCommand,
  paginateGetGroup,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkError } from './helpers/aws-clients.js';
import { E2E_ACCOUNT_ID, startTestCastellan } from './helpers/castellan.js';

type Server = Awaited<ReturnType<typeof startTestCastellan>>;

describe('IAM groups over the wire', () => {
  let s: Server;
  let iam: IAMClient;
  beforeAll(async () => {
    s = await startTestCastellan();
    iam = s.iam();
  });
  afterAll(() => s.dispose());

  it('lives a whole life: create with path, members, rename and move, remove members, delete', async () => {
    const { Group } = await iam.send(new CreateGroupCommand({ GroupName: 'Devs', Path: '/eng/' }));
    expect(Group).toMatchObject({ GroupName: 'Devs', Path: '/eng/', Arn: `arn:aws:iam::${E2E_ACCOUNT_ID}:group/eng/Devs` });
    expect(Group!.GroupId).toMatch(/^AGPA[A-Z2-7]{17}$/);
    for (const n of ['dev-a', 'dev-b']) {
      await iam.send(new CreateUserCommand({ UserName: n }));
      await iam.send(new AddUserToGroupCommand({ GroupName: 'devs', UserName: n }));
    }
    await iam.send(new AddUserToGroupCommand({ GroupName: 'Devs', UserName: 'dev-a' }));
    const got = await iam.send(new GetGroupCommand({ GroupName: 'Devs' }));
    expect(got.Group!.GroupName).toBe('Devs');
    expect(got.Users!.map((u) => u.UserName)).toEqual(['dev-a', 'dev-b']);
    expect((await iam.send(new ListGroupsForUserCommand({ UserName: 'dev-a' }))).Groups!.map((g) => g.GroupName)).toEqual(['Devs']);

    await iam.send(new UpdateGroupCommand({ GroupName: 'Devs', NewGroupName: 'Engineers', NewPath: '/all/' }));
    const moved = await iam.send(new GetGroupCommand({ GroupName: 'engineers' }));
    expect(moved.Group!.Arn).toBe(`arn:aws:iam::${E2E_ACCOUNT_ID}:group/all/Engineers`);
    expect(moved.Users).toHaveLength(2);

    expect(await sdkError(() => iam.send(new DeleteGroupCommand({ GroupName: 'Engineers' })))).toMatchObject({
      name: 'DeleteConflictException',
      status: 409,
      message: 'Cannot delete entity, must remove users from group first.',
    });
    expect(await sdkError(() => iam.send(new DeleteUserCommand({ UserName: 'dev-a' })))).toMatchObject({
      name: 'DeleteConflictException',
      message: 'Cannot delete entity, must remove users from group first.',
    });
    for (const n of ['dev-a', 'dev-b']) await iam.send(new RemoveUserFromGroupCommand({ GroupName: 'Engineers', UserName: n }));
    expect(await sdkError(() => iam.send(new RemoveUserFromGroupCommand({ GroupName: 'Engineers', UserName: 'dev-a' })))).toMatchObject({ name: 'NoSuchEntityException', status: 404 });
    await iam.send(new DeleteGroupCommand({ GroupName: 'Engineers' }));
    expect(await sdkError(() => iam.send(new GetGroupCommand({ GroupName: 'Engineers' })))).toMatchObject({
      name: 'NoSuchEntityException',
      message: 'The group with name Engineers cannot be found.',
    });
  });

  it.each([
    { name: 'duplicate group', call: () => new CreateGroupCommand({ GroupName: 'DUPE' }), error: 'EntityAlreadyExistsException', status: 409, message: 'Group with name DUPE already exists.' },
    { name: 'unknown group', call: () => new AddUserToGroupCommand({ GroupName: 'none', UserName: 'x' }), error: 'NoSuchEntityException', status: 404, message: 'The group with name none cannot be found.' },
    { name: 'unknown user', call: () => new AddUserToGroupCommand({ GroupName: 'dupe', UserName: 'nobody' }), error: 'NoSuchEntityException', status: 404, message: 'The user with name nobody cannot be found.' },
    { name: 'invalid group name', call: () => new CreateGroupCommand({ GroupName: 'no spaces' }), error: 'ValidationError', status: 400, message: /groupName/ },
  ])('answers $name with $error', async ({ call, error, status, message }) => {
    if (!(await s.server.store.getGroupByName(E2E_ACCOUNT_ID, 'dupe'))) await iam.send(new CreateGroupCommand({ GroupName: 'dupe' }));
    const err = await sdkError(() => iam.send(call() as never));
    expect(err).toMatchObject({ name: error, status });
    expect(err.message).toMatch(message);
  });

  it('pages GetGroup members and ListGroups, filters by PathPrefix', async () => {
    await iam.send(new CreateGroupCommand({ GroupName: 'big', Path: '/paging/' }));
    await iam.send(new CreateGroupCommand({ GroupName: 'small', Path: '/paging/' }));
    for (let i = 0; i < 5; i++) {
      await iam.send(new CreateUserCommand({ UserName: `member-${i}` }));
      await iam.send(new AddUserToGroupCommand({ GroupName: 'big', UserName: `member-${i}` }));
    }
    const first = await iam.send(new GetGroupCommand({ GroupName: 'big', MaxItems: 2 }));
    expect(first.IsTruncated).toBe(true);
    const names: string[] = [];
    for await (const page of paginateGetGroup({ client: iam, pageSize: 2 }, { GroupName: 'big' })) names.push(...page.Users!.map((u) => u.UserName!));
    expect(names).toEqual(['member-0', 'member-1', 'member-2', 'member-3', 'member-4']);
    const groups = await iam.send(new ListGroupsCommand({ PathPrefix: '/paging/', MaxItems: 1 }));
    expect(groups.Groups!.map((g) => g.GroupName)).toEqual(['big']);
    const next = await iam.send(new ListGroupsCommand({ PathPrefix: '/paging/', MaxItems: 1, Marker: groups.Marker }));
    expect(next.Groups!.map((g) => g.GroupName)).toEqual(['small']);
    expect(next.IsTruncated).toBe(false);
  });

  it('refuses a user joining an 11th group with LimitExceeded', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'joiner' }));
    for (let i = 0; i < 10; i++) {
      await iam.send(new CreateGroupCommand({ GroupName: `limit-${i}` }));
      await iam.send(new AddUserToGroupCommand({ GroupName: `limit-${i}`, UserName: 'joiner' }));
    }
    await iam.send(new CreateGroupCommand({ GroupName: 'limit-10' }));
    expect(await sdkError(() => iam.send(new AddUserToGroupCommand({ GroupName: 'limit-10', UserName: 'joiner' })))).toMatchObject({
      name: 'LimitExceededException',
      status: 409,
      message: 'Cannot exceed quota for GroupsPerUser: 10',
    });
  });

  it('DeleteGroup answers DeleteConflict while policies remain', async () => {
    await iam.send(new CreateGroupCommand({ GroupName: 'with-policies' }));
    await iam.send(new PutGroupPolicyCommand({ GroupName: 'with-policies', PolicyName: 'p', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' }] }) }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'with-policies', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }));
    expect((await sdkError(() => iam.send(new DeleteGroupCommand({ GroupName: 'with-policies' })))).message).toBe('Cannot delete entity, must delete policies first.');
    await iam.send(new DeleteGroupPolicyCommand({ GroupName: 'with-policies', PolicyName: 'p' }));
    expect((await sdkError(() => iam.send(new DeleteGroupCommand({ GroupName: 'with-policies' })))).message).toBe('Cannot delete entity, must detach all policies first.');
    await iam.send(new DetachGroupPolicyCommand({ GroupName: 'with-policies', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }));
    await iam.send(new DeleteGroupCommand({ GroupName: 'with-policies' }));
  });

  it('a user with no policy is denied, is allowed once a group grants the action, and denied again when removed', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'grantee' }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'grantee' }));
    const client = s.iam({ accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! });
    const denied = await sdkError(() => client.send(new ListUsersCommand({})));
    expect(denied).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(denied.message).toBe(`User: arn:aws:iam::${E2E_ACCOUNT_ID}:user/grantee is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::${E2E_ACCOUNT_ID}:user/ because no identity-based policy allows the iam:ListUsers action`);
    await iam.send(new CreateGroupCommand({ GroupName: 'readers' }));
    await iam.send(new PutGroupPolicyCommand({ GroupName: 'readers', PolicyName: 'list', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' }] }) }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'readers', UserName: 'grantee' }));
    expect((await client.send(new ListUsersCommand({}))).Users!.length).toBeGreaterThan(0);
    await iam.send(new RemoveUserFromGroupCommand({ GroupName: 'readers', UserName: 'grantee' }));
    expect(await sdkError(() => client.send(new ListUsersCommand({})))).toMatchObject({ name: 'AccessDenied' });
  });
});
