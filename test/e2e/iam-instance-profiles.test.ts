/**
 * Instance profiles over the wire with @aws-sdk/client-iam and the AWS CLI v2: the whole life of a
 * profile (path, tags, one role, DeleteConflict both ways), paging, the account summary, and AWS's
 * errors.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  AddRoleToInstanceProfileCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  DeleteInstanceProfileCommand,
  DeleteRoleCommand,
  GetAccountAuthorizationDetailsCommand,
  GetAccountSummaryCommand,
  GetInstanceProfileCommand,
  ListInstanceProfilesForRoleCommand,
  ListInstanceProfileTagsCommand,
  RemoveRoleFromInstanceProfileCommand,
  TagInstanceProfileCommand,
  UntagInstanceProfileCommand,
  paginateListInstanceProfiles,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkError } from './helpers/aws-clients.js';
import { E2E_ACCOUNT_ID, startTestCastellan, type TestCastellan } from './helpers/castellan.js';
import { AWS_CLI as AWS, awsCliEnv } from './helpers/aws-cli.js';

const run = promisify(execFile);
const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

describe('IAM instance profiles over the wire', () => {
  let t: TestCastellan;
  let iam: IAMClient;
  beforeAll(async () => {
    t = await startTestCastellan();
    iam = t.iam();
  });
  afterAll(() => t?.dispose());

  /** The AWS CLI's JSON output, or its error text when it exits non-zero. */
  async function aws(...args: string[]): Promise<{ ok: true; out: any } | { ok: false; err: string }> {
    try {
      const { stdout } = await run(AWS, ['--endpoint-url', t.url, '--output', 'json', ...args], {
        env: awsCliEnv(t.root),
      });
      return { ok: true, out: stdout.trim() ? JSON.parse(stdout) : {} };
    } catch (e) {
      return { ok: false, err: String((e as { stderr?: string }).stderr ?? e) };
    }
  }

  it('lives a whole life: create with path and tags, one role, conflicts, remove, delete', async () => {
    const created = (await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'Web', Path: '/app/', Tags: [{ Key: 'env', Value: 'prod' }] }))).InstanceProfile!;
    expect(created).toMatchObject({ InstanceProfileName: 'Web', Path: '/app/', Arn: `arn:aws:iam::${E2E_ACCOUNT_ID}:instance-profile/app/Web`, Roles: [], Tags: [{ Key: 'env', Value: 'prod' }] });
    expect(created.InstanceProfileId).toMatch(/^AIPA[A-Z2-7]{17}$/);
    expect(await sdkError(() => iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'web' }))))
      .toMatchObject({ name: 'EntityAlreadyExistsException', status: 409, message: 'Instance Profile web already exists.' });

    await iam.send(new CreateRoleCommand({ RoleName: 'WebRole', AssumeRolePolicyDocument: TRUST }));
    await iam.send(new CreateRoleCommand({ RoleName: 'Spare', AssumeRolePolicyDocument: TRUST }));
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'Web', RoleName: 'WebRole' }));
    expect(await sdkError(() => iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'Web', RoleName: 'Spare' }))))
      .toMatchObject({ name: 'LimitExceededException', message: 'Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1' });

    const got = (await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'web' }))).InstanceProfile!;
    expect(got.Roles?.map((r) => r.RoleName)).toEqual(['WebRole']);
    expect(decodeURIComponent(got.Roles![0]!.AssumeRolePolicyDocument!)).toBe(TRUST);
    expect((await iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: 'WebRole' }))).InstanceProfiles?.map((p) => p.Arn)).toEqual([created.Arn]);
    const details = await iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['Role'] }));
    expect(details.RoleDetailList?.find((r) => r.RoleName === 'WebRole')?.InstanceProfileList?.map((p) => p.InstanceProfileName)).toEqual(['Web']);
    expect((await iam.send(new GetAccountSummaryCommand({}))).SummaryMap?.['InstanceProfiles']).toBe(1);

    const conflict = { name: 'DeleteConflictException', status: 409, message: 'Cannot delete entity, must remove roles from instance profile first.' };
    expect(await sdkError(() => iam.send(new DeleteRoleCommand({ RoleName: 'WebRole' })))).toMatchObject(conflict);
    expect(await sdkError(() => iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'Web' })))).toMatchObject(conflict);

    await iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: 'Web', RoleName: 'WebRole' }));
    await iam.send(new DeleteRoleCommand({ RoleName: 'WebRole' }));
    await iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'Web' }));
    expect(await sdkError(() => iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'Web' }))))
      .toMatchObject({ name: 'NoSuchEntityException', status: 404, message: 'Instance Profile Web cannot be found.' });
  });

  it('tags: add, list, untag; the 51st tag is LimitExceeded', async () => {
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'Tagged' }));
    await iam.send(new TagInstanceProfileCommand({ InstanceProfileName: 'Tagged', Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] }));
    await iam.send(new UntagInstanceProfileCommand({ InstanceProfileName: 'Tagged', TagKeys: ['a'] }));
    expect((await iam.send(new ListInstanceProfileTagsCommand({ InstanceProfileName: 'Tagged' }))).Tags).toEqual([{ Key: 'b', Value: '2' }]);
    const many = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    expect(await sdkError(() => iam.send(new TagInstanceProfileCommand({ InstanceProfileName: 'Tagged', Tags: many }))))
      .toMatchObject({ name: 'LimitExceededException', message: 'Cannot exceed quota for TagsPerInstanceProfile: 50' });
  });

  it('pages ListInstanceProfiles by path prefix (SDK paginator)', async () => {
    for (const name of ['p1', 'p2', 'p3', 'p4', 'p5']) await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: name, Path: '/paged/' }));
    const names: string[] = [];
    for await (const page of paginateListInstanceProfiles({ client: iam, pageSize: 2 }, { PathPrefix: '/paged/' })) {
      names.push(...(page.InstanceProfiles ?? []).map((p) => p.InstanceProfileName!));
    }
    expect(names).toEqual(['p1', 'p2', 'p3', 'p4', 'p5']);
  });

  it('the AWS CLI drives a profile: create, add-role, list-instance-profiles-for-role, remove, delete', async () => {
    const created = await aws('iam', 'create-instance-profile', '--instance-profile-name', 'cli-profile', '--path', '/cli/');
    expect(created).toMatchObject({ ok: true, out: { InstanceProfile: { InstanceProfileName: 'cli-profile', Path: '/cli/' } } });
    expect((await aws('iam', 'create-role', '--role-name', 'cli-role', '--assume-role-policy-document', TRUST)).ok).toBe(true);
    expect((await aws('iam', 'add-role-to-instance-profile', '--instance-profile-name', 'cli-profile', '--role-name', 'cli-role')).ok).toBe(true);
    const listed = await aws('iam', 'list-instance-profiles-for-role', '--role-name', 'cli-role');
    expect(listed.ok && listed.out.InstanceProfiles.map((p: { InstanceProfileName: string }) => p.InstanceProfileName)).toEqual(['cli-profile']);
    const refused = await aws('iam', 'delete-instance-profile', '--instance-profile-name', 'cli-profile');
    expect(!refused.ok && refused.err).toContain('(DeleteConflict) when calling the DeleteInstanceProfile operation');
    expect(!refused.ok && refused.err).toContain('Cannot delete entity, must remove roles from instance profile first.');
    expect((await aws('iam', 'remove-role-from-instance-profile', '--instance-profile-name', 'cli-profile', '--role-name', 'cli-role')).ok).toBe(true);
    expect((await aws('iam', 'delete-instance-profile', '--instance-profile-name', 'cli-profile')).ok).toBe(true);
  });
});
