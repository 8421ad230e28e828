/**
 * Last-accessed data after real calls: a user in a group and a role's session make allowed (and
 * refused) requests with @aws-sdk/client-iam and client-sts; GenerateServiceLastAccessedDetails and
 * the two Get calls (SDK and AWS CLI v2) then report the services the policies allow and when each
 * was last used, at service and action level, for the user, the group, the role and a policy. As on
 * AWS, a refused attempt counts as a use ("all attempts to access an AWS API, not just the
 * successful ones"), and a use counts, at service as at action level, only if the policies allow
 * its action.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  AddUserToGroupCommand,
  AttachRolePolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GenerateServiceLastAccessedDetailsCommand,
  GetServiceLastAccessedDetailsCommand,
  GetServiceLastAccessedDetailsWithEntitiesCommand,
  GetUserCommand,
  ListRolesCommand,
  ListUsersCommand,
  PutGroupPolicyCommand,
  PutUserPolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkError } from './helpers/aws-clients.js';
import { E2E_ACCOUNT_ID, startTestCastellan, type TestCastellan } from './helpers/castellan.js';
import { AWS_CLI as AWS, awsCliEnv } from './helpers/aws-cli.js';
import { createAccessKey, createUserWithKey } from './helpers/iam-users.js';

const run = promisify(execFile);
const doc = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

let t: TestCastellan;
let iam: IAMClient;
beforeAll(async () => {
  t = await startTestCastellan();
  iam = t.iam();
});
afterAll(() => t?.dispose());

async function aws(...args: string[]): Promise<any> {
  const { stdout } = await run(AWS, ['--endpoint-url', t.url, '--output', 'json', ...args], {
    env: awsCliEnv(t.root),
  });
  return stdout.trim() ? JSON.parse(stdout) : {};
}

/** Generates a report and waits until the uses made before `since` are in it (they are written in batches). */
async function report(arn: string, granularity: 'SERVICE_LEVEL' | 'ACTION_LEVEL', ready: (services: any[]) => boolean) {
  const until = Date.now() + 10_000;
  for (;;) {
    const { JobId } = await iam.send(new GenerateServiceLastAccessedDetailsCommand({ Arn: arn, Granularity: granularity }));
    const out = await iam.send(new GetServiceLastAccessedDetailsCommand({ JobId: JobId! }));
    if (ready(out.ServicesLastAccessed ?? [])) return { jobId: JobId!, out };
    if (Date.now() > until) throw new Error(`last-accessed data not recorded in time: ${JSON.stringify(out.ServicesLastAccessed)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('last-accessed data', () => {
  it('reports what a user, its group, a role and a policy were used for, after real calls', async () => {
    const before = Date.now() - 1000;
    const user = (await iam.send(new CreateUserCommand({ UserName: 'dev' }))).User!;
    await iam.send(new CreateGroupCommand({ GroupName: 'devs' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'devs', UserName: 'dev' }));
    await iam.send(new PutGroupPolicyCommand({ GroupName: 'devs', PolicyName: 'read', PolicyDocument: doc({ Effect: 'Allow', Action: ['iam:GetUser', 'iam:ListUsers'], Resource: '*' }) }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'dev', PolicyName: 'assume', PolicyDocument: doc({ Effect: 'Allow', Action: ['sts:AssumeRole', 's3:GetObject'], Resource: '*' }) }));
    const policy = (await iam.send(new CreatePolicyCommand({ PolicyName: 'list-roles', PolicyDocument: doc({ Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*' }) }))).Policy!;
    const role = (await iam.send(new CreateRoleCommand({
      RoleName: 'lister',
      AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { AWS: user.Arn }, Action: 'sts:AssumeRole' }),
    }))).Role!;
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'lister', PolicyArn: policy.Arn! }));
    const dev = await createAccessKey(iam, 'dev');

    // Real calls, allowed and refused: the refused ListRoles is an attempt on IAM, but no policy of
    // the group allows it, so the group's action-level report leaves it out.
    await t.iam(dev).send(new GetUserCommand({}));
    await t.iam(dev).send(new ListUsersCommand({}));
    expect(await sdkError(() => t.iam(dev).send(new ListRolesCommand({})))).toMatchObject({ name: 'AccessDenied' });
    const assumed = await t.sts(dev).send(new AssumeRoleCommand({ RoleArn: role.Arn!, RoleSessionName: 's1' }));
    const session = { accessKeyId: assumed.Credentials!.AccessKeyId!, secretAccessKey: assumed.Credentials!.SecretAccessKey!, sessionToken: assumed.Credentials!.SessionToken! };
    await t.iam(session).send(new ListRolesCommand({}));

    // The user: iam and sts used, s3 allowed but never used.
    const { out: forUser } = await report(user.Arn!, 'SERVICE_LEVEL', (s) => s.filter((x) => x.LastAuthenticated).length === 2);
    expect(forUser.JobStatus).toBe('COMPLETED');
    expect(forUser.ServicesLastAccessed!.map((s) => [s.ServiceNamespace, s.LastAuthenticatedEntity ?? null, s.TotalAuthenticatedEntities])).toEqual([
      ['iam', user.Arn, 1],
      ['s3', null, 0],
      ['sts', user.Arn, 1],
    ]);
    const iamService = forUser.ServicesLastAccessed![0]!;
    expect(iamService.ServiceName).toBe('AWS Identity and Access Management (IAM)');
    expect(iamService.LastAuthenticatedRegion).toBe('us-east-1');
    expect(iamService.LastAuthenticated!.getTime()).toBeGreaterThanOrEqual(before);

    // The group at action level: only what the group's policy allows; ListRoles was refused.
    const { jobId: groupJob, out: forGroup } = await report(`arn:aws:iam::${E2E_ACCOUNT_ID}:group/devs`, 'ACTION_LEVEL', (s) => s.length === 1 && s[0].TrackedActionsLastAccessed?.length === 2);
    expect(forGroup.JobType).toBe('ACTION_LEVEL');
    expect(forGroup.ServicesLastAccessed![0]!.TrackedActionsLastAccessed!.map((a) => [a.ActionName, a.LastAccessedEntity]).sort()).toEqual([
      ['GetUser', user.Arn],
      ['ListUsers', user.Arn],
    ]);
    // The service's last use is its latest tracked action's, not the later refused ListRoles.
    const groupIam = forGroup.ServicesLastAccessed![0]!;
    expect(groupIam.LastAuthenticated).toEqual(new Date(Math.max(...groupIam.TrackedActionsLastAccessed!.map((a) => a.LastAccessedTime!.getTime()))));
    const entities = await aws('iam', 'get-service-last-accessed-details-with-entities', '--job-id', groupJob, '--service-namespace', 'iam');
    expect(entities.JobStatus).toBe('COMPLETED');
    expect(entities.EntityDetailsList).toEqual([
      { EntityInfo: { Arn: user.Arn, Name: 'dev', Type: 'USER', Id: user.UserId, Path: '/' }, LastAuthenticated: expect.any(String) },
    ]);

    // The role (through its session) and the policy attached to it.
    const { out: forRole } = await report(role.Arn!, 'SERVICE_LEVEL', (s) => s.some((x) => x.LastAuthenticated));
    expect(forRole.ServicesLastAccessed).toMatchObject([{ ServiceNamespace: 'iam', LastAuthenticatedEntity: role.Arn, TotalAuthenticatedEntities: 1 }]);
    const viaCli = await aws('iam', 'generate-service-last-accessed-details', '--arn', policy.Arn!);
    const forPolicy = await aws('iam', 'get-service-last-accessed-details', '--job-id', viaCli.JobId);
    expect(forPolicy.ServicesLastAccessed).toMatchObject([{ ServiceNamespace: 'iam', LastAuthenticatedEntity: role.Arn, TotalAuthenticatedEntities: 1 }]);

    expect(await sdkError(() => iam.send(new GetServiceLastAccessedDetailsCommand({ JobId: '00000000-0000-0000-0000-000000000000' })))).toMatchObject({ name: 'NoSuchEntityException' });
    expect(await sdkError(() => t.iam(dev).send(new GenerateServiceLastAccessedDetailsCommand({ Arn: user.Arn! })))).toMatchObject({ name: 'AccessDenied' });
  });

  it('counts a refused attempt as a use, as AWS does (the AWS CLI v2 reads the report)', async () => {
    // The policy allows iam:GetUser on the user itself only: reading another user is refused.
    const self = `arn:aws:iam::${E2E_ACCOUNT_ID}:user/tryer`;
    const tryer = await createUserWithKey(iam, 'tryer', doc({ Effect: 'Allow', Action: 'iam:GetUser', Resource: self }));
    await iam.send(new CreateUserCommand({ UserName: 'other' }));
    const before = Date.now() - 1000;
    expect(await sdkError(() => t.iam(tryer).send(new GetUserCommand({ UserName: 'other' })))).toMatchObject({ name: 'AccessDenied' });

    const { jobId } = await report(self, 'ACTION_LEVEL', (s) => s.some((x) => x.LastAuthenticated));
    const out = await aws('iam', 'get-service-last-accessed-details', '--job-id', jobId);
    expect(out.ServicesLastAccessed).toEqual([
      {
        ServiceName: 'AWS Identity and Access Management (IAM)',
        ServiceNamespace: 'iam',
        LastAuthenticated: expect.any(String),
        LastAuthenticatedEntity: self,
        LastAuthenticatedRegion: 'us-east-1',
        TotalAuthenticatedEntities: 1,
        TrackedActionsLastAccessed: [{ ActionName: 'GetUser', LastAccessedEntity: self, LastAccessedTime: expect.any(String), LastAccessedRegion: 'us-east-1' }],
      },
    ]);
    expect(Date.parse(out.ServicesLastAccessed[0].LastAuthenticated)).toBeGreaterThanOrEqual(before);
  });
});
