/**
 * Managed and inline policies over the wire with @aws-sdk/client-iam against the real server:
 * the whole life of a managed policy (versions, attachments, entities, tags), AWS-managed
 * policies, ListPolicies' filters and paging, inline policies of users, groups and roles, and
 * permissions boundaries, with AWS's error codes.
 */
import {
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteGroupPolicyCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DeleteRoleCommand,
  DeleteRolePermissionsBoundaryCommand,
  DeleteRolePolicyCommand,
  DeleteUserCommand,
  DeleteUserPermissionsBoundaryCommand,
  DeleteUserPolicyCommand,
  DetachGroupPolicyCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  GetGroupPolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  ListAttachedGroupPoliciesCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListEntitiesForPolicyCommand,
  ListGroupPoliciesCommand,
  ListPoliciesCommand,
  ListPolicyTagsCommand,
  ListPolicyVersionsCommand,
  ListRolePoliciesCommand,
  ListUserPoliciesCommand,
  PutGroupPolicyCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  PutUserPermissionsBoundaryCommand,
  PutUserPolicyCommand,
  SetDefaultPolicyVersionCommand,
  TagPolicyCommand,
  UntagPolicyCommand,
  paginateListPolicies,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkError } from './helpers/aws-clients.js';
import { E2E_ACCOUNT_ID, startTestCastellan } from './helpers/castellan.js';

const doc = (action: string, effect = 'Allow') => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: effect, Action: action, Resource: '*' }] });
const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
const A = `arn:aws:iam::${E2E_ACCOUNT_ID}`;

