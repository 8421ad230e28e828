/**
 * Roles over the wire with @aws-sdk/client-iam: the whole life of a role (trust policy, path,
 * description, MaxSessionDuration, boundary, tags), paging, and AWS's errors.
 */
import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePermissionsBoundaryCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  ListRolesCommand,
  ListRoleTagsCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  TagRoleCommand,
  UntagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
  UpdateRoleDescriptionCommand,
  paginateListRoles,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkError } from './helpers/aws-clients.js';
import { E2E_ACCOUNT_ID, startTestCastellan } from './helpers/castellan.js';

const trust = (service = 'ec2.amazonaws.com') => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] });
const A = `arn:aws:iam::${E2E_ACCOUNT_ID}`;

describe('IAM roles over the wire', () => {
  let s: Awaited<ReturnType<typeof startTestCastellan>>;
  let iam: IAMClient;
  beforeAll(async () => {
    s = await startTestCastellan();
    iam = s.iam();
  });
  afterAll(() => s?.dispose());

  it('lives a whole life: create, get, update, trust policy, boundary, tags, delete conflicts, delete', async () => {
    const created = await iam.send(
      new CreateRoleCommand({ RoleName: 'Web', Path: '/svc/', AssumeRolePolicyDocument: trust(), Description: 'web tier', MaxSessionDuration: 7200, Tags: [{ Key: 'env', Value: 'prod' }] }),
    );
    expect(created.Role).toMatchObject({ RoleName: 'Web', Path: '/svc/', Arn: `${A}:role/svc/Web`, Description: 'web tier', MaxSessionDuration: 7200, Tags: [{ Key: 'env', Value: 'prod' }] });
    expect(created.Role!.RoleId).toMatch(/^AROA[A-Z2-7]{17}$/);
    expect(decodeURIComponent(created.Role!.AssumeRolePolicyDocument!)).toBe(trust());

    const got = (await iam.send(new GetRoleCommand({ RoleName: 'web' }))).Role!;
    expect(got).toMatchObject({ RoleName: 'Web', MaxSessionDuration: 7200, RoleLastUsed: {} });
    await iam.send(new UpdateRoleCommand({ RoleName: 'Web', MaxSessionDuration: 43200, Description: 'updated' }));
    const described = await iam.send(new UpdateRoleDescriptionCommand({ RoleName: 'Web', Description: 'again' }));
    expect(described.Role).toMatchObject({ Description: 'again', MaxSessionDuration: 43200 });
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'Web', PolicyDocument: trust('lambda.amazonaws.com') }));
    expect(decodeURIComponent((await iam.send(new GetRoleCommand({ RoleName: 'Web' }))).Role!.AssumeRolePolicyDocument!)).toContain('lambda.amazonaws.com');

    await iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'Web', PermissionsBoundary: 'arn:aws:iam::aws:policy/PowerUserAccess' }));
    expect((await iam.send(new GetRoleCommand({ RoleName: 'Web' }))).Role!.PermissionsBoundary).toEqual({
      PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
      PermissionsBoundaryArn: 'arn:aws:iam::aws:policy/PowerUserAccess',
    });
    await iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: 'Web' }));

    await iam.send(new TagRoleCommand({ RoleName: 'Web', Tags: [{ Key: 'ENV', Value: 'dev' }, { Key: 'team', Value: 'a' }] }));
    await iam.send(new UntagRoleCommand({ RoleName: 'Web', TagKeys: ['team'] }));
    expect((await iam.send(new ListRoleTagsCommand({ RoleName: 'Web' }))).Tags).toEqual([{ Key: 'ENV', Value: 'dev' }]);

    await iam.send(new PutRolePolicyCommand({ RoleName: 'Web', PolicyName: 'p', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }) }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'Web', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
    expect(await sdkError(() => iam.send(new DeleteRoleCommand({ RoleName: 'Web' })))).toMatchObject({ name: 'DeleteConflictException', status: 409, message: 'Cannot delete entity, must delete policies first.' });
    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'Web', PolicyName: 'p' }));
    expect(await sdkError(() => iam.send(new DeleteRoleCommand({ RoleName: 'Web' })))).toMatchObject({ name: 'DeleteConflictException', message: 'Cannot delete entity, must detach all policies first.' });
    await iam.send(new DetachRolePolicyCommand({ RoleName: 'Web', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
    await iam.send(new DeleteRoleCommand({ RoleName: 'Web' }));
    expect(await sdkError(() => iam.send(new GetRoleCommand({ RoleName: 'Web' })))).toMatchObject({ name: 'NoSuchEntityException', status: 404, message: 'The role with name Web cannot be found.' });
  });

  it.each([
    ['a trust policy without Principal', { AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole' }] }) }, 'MalformedPolicyDocumentException'],
    ['an identity policy as trust policy', { AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }) }, 'MalformedPolicyDocumentException'],
    ['MaxSessionDuration below 3600', { AssumeRolePolicyDocument: trust(), MaxSessionDuration: 600 }, 'ValidationError'],
    ['MaxSessionDuration above 43200', { AssumeRolePolicyDocument: trust(), MaxSessionDuration: 50000 }, 'ValidationError'],
    ['a boundary that does not exist', { AssumeRolePolicyDocument: trust(), PermissionsBoundary: `${A}:policy/Nope` }, 'NoSuchEntityException'],
    ['a bad path', { AssumeRolePolicyDocument: trust(), Path: 'no-slashes' }, 'ValidationError'],
  ])('refuses %s', async (_what, input, name) => {
    expect(await sdkError(() => iam.send(new CreateRoleCommand({ RoleName: 'Bad', ...input })))).toMatchObject({ name });
  });

  it('refuses a duplicate name in any case, and pages ListRoles with PathPrefix', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'Dup', AssumeRolePolicyDocument: trust() }));
    expect(await sdkError(() => iam.send(new CreateRoleCommand({ RoleName: 'DUP', AssumeRolePolicyDocument: trust() })))).toMatchObject({
      name: 'EntityAlreadyExistsException',
      status: 409,
      message: 'Role with name DUP already exists.',
    });
    for (let i = 0; i < 5; i++) await iam.send(new CreateRoleCommand({ RoleName: `batch-${i}`, Path: '/batch/', AssumeRolePolicyDocument: trust() }));
    const first = await iam.send(new ListRolesCommand({ PathPrefix: '/batch/', MaxItems: 2 }));
    expect(first.Roles!.map((r) => r.RoleName)).toEqual(['batch-0', 'batch-1']);
    expect(first.IsTruncated).toBe(true);
    expect(first.Roles![0]!.Tags).toBeUndefined();
    const names: string[] = [];
    for await (const page of paginateListRoles({ client: iam, pageSize: 2 }, { PathPrefix: '/batch/' })) names.push(...page.Roles!.map((r) => r.RoleName!));
    expect(names).toEqual(['batch-0', 'batch-1', 'batch-2', 'batch-3', 'batch-4']);
    expect((await iam.send(new ListRolesCommand({}))).Roles!.length).toBe(6);
  });
});
