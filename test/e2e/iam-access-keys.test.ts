import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DeleteUserCommand,
  GenerateServiceLastAccessedDetailsCommand,
  GetAccessKeyLastUsedCommand,
  GetServiceLastAccessedDetailsCommand,
  GetUserCommand,
  ListAccessKeysCommand,
  PutUserPolicyCommand,
  UpdateAccessKeyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkError, stsClient } from './helpers/aws-clients.js';
import { E2E_ACCOUNT_ID, startTestCastellan } from './helpers/castellan.js';
import { AWS_CLI, awsCliEnv } from './helpers/aws-cli.js';

const run = promisify(execFile);

type Server = Awaited<ReturnType<typeof startTestCastellan>>;

/** Polls `fn` until it returns a defined value (last-used data is written in batches, within seconds). */
async function eventually<T>(fn: () => Promise<T | undefined>, timeoutMs = 8000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('IAM access keys over the wire', () => {
  let s: Server;
  let iam: IAMClient;
  beforeAll(async () => {
    s = await startTestCastellan();
    iam = s.iam();
  });
  afterAll(() => s.dispose());

  it('creates a key whose secret is returned once and which signs requests as the user', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'kim', Path: '/dev/' }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'kim' }));
    expect(AccessKey).toMatchObject({ UserName: 'kim', Status: 'Active' });
    expect(AccessKey!.AccessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(AccessKey!.SecretAccessKey).toMatch(/^[A-Za-z0-9+/]{40}$/);
    const listed = await iam.send(new ListAccessKeysCommand({ UserName: 'kim' }));
    expect(listed.AccessKeyMetadata).toEqual([{ UserName: 'kim', AccessKeyId: AccessKey!.AccessKeyId, Status: 'Active', CreateDate: AccessKey!.CreateDate }]);
    expect(JSON.stringify(listed)).not.toContain(AccessKey!.SecretAccessKey);
    const audit = await s.server.store.scanAuditEvents({ fromSeq: 0, limit: 100_000 });
    expect(audit.some((e) => e.eventName === 'CreateAccessKey')).toBe(true);
    expect(audit.some((e) => e.recordJson.includes(AccessKey!.SecretAccessKey!))).toBe(false);
    const who = await s.sts({ accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! }).send(new GetCallerIdentityCommand({}));
    expect(who).toMatchObject({ Account: E2E_ACCOUNT_ID, Arn: `arn:aws:iam::${E2E_ACCOUNT_ID}:user/dev/kim` });
  });

  it('allows two keys per user, then LimitExceeded', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'two' }));
    await iam.send(new CreateAccessKeyCommand({ UserName: 'two' }));
    await iam.send(new CreateAccessKeyCommand({ UserName: 'two' }));
    expect(await sdkError(() => iam.send(new CreateAccessKeyCommand({ UserName: 'two' })))).toMatchObject({
      name: 'LimitExceededException',
      status: 409,
      message: 'Cannot exceed quota for AccessKeysPerUser: 2',
    });
    const page = await iam.send(new ListAccessKeysCommand({ UserName: 'two', MaxItems: 1 }));
    expect(page.IsTruncated).toBe(true);
    const rest = await iam.send(new ListAccessKeysCommand({ UserName: 'two', MaxItems: 1, Marker: page.Marker }));
    expect(rest.AccessKeyMetadata).toHaveLength(1);
    expect(rest.IsTruncated).toBe(false);
  });

  it('an Inactive key fails authentication until reactivated; a deleted key is unknown', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'toggle' }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'toggle' }));
    const creds = { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
    const sts = s.sts(creds);
    await iam.send(new UpdateAccessKeyCommand({ UserName: 'toggle', AccessKeyId: creds.accessKeyId, Status: 'Inactive' }));
    expect((await iam.send(new ListAccessKeysCommand({ UserName: 'toggle' }))).AccessKeyMetadata![0]!.Status).toBe('Inactive');
    expect(await sdkError(() => sts.send(new GetCallerIdentityCommand({})))).toMatchObject({ name: 'InvalidClientTokenId', status: 403 });
    await iam.send(new UpdateAccessKeyCommand({ UserName: 'toggle', AccessKeyId: creds.accessKeyId, Status: 'Active' }));
    await sts.send(new GetCallerIdentityCommand({}));
    await iam.send(new DeleteAccessKeyCommand({ UserName: 'toggle', AccessKeyId: creds.accessKeyId }));
    expect(await sdkError(() => sts.send(new GetCallerIdentityCommand({})))).toMatchObject({ name: 'InvalidClientTokenId', status: 403 });
    await iam.send(new DeleteUserCommand({ UserName: 'toggle' }));
  });

  it.each([
    { name: 'a key of another user', call: (id: string) => new UpdateAccessKeyCommand({ UserName: 'other', AccessKeyId: id, Status: 'Inactive' }) },
    { name: 'an unknown key', call: () => new DeleteAccessKeyCommand({ UserName: 'owner', AccessKeyId: 'AKIAUNKNOWNKEY000000' }) },
    { name: 'last use of an unknown key', call: () => new GetAccessKeyLastUsedCommand({ AccessKeyId: 'AKIAUNKNOWNKEY000000' }) },
  ])('answers NoSuchEntity for $name', async ({ call }) => {
    if (!(await s.server.store.getUserByName(E2E_ACCOUNT_ID, 'owner'))) {
      await iam.send(new CreateUserCommand({ UserName: 'owner' }));
      await iam.send(new CreateUserCommand({ UserName: 'other' }));
      await iam.send(new CreateAccessKeyCommand({ UserName: 'owner' }));
    }
    const key = (await iam.send(new ListAccessKeysCommand({ UserName: 'owner' }))).AccessKeyMetadata![0]!.AccessKeyId!;
    const err = await sdkError(() => iam.send(call(key) as never));
    expect(err).toMatchObject({ name: 'NoSuchEntityException', status: 404 });
    expect(err.message).toMatch(/^The Access Key with id AKIA[A-Z0-9]+ cannot be found\.$/);
  });

  it("without UserName manages the caller's own keys: the root's, and a user's under ${aws:username}", async () => {
    const rootKeys = await iam.send(new ListAccessKeysCommand({}));
    expect(rootKeys.AccessKeyMetadata!.map((k) => k.AccessKeyId)).toEqual([s.root.accessKeyId]);
    expect(rootKeys.AccessKeyMetadata![0]!.UserName).toBeUndefined();
    const second = await iam.send(new CreateAccessKeyCommand({}));
    expect(await sdkError(() => iam.send(new CreateAccessKeyCommand({})))).toMatchObject({ name: 'LimitExceededException' });
    await iam.send(new DeleteAccessKeyCommand({ AccessKeyId: second.AccessKey!.AccessKeyId! }));

    await iam.send(new CreateUserCommand({ UserName: 'rotator' }));
    await iam.send(new PutUserPolicyCommand({
      UserName: 'rotator',
      PolicyName: 'own-keys',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:*AccessKey*'], Resource: 'arn:aws:iam::*:user/${aws:username}' }] }),
    }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'rotator' }));
    const self = s.iam({ accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! });
    const rotated = await self.send(new CreateAccessKeyCommand({}));
    expect(rotated.AccessKey!.UserName).toBe('rotator');
    await self.send(new UpdateAccessKeyCommand({ AccessKeyId: AccessKey!.AccessKeyId!, Status: 'Inactive' }));
    const mine = await s.iam({ accessKeyId: rotated.AccessKey!.AccessKeyId!, secretAccessKey: rotated.AccessKey!.SecretAccessKey! }).send(new ListAccessKeysCommand({}));
    expect(mine.AccessKeyMetadata!.map((k) => k.Status).sort()).toEqual(['Active', 'Inactive']);
    expect(await sdkError(() => self.send(new ListAccessKeysCommand({})))).toMatchObject({ name: 'InvalidClientTokenId' });
    const rotatedClient = s.iam({ accessKeyId: rotated.AccessKey!.AccessKeyId!, secretAccessKey: rotated.AccessKey!.SecretAccessKey! });
    expect(await sdkError(() => rotatedClient.send(new ListAccessKeysCommand({ UserName: 'kim' })))).toMatchObject({ name: 'AccessDenied', status: 403 });
  });

  it('GetAccessKeyLastUsed reports N/A for an unused key, then the service and region of its last use', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'tracked' }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'tracked' }));
    const id = AccessKey!.AccessKeyId!;
    const unused = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: id }));
    expect(unused).toMatchObject({ UserName: 'tracked', AccessKeyLastUsed: { ServiceName: 'N/A', Region: 'N/A' } });
    expect(unused.AccessKeyLastUsed!.LastUsedDate).toBeUndefined();
    const before = Date.now();
    await stsClient(s.url, { accessKeyId: id, secretAccessKey: AccessKey!.SecretAccessKey! }, 'eu-west-3').send(new GetCallerIdentityCommand({}));
    const used = await eventually(async () => {
      const r = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: id }));
      return r.AccessKeyLastUsed?.LastUsedDate ? r : undefined;
    });
    expect(used.AccessKeyLastUsed).toMatchObject({ ServiceName: 'sts', Region: 'eu-west-3' });
    expect(used.AccessKeyLastUsed!.LastUsedDate!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    const root = await eventually(async () => {
      const r = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: s.root.accessKeyId }));
      return r.AccessKeyLastUsed?.LastUsedDate ? r : undefined;
    });
    expect(root.UserName).toBeUndefined();
    expect(root.AccessKeyLastUsed!.ServiceName).toBe('iam');
    await iam.send(new GetUserCommand({}));
  });

  it('IAM is served from us-east-1 to a CLI set to eu-west-1: aws:RequestedRegion, the key\'s last use and last-accessed data say so', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'roamer' }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'roamer' }));
    const inRegion = (region: string) => ({ StringEquals: { 'aws:RequestedRegion': region } });
    await iam.send(new PutUserPolicyCommand({
      UserName: 'roamer',
      PolicyName: 'regions',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [
        { Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*', Condition: inRegion('us-east-1') },
        { Effect: 'Allow', Action: 'iam:ListGroups', Resource: '*', Condition: inRegion('eu-west-1') },
      ] }),
    }));
    const env = { ...awsCliEnv({ accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! }), AWS_REGION: 'eu-west-1' };
    const cli = (...args: string[]) => run(AWS_CLI, ['--endpoint-url', s.url, '--output', 'json', ...args], { env }).then(({ stdout }) => JSON.parse(stdout), (e: { stderr?: string }) => String(e.stderr));
    expect(await cli('iam', 'list-users')).toMatchObject({ Users: expect.any(Array) });
    expect(await cli('iam', 'list-groups')).toContain('AccessDenied');

    const used = await eventually(async () => {
      const r = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: AccessKey!.AccessKeyId! }));
      return r.AccessKeyLastUsed?.LastUsedDate ? r : undefined;
    });
    expect(used.AccessKeyLastUsed).toMatchObject({ ServiceName: 'iam', Region: 'us-east-1' });
    const report = await eventually(async () => {
      // A job reports the uses written when it was generated: generate until the batch is in.
      const { JobId } = await iam.send(new GenerateServiceLastAccessedDetailsCommand({ Arn: `arn:aws:iam::${E2E_ACCOUNT_ID}:user/roamer` }));
      const r = await iam.send(new GetServiceLastAccessedDetailsCommand({ JobId }));
      return r.ServicesLastAccessed?.find((x) => x.ServiceNamespace === 'iam')?.LastAuthenticated ? r : undefined;
    });
    expect(report.ServicesLastAccessed!.find((x) => x.ServiceNamespace === 'iam')).toMatchObject({ LastAuthenticatedRegion: 'us-east-1' });
  });
});