describe('IAM policies over the wire', () => {
  let s: Awaited<ReturnType<typeof startTestCastellan>>;
  let iam: IAMClient;
  beforeAll(async () => {
    s = await startTestCastellan();
    iam = s.iam();
    await iam.send(new CreateUserCommand({ UserName: 'pu', Path: '/p/' }));
    await iam.send(new CreateGroupCommand({ GroupName: 'pg' }));
    await iam.send(new CreateRoleCommand({ RoleName: 'pr', AssumeRolePolicyDocument: TRUST }));
  });
  afterAll(() => s?.dispose());

  it('lives a managed policy: create, versions, default, attach everywhere, entities, delete conflicts, delete', async () => {
    const created = await iam.send(new CreatePolicyCommand({ PolicyName: 'Life', Path: '/life/', PolicyDocument: doc('s3:GetObject'), Description: 'd', Tags: [{ Key: 'k', Value: 'v' }] }));
    const arn = `${A}:policy/life/Life`;
    expect(created.Policy).toMatchObject({ PolicyName: 'Life', Arn: arn, Path: '/life/', DefaultVersionId: 'v1', AttachmentCount: 0, IsAttachable: true, Tags: [{ Key: 'k', Value: 'v' }] });
    // As AWS: CreatePolicy does not answer the Description (GetPolicy does).
    expect(created.Policy!.Description).toBeUndefined();
    expect(created.Policy!.PolicyId).toMatch(/^ANPA/);
    expect(created.Policy!.CreateDate).toBeInstanceOf(Date);

    const v1 = await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' }));
    expect(decodeURIComponent(v1.PolicyVersion!.Document!)).toBe(doc('s3:GetObject'));
    expect(v1.PolicyVersion!.IsDefaultVersion).toBe(true);

    const v2 = await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: doc('s3:PutObject'), SetAsDefault: true }));
    expect(v2.PolicyVersion).toMatchObject({ VersionId: 'v2', IsDefaultVersion: true });
    expect(v2.PolicyVersion!.Document).toBeUndefined();
    for (const n of [3, 4, 5]) await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: doc(`s3:Op${n}`) }));
    expect(await sdkError(() => iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: doc('s3:Op6') })))).toMatchObject({ name: 'LimitExceededException', status: 409 });
    const versions = await iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }));
    expect(versions.Versions!.map((v) => v.VersionId)).toEqual(['v5', 'v4', 'v3', 'v2', 'v1']);
    await iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' }));
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!.DefaultVersionId).toBe('v1');
    expect(await sdkError(() => iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' })))).toMatchObject({ name: 'DeleteConflictException', message: 'Cannot delete the default version of a policy.' });
    expect(await sdkError(() => iam.send(new DeletePolicyCommand({ PolicyArn: arn })))).toMatchObject({ name: 'DeleteConflictException' });
    for (const v of ['v2', 'v3', 'v4', 'v5']) await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: v }));

    await iam.send(new AttachUserPolicyCommand({ UserName: 'pu', PolicyArn: arn }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'pg', PolicyArn: arn }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'pr', PolicyArn: arn }));
    expect((await iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'pu' }))).AttachedPolicies).toEqual([{ PolicyName: 'Life', PolicyArn: arn }]);
    expect((await iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: 'pg', PathPrefix: '/life/' }))).AttachedPolicies).toEqual([{ PolicyName: 'Life', PolicyArn: arn }]);
    expect((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'pr', PathPrefix: '/other/' }))).AttachedPolicies).toEqual([]);
    const entities = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: arn }));
    expect(entities.PolicyUsers!.map((u) => u.UserName)).toEqual(['pu']);
    expect(entities.PolicyGroups!.map((g) => g.GroupName)).toEqual(['pg']);
    expect(entities.PolicyRoles!.map((r) => r.RoleName)).toEqual(['pr']);
    expect((await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: arn, EntityFilter: 'Group' }))).PolicyUsers).toEqual([]);
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!.AttachmentCount).toBe(3);
    expect(await sdkError(() => iam.send(new DeletePolicyCommand({ PolicyArn: arn })))).toMatchObject({ name: 'DeleteConflictException', message: 'Cannot delete a policy attached to entities.' });

    await iam.send(new DetachUserPolicyCommand({ UserName: 'pu', PolicyArn: arn }));
    await iam.send(new DetachGroupPolicyCommand({ GroupName: 'pg', PolicyArn: arn }));
    await iam.send(new DetachRolePolicyCommand({ RoleName: 'pr', PolicyArn: arn }));
    expect(await sdkError(() => iam.send(new DetachRolePolicyCommand({ RoleName: 'pr', PolicyArn: arn })))).toMatchObject({ name: 'NoSuchEntityException', status: 404 });
    await iam.send(new DeletePolicyCommand({ PolicyArn: arn }));
    expect(await sdkError(() => iam.send(new GetPolicyCommand({ PolicyArn: arn })))).toMatchObject({ name: 'NoSuchEntityException', message: `Policy ${arn} was not found.` });
  });

  it.each([
    ['invalid JSON', '{"Version"', 'MalformedPolicyDocumentException', 400],
    ['a Principal in an identity policy', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] }), 'MalformedPolicyDocumentException', 400],
    ['an unknown condition operator', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEqualz: { 'aws:username': 'x' } } }] }), 'MalformedPolicyDocumentException', 400],
    ['more than 6,144 characters', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: Array.from({ length: 300 }, (_, i) => `arn:aws:s3:::bucket-${i}/*`) }] }), 'LimitExceededException', 409],
  ])('refuses a policy with %s', async (_what, document, name, status) => {
    expect(await sdkError(() => iam.send(new CreatePolicyCommand({ PolicyName: 'Bad', PolicyDocument: document })))).toMatchObject({ name, status });
  });

  it('refuses duplicates and a missing entity or policy with AWS codes', async () => {
    await iam.send(new CreatePolicyCommand({ PolicyName: 'Dup', PolicyDocument: doc('sqs:*') }));
    expect(await sdkError(() => iam.send(new CreatePolicyCommand({ PolicyName: 'dup', Path: '/x/', PolicyDocument: doc('sqs:*') })))).toMatchObject({
      name: 'EntityAlreadyExistsException',
      message: 'A policy called dup already exists. Duplicate names are not allowed.',
      status: 409,
    });
    expect(await sdkError(() => iam.send(new AttachUserPolicyCommand({ UserName: 'pu', PolicyArn: `${A}:policy/Nope` })))).toMatchObject({
      name: 'NoSuchEntityException',
      message: `Policy ${A}:policy/Nope does not exist or is not attachable.`,
    });
    expect(await sdkError(() => iam.send(new AttachUserPolicyCommand({ UserName: 'nobody', PolicyArn: `${A}:policy/Dup` })))).toMatchObject({
      name: 'NoSuchEntityException',
      message: 'The user with name nobody cannot be found.',
    });
  });

  it('serves AWS-managed policies, their documents and versions, and attaches them', async () => {
    for (const name of ['AdministratorAccess', 'PowerUserAccess', 'ReadOnlyAccess', 'IAMFullAccess', 'IAMReadOnlyAccess', 'IAMUserChangePassword']) {
      const p = (await iam.send(new GetPolicyCommand({ PolicyArn: `arn:aws:iam::aws:policy/${name}` }))).Policy!;
      expect(p).toMatchObject({ PolicyName: name, Path: '/', IsAttachable: true });
      const v = await iam.send(new GetPolicyVersionCommand({ PolicyArn: p.Arn, VersionId: p.DefaultVersionId }));
      expect(JSON.parse(decodeURIComponent(v.PolicyVersion!.Document!)).Statement.length).toBeGreaterThan(0);
    }
    const admin = JSON.parse(decodeURIComponent((await iam.send(new GetPolicyVersionCommand({ PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess', VersionId: 'v1' }))).PolicyVersion!.Document!));
    expect(admin.Statement).toEqual([{ Effect: 'Allow', Action: '*', Resource: '*' }]);
    await iam.send(new AttachUserPolicyCommand({ UserName: 'pu', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
    const listed = await iam.send(new ListPoliciesCommand({ Scope: 'AWS', OnlyAttached: true }));
    expect(listed.Policies!.map((p) => p.PolicyName)).toEqual(['ReadOnlyAccess']);
    expect(listed.Policies![0]!.AttachmentCount).toBe(1);
    await iam.send(new DetachUserPolicyCommand({ UserName: 'pu', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
    expect(await sdkError(() => iam.send(new DeletePolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' })))).toMatchObject({ status: 403 });
  });

  it('lists policies by scope and path, and pages through all of them with the SDK paginator', async () => {
    const local = await iam.send(new ListPoliciesCommand({ Scope: 'Local' }));
    expect(local.Policies!.map((p) => p.PolicyName)).toEqual(['Dup']);
    const job = await iam.send(new ListPoliciesCommand({ Scope: 'AWS', PathPrefix: '/job-function/' }));
    expect(job.Policies!.length).toBeGreaterThan(0);
    expect(job.Policies!.every((p) => p.Path === '/job-function/')).toBe(true);
    let count = 0;
    let pages = 0;
    const arns = new Set<string>();
    for await (const page of paginateListPolicies({ client: iam, pageSize: 400 }, {})) {
      pages++;
      for (const p of page.Policies ?? []) {
        count++;
        arns.add(p.Arn!);
      }
    }
    expect(pages).toBeGreaterThan(2);
    expect(arns.size).toBe(count);
    expect(arns.has(`${A}:policy/Dup`)).toBe(true);
    expect(arns.has('arn:aws:iam::aws:policy/AdministratorAccess')).toBe(true);
  });

  it('tags policies', async () => {
    const arn = `${A}:policy/Dup`;
    await iam.send(new TagPolicyCommand({ PolicyArn: arn, Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] }));
    await iam.send(new UntagPolicyCommand({ PolicyArn: arn, TagKeys: ['a'] }));
    expect((await iam.send(new ListPolicyTagsCommand({ PolicyArn: arn }))).Tags).toEqual([{ Key: 'b', Value: '2' }]);
  });

  it('puts, gets (URL-encoded), lists and deletes inline policies of users, groups and roles', async () => {
    const document = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/a b&c=d' }] });
    await iam.send(new PutUserPolicyCommand({ UserName: 'pu', PolicyName: 'In', PolicyDocument: document }));
    await iam.send(new PutGroupPolicyCommand({ GroupName: 'pg', PolicyName: 'In', PolicyDocument: document }));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'pr', PolicyName: 'In', PolicyDocument: document }));
    const u = await iam.send(new GetUserPolicyCommand({ UserName: 'pu', PolicyName: 'in' }));
    expect(u).toMatchObject({ UserName: 'pu', PolicyName: 'In' });
    expect(u.PolicyDocument).toBe(encodeURIComponent(document));
    expect(decodeURIComponent((await iam.send(new GetGroupPolicyCommand({ GroupName: 'pg', PolicyName: 'In' }))).PolicyDocument!)).toBe(document);
    expect(decodeURIComponent((await iam.send(new GetRolePolicyCommand({ RoleName: 'pr', PolicyName: 'In' }))).PolicyDocument!)).toBe(document);
    expect((await iam.send(new ListUserPoliciesCommand({ UserName: 'pu' }))).PolicyNames).toEqual(['In']);
    expect((await iam.send(new ListGroupPoliciesCommand({ GroupName: 'pg' }))).PolicyNames).toEqual(['In']);
    expect((await iam.send(new ListRolePoliciesCommand({ RoleName: 'pr' }))).PolicyNames).toEqual(['In']);
    const big = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: Array.from({ length: 100 }, (_, i) => `arn:aws:s3:::b${i}/*`) }] });
    expect(await sdkError(() => iam.send(new PutUserPolicyCommand({ UserName: 'pu', PolicyName: 'Big', PolicyDocument: big })))).toMatchObject({
      name: 'LimitExceededException',
      message: 'Maximum policy size of 2048 bytes exceeded for user pu',
    });
    await iam.send(new PutGroupPolicyCommand({ GroupName: 'pg', PolicyName: 'Big', PolicyDocument: big }));
    await iam.send(new DeleteUserPolicyCommand({ UserName: 'pu', PolicyName: 'In' }));
    await iam.send(new DeleteGroupPolicyCommand({ GroupName: 'pg', PolicyName: 'In' }));
    await iam.send(new DeleteGroupPolicyCommand({ GroupName: 'pg', PolicyName: 'Big' }));
    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'pr', PolicyName: 'In' }));
    expect(await sdkError(() => iam.send(new GetUserPolicyCommand({ UserName: 'pu', PolicyName: 'In' })))).toMatchObject({
      name: 'NoSuchEntityException',
      message: 'The user policy with name In cannot be found.',
    });
  });

  it('sets and removes permissions boundaries; a boundary must exist', async () => {
    await iam.send(new PutUserPermissionsBoundaryCommand({ UserName: 'pu', PermissionsBoundary: 'arn:aws:iam::aws:policy/PowerUserAccess' }));
    expect((await iam.send(new GetUserCommand({ UserName: 'pu' }))).User!.PermissionsBoundary).toEqual({
      PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
      PermissionsBoundaryArn: 'arn:aws:iam::aws:policy/PowerUserAccess',
    });
    const entities = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/PowerUserAccess', PolicyUsageFilter: 'PermissionsBoundary' }));
    expect(entities.PolicyUsers!.map((x) => x.UserName)).toEqual(['pu']);
    await iam.send(new DeleteUserPermissionsBoundaryCommand({ UserName: 'pu' }));
    expect((await iam.send(new GetUserCommand({ UserName: 'pu' }))).User!.PermissionsBoundary).toBeUndefined();
    expect(await sdkError(() => iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'pr', PermissionsBoundary: `${A}:policy/Missing` })))).toMatchObject({
      name: 'NoSuchEntityException',
      message: `Scope ARN: ${A}:policy/Missing does not exist or is not attachable.`,
    });
  });

  it('ListPolicies PolicyUsageFilter=PermissionsBoundary follows every boundary change, page by page', async () => {
    const path = '/bounds/';
    for (const name of ['BoundC', 'BoundA', 'BoundB', 'BoundNever']) await iam.send(new CreatePolicyCommand({ PolicyName: name, Path: path, PolicyDocument: doc('s3:GetObject') }));
    const arn = (name: string) => `${A}:policy${path}${name}`;
    const boundaries = async () => {
      const names: string[][] = [];
      for await (const page of paginateListPolicies({ client: iam, pageSize: 1 }, { Scope: 'Local', PathPrefix: path, PolicyUsageFilter: 'PermissionsBoundary' })) {
        names.push(page.Policies!.map((p) => `${p.PolicyName}:${p.PermissionsBoundaryUsageCount}`));
      }
      return names.filter((page) => page.length > 0);
    };
    await iam.send(new CreateUserCommand({ UserName: 'bounded-u', PermissionsBoundary: arn('BoundA') }));
    await iam.send(new CreateRoleCommand({ RoleName: 'bounded-r', AssumeRolePolicyDocument: TRUST, PermissionsBoundary: arn('BoundA') }));
    await iam.send(new CreateRoleCommand({ RoleName: 'bounded-r2', AssumeRolePolicyDocument: TRUST }));
    await iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'bounded-r2', PermissionsBoundary: arn('BoundC') }));
    expect(await boundaries()).toEqual([['BoundA:2'], ['BoundC:1']]);
    await iam.send(new PutUserPermissionsBoundaryCommand({ UserName: 'bounded-u', PermissionsBoundary: arn('BoundB') }));
    await iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: 'bounded-r2' }));
    expect(await boundaries()).toEqual([['BoundA:1'], ['BoundB:1']]);
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: arn('BoundB') }))).Policy!.PermissionsBoundaryUsageCount).toBe(1);
    await iam.send(new DeleteUserPermissionsBoundaryCommand({ UserName: 'bounded-u' }));
    await iam.send(new DeleteUserCommand({ UserName: 'bounded-u' }));
    await iam.send(new DeleteRoleCommand({ RoleName: 'bounded-r' }));
    expect(await boundaries()).toEqual([]);
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: arn('BoundA') }))).Policy!.PermissionsBoundaryUsageCount).toBe(0);
  });
});
