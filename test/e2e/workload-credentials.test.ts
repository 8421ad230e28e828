/**
 * Workload credentials: a workload registered with `castellan workload register` (the real binary,
 * against the running server's data folder) gets its instance profile's role through
 * `castellan agent`'s loopback endpoint, picked up by the UNMODIFIED SDK providers
 * `fromInstanceMetadata` (IMDSv2, `AWS_EC2_METADATA_SERVICE_ENDPOINT`) and
 * `fromContainerMetadata` (`AWS_CONTAINER_CREDENTIALS_FULL_URI` + `AWS_CONTAINER_AUTHORIZATION_TOKEN`);
 * STS then names the assumed role with the registration id as session name. A workload never gets
 * another's role; a revoked registration gets nothing at its next refresh; issuances are audited.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AddRoleToInstanceProfileCommand, CreateInstanceProfileCommand, CreateRoleCommand } from '@aws-sdk/client-iam';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromContainerMetadata, fromInstanceMetadata } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AWS_CLI } from './helpers/aws-cli.js';
import { GET_WORKLOAD_CREDENTIALS_TARGET, startWorkloadAgent, type WorkloadAgent } from '../../packages/cli/src/commands/workload-agent.js';
import { E2E_ACCOUNT_ID, startTestCastellan, type TestCastellan } from './helpers/castellan.js';

const run = promisify(execFile);
const CLI = join(process.cwd(), 'packages/cli/bin/castellan.js');
const EC2_TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
const CONTAINER_TOKEN = 'container-token-0123456789';

let t: TestCastellan;
const agents: WorkloadAgent[] = [];
const savedEnv = { ...process.env };

/** Runs the real `castellan` binary against the server's data folder or database. */
async function castellan(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const location = [
    '--data-dir', t.config.dataDir,
    ...(t.config.databaseUrl ? ['--database-url', t.config.databaseUrl] : []),
    ...(t.postgresSchema ? ['--schema', t.postgresSchema] : []),
  ];
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args, ...location], { env: { ...process.env, ...(t.config.masterKey ? { CASTELLAN_MASTER_KEY: t.config.masterKey } : {}) } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

async function register(profile: string): Promise<{ Id: string; BootstrapSecret: string }> {
  const r = await castellan('workload', 'register', '--instance-profile', profile, '--json');
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as { Id: string; BootstrapSecret: string };
}

async function agentFor(secret: string, refreshBeforeSeconds = 300): Promise<WorkloadAgent> {
  const agent = await startWorkloadAgent({ endpoint: t.url, bootstrapSecret: secret, host: '127.0.0.1', port: 0, containerAuthorizationToken: CONTAINER_TOKEN, refreshBeforeSeconds });
  agents.push(agent);
  return agent;
}

/** The SDK's IMDS provider, configured only through the environment as an unmodified workload is. */
function imds(agent: WorkloadAgent): AwsCredentialIdentityProvider {
  process.env['AWS_EC2_METADATA_SERVICE_ENDPOINT'] = `${agent.url}/`;
  delete process.env['AWS_EC2_METADATA_DISABLED'];
  return fromInstanceMetadata({ maxRetries: 0, timeout: 2000 });
}

function container(agent: WorkloadAgent): AwsCredentialIdentityProvider {
  process.env['AWS_CONTAINER_CREDENTIALS_FULL_URI'] = `${agent.url}/v1/credentials`;
  process.env['AWS_CONTAINER_AUTHORIZATION_TOKEN'] = CONTAINER_TOKEN;
  return fromContainerMetadata({ maxRetries: 0, timeout: 2000 });
}

async function callerArn(credentials: AwsCredentialIdentityProvider): Promise<string | undefined> {
  const sts = new STSClient({ endpoint: t.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  return (await sts.send(new GetCallerIdentityCommand({}))).Arn;
}

beforeAll(async () => {
  t = await startTestCastellan();
  const iam = t.iam();
  for (const [profile, role] of [['web', 'WebRole'], ['batch', 'BatchRole']] as const) {
    await iam.send(new CreateRoleCommand({ RoleName: role, AssumeRolePolicyDocument: EC2_TRUST }));
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: profile }));
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: profile, RoleName: role }));
  }
  // A role whose trust policy does not let EC2 assume it, as AWS would refuse it to an instance.
  const ACCOUNT_TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${E2E_ACCOUNT_ID}:root` }, Action: 'sts:AssumeRole' }] });
  await iam.send(new CreateRoleCommand({ RoleName: 'NoEc2Role', AssumeRolePolicyDocument: ACCOUNT_TRUST }));
  await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'no-ec2' }));
  await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'no-ec2', RoleName: 'NoEc2Role' }));
  // Roles whose trust policy lets EC2 assume them only when tagged workload=yes (aws:ResourceTag, as for any sts:AssumeRole).
  const TAGGED_TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:ResourceTag/workload': 'yes' } } }] });
  for (const [profile, role, tags] of [['tagged', 'TaggedRole', [{ Key: 'workload', Value: 'yes' }]], ['untagged', 'UntaggedRole', []]] as const) {
    await iam.send(new CreateRoleCommand({ RoleName: role, AssumeRolePolicyDocument: TAGGED_TRUST, Tags: [...tags] }));
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: profile }));
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: profile, RoleName: role }));
  }
});
afterEach(async () => {
  await Promise.all(agents.splice(0).map((a) => a.close()));
  process.env = { ...savedEnv };
});
afterAll(async () => t?.dispose());

describe('castellan workload + castellan agent', () => {
  it('an unmodified SDK gets the role through IMDSv2 and the ECS endpoint; STS names the assumed role', async () => {
    const web = await register('web');
    expect(web.Id).toMatch(/^wl-[0-9a-f]{16}$/);
    const agent = await agentFor(web.BootstrapSecret);
    const expected = `arn:aws:sts::${E2E_ACCOUNT_ID}:assumed-role/WebRole/${web.Id}`;
    expect(await callerArn(imds(agent))).toBe(expected);
    expect(await callerArn(container(agent))).toBe(expected);
    const creds = await imds(agent)();
    expect(creds.accessKeyId).toMatch(/^ASIA/);
    expect(creds.expiration!.getTime()).toBeGreaterThan(Date.now() + 50 * 60_000);
  });

  it('the AWS CLI v2 picks the role up through AWS_EC2_METADATA_SERVICE_ENDPOINT alone', async () => {
    const web = await register('web');
    const agent = await agentFor(web.BootstrapSecret);
    const { stdout } = await run(AWS_CLI, ['sts', 'get-caller-identity', '--endpoint-url', t.url, '--output', 'json'], {
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: '/nonexistent',
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        AWS_REGION: 'us-east-1',
        AWS_EC2_METADATA_SERVICE_ENDPOINT: `${agent.url}/`, // botocore needs the trailing slash
      },
    });
    expect((JSON.parse(stdout) as { Arn: string }).Arn).toBe(`arn:aws:sts::${E2E_ACCOUNT_ID}:assumed-role/WebRole/${web.Id}`);
  });

  it('IMDSv1, a bad TTL, a wrong ECS token, and another role name are refused', async () => {
    const web = await register('web');
    const agent = await agentFor(web.BootstrapSecret);
    const path = `${agent.url}/latest/meta-data/iam/security-credentials/`;
    expect((await fetch(path)).status).toBe(401);
    for (const ttl of ['0', '21601', 'x']) {
      expect((await fetch(`${agent.url}/latest/api/token`, { method: 'PUT', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': ttl } })).status).toBe(400);
    }
    const token = await (await fetch(`${agent.url}/latest/api/token`, { method: 'PUT', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '60' } })).text();
    const headers = { 'x-aws-ec2-metadata-token': token };
    expect(await (await fetch(path, { headers })).text()).toBe('WebRole');
    expect((await fetch(`${path}BatchRole`, { headers })).status).toBe(404);
    const doc = (await (await fetch(`${path}WebRole`, { headers })).json()) as Record<string, string>;
    expect(doc).toMatchObject({ Code: 'Success', Type: 'AWS-HMAC' });
    expect(Object.keys(doc).sort()).toEqual(['AccessKeyId', 'Code', 'Expiration', 'LastUpdated', 'SecretAccessKey', 'Token', 'Type']);
    expect((await fetch(`${agent.url}/v1/credentials`, { headers: { authorization: 'wrong' } })).status).toBe(401);
  });

  it('each workload gets only its own role; a wrong secret gets nothing from the server', async () => {
    const web = await register('web');
    const batch = await register('batch');
    expect(await callerArn(imds(await agentFor(batch.BootstrapSecret)))).toBe(`arn:aws:sts::${E2E_ACCOUNT_ID}:assumed-role/BatchRole/${batch.Id}`);
    expect(await callerArn(container(await agentFor(web.BootstrapSecret)))).toBe(`arn:aws:sts::${E2E_ACCOUNT_ID}:assumed-role/WebRole/${web.Id}`);
    const exchange = (secret: string, target = GET_WORKLOAD_CREDENTIALS_TARGET) => fetch(`${t.url}/`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target },
      body: '{}',
    });
    const refused = await exchange(`${web.BootstrapSecret}x`);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ __type: 'AccessDeniedException' });
    // The secret authenticates that one call and nothing else.
    const other = await exchange(web.BootstrapSecret, 'Castellan_20261201.ListWorkloads');
    expect(await other.json()).toMatchObject({ __type: 'AccessDeniedException', message: expect.stringContaining('only GetWorkloadCredentials') });
  });

  it('a revoked registration gets nothing at its next refresh; list shows it revoked', async () => {
    const web = await register('web');
    // Refresh on every request, so the next request is the next refresh.
    const agent = await agentFor(web.BootstrapSecret, 7200);
    expect(await callerArn(imds(agent))).toContain(web.Id);
    const revoked = await castellan('workload', 'revoke', web.Id);
    expect(revoked).toMatchObject({ code: 0 });
    await expect(imds(agent)()).rejects.toThrow();
    await expect(container(agent)()).rejects.toThrow();
    expect((await castellan('workload', 'revoke', web.Id)).code).toBe(1);
    const list = JSON.parse((await castellan('workload', 'list', '--json')).stdout) as { Workloads: Array<{ Id: string; RevokedDate?: string }> };
    expect(list.Workloads.find((w) => w.Id === web.Id)?.RevokedDate).toBeDefined();
  });

  it('a role whose trust policy does not allow ec2.amazonaws.com gives nothing; the refusal is an audited AssumeRole', async () => {
    const w = await register('no-ec2');
    await expect(imds(await agentFor(w.BootstrapSecret))()).rejects.toThrow();
    let record: Record<string, any> | undefined;
    for (let i = 0; i < 50 && !record; i++) {
      const events = (await t.cloudTrail().send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'AssumeRole' }] }))).Events ?? [];
      record = events.map((e) => JSON.parse(e.CloudTrailEvent ?? '{}') as Record<string, any>).find((r) => r['requestParameters']?.roleSessionName === w.Id);
      if (!record) await new Promise((r) => setTimeout(r, 100));
    }
    expect(record).toMatchObject({
      eventSource: 'sts.amazonaws.com',
      errorCode: 'AccessDenied',
      readOnly: false,
      resources: [{ ARN: `arn:aws:iam::${E2E_ACCOUNT_ID}:role/NoEc2Role`, accountId: E2E_ACCOUNT_ID, type: 'AWS::IAM::Role' }],
      userIdentity: { type: 'AWSService', invokedBy: 'ec2.amazonaws.com' },
      requestParameters: { roleArn: `arn:aws:iam::${E2E_ACCOUNT_ID}:role/NoEc2Role`, roleSessionName: w.Id },
      additionalEventData: { 'castellan:decision': { effect: 'implicitDeny', action: 'sts:AssumeRole', resource: `arn:aws:iam::${E2E_ACCOUNT_ID}:role/NoEc2Role` } },
    });
  });

  it('the trust policy is decided with the role\'s tags: a tag it requires gives the role, its absence nothing', async () => {
    const tagged = await register('tagged');
    expect(await callerArn(imds(await agentFor(tagged.BootstrapSecret)))).toBe(`arn:aws:sts::${E2E_ACCOUNT_ID}:assumed-role/TaggedRole/${tagged.Id}`);
    const untagged = await register('untagged');
    await expect(imds(await agentFor(untagged.BootstrapSecret))()).rejects.toThrow();
  });

  it('registering against a missing instance profile fails and prints no secret', async () => {
    const r = await castellan('workload', 'register', '--instance-profile', 'nope', '--json');
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('nope');
  });

  it('every issuance is an audited AssumeRole invoked by ec2.amazonaws.com, a write naming the role, without secrets', async () => {
    const web = await register('web');
    await imds(await agentFor(web.BootstrapSecret))();
    const roleArn = `arn:aws:iam::${E2E_ACCOUNT_ID}:role/WebRole`;
    // Found as every other AssumeRole is: among the writes, and by the role it names.
    const attributes = [{ AttributeKey: 'ReadOnly', AttributeValue: 'false' }, { AttributeKey: 'ResourceName', AttributeValue: roleArn }] as const;
    const found: Array<Array<Record<string, any>>> = [];
    for (const attribute of attributes) {
      let records: Array<Record<string, any>> = [];
      for (let i = 0; i < 50 && !records.some((r) => r['requestParameters']?.roleSessionName === web.Id); i++) {
        const events = (await t.cloudTrail().send(new LookupEventsCommand({ LookupAttributes: [attribute] }))).Events ?? [];
        records = events.map((e) => JSON.parse(e.CloudTrailEvent ?? '{}') as Record<string, any>);
        if (!records.some((r) => r['requestParameters']?.roleSessionName === web.Id)) await new Promise((r) => setTimeout(r, 100));
      }
      found.push(records);
    }
    const [writes, byRole] = found;
    expect(byRole!.find((r) => r['requestParameters']?.roleSessionName === web.Id)).toBeDefined();
    const record = writes!.find((r) => r['requestParameters']?.roleSessionName === web.Id);
    expect(record).toMatchObject({
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRole',
      readOnly: false,
      userIdentity: { type: 'AWSService', invokedBy: 'ec2.amazonaws.com' },
      requestParameters: { roleArn, roleSessionName: web.Id },
      resources: [{ ARN: roleArn, accountId: E2E_ACCOUNT_ID, type: 'AWS::IAM::Role' }],
    });
    const text = JSON.stringify(record);
    expect(text).not.toContain(web.BootstrapSecret);
    expect(text).not.toContain('SecretAccessKey');
  });
});