describe('IAM identities across a restart', () => {
  it('keeps users, groups, keys and login profiles, and writes buffered last-used data on shutdown', async () => {
    const s = await startTestCastellan();
    try {
      const iam = s.iam();
      await iam.send(new CreateUserCommand({ UserName: 'durable', Path: '/keep/' }));
      const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'durable' }));
      const creds = { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
      await stsClient(s.url, creds, 'ap-northeast-1').send(new GetCallerIdentityCommand({}));
      // Closing flushes the buffered use at once, without waiting for the flush interval.
      await s.restart();
      const used = await s.iam().send(new GetAccessKeyLastUsedCommand({ AccessKeyId: creds.accessKeyId }));
      expect(used.AccessKeyLastUsed).toMatchObject({ ServiceName: 'sts', Region: 'ap-northeast-1' });
      expect(used.AccessKeyLastUsed!.LastUsedDate).toBeInstanceOf(Date);
      const who = await s.sts(creds).send(new GetCallerIdentityCommand({}));
      expect(who.Arn).toBe(`arn:aws:iam::${E2E_ACCOUNT_ID}:user/keep/durable`);
      expect((await s.iam().send(new GetUserCommand({ UserName: 'durable' }))).User!.Path).toBe('/keep/');
    } finally {
      await s.dispose();
    }
  });
});
