/**
 * The standard credential providers of three real clients, configured as a newcomer configures
 * them (a shared config file, environment variables, nothing in code), against Castellan's STS and
 * `castellan agent`: the AWS CLI v2, boto3 (botocore) and the SDK for JavaScript v3 (its default
 * provider chain). Each flow is one row; each row names the clients it runs. What
 * sts-sessions, sts-mfa, sts-web-identity and workload-credentials already drive (the CLI's
 * `role_arn` + `source_profile` + `external_id` and `mfa_serial` profiles, its
 * `web_identity_token_file` profile, `fromWebToken`, `fromInstanceMetadata` and
 * `fromContainerMetadata` called directly, the CLI through IMDS) is not repeated here.
 *
 * Debian's CLI 2.9 and boto3 1.26 read neither `AWS_ENDPOINT_URL*` nor `endpoint_url`: their
 * assume-role providers reach Castellan through botocore's AWS_DATA_PATH (see cli-sts-endpoint).
 * The SDK for JavaScript reads `AWS_ENDPOINT_URL_STS`, and `[services]` sections of the config file.
 * The README's config file is run as written; a second part checks that boto3 refreshes what the
 * agent serves once per session, not at every call.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  AddRoleToInstanceProfileCommand,
  CreateAccessKeyCommand,
  CreateInstanceProfileCommand,
  CreateOpenIDConnectProviderCommand,
  CreateRoleCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { authenticator } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkloadAgent, type WorkloadAgent } from '../../packages/cli/src/commands/workload-agent.js';
import { AWS_CLI } from './helpers/aws-cli.js';
import { E2E_ACCOUNT_ID, startTestCastellan, type TestCastellan } from './helpers/castellan.js';
import { writeStsEndpointRuleSet } from './helpers/cli-sts-endpoint.js';
import { startOidcIssuer, type TestOidcIssuer } from './helpers/oidc-issuer.js';
import { runsCleanly } from './helpers/tool-available.js';

const run = promisify(execFile);
const A = `arn:aws:iam::${E2E_ACCOUNT_ID}`;
const STS = `arn:aws:sts::${E2E_ACCOUNT_ID}`;
const CASTELLAN = join(process.cwd(), 'packages/cli/bin/castellan.js');
const REQUIRED_PYTHON = process.env['CASTELLAN_PYTHON'] || undefined;
const PYTHON = REQUIRED_PYTHON ?? '/usr/bin/python3';
const HAS_BOTO3 = REQUIRED_PYTHON !== undefined || runsCleanly(PYTHON, ['-c', 'import boto3']);
const CLIENT_ID = 'castellan-workload';
const CONTAINER_TOKEN = 'container-token-profiles-0123456789';
const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const trusts = (principal: object, condition?: object) => policy({ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole', ...(condition ? { Condition: condition } : {}) });

type Client = 'aws-cli' | 'boto3' | 'sdk-js';
/** What a client's default provider chain led to: the caller's ARN and its credentials' expiry, or the error. */
type Outcome = { arn?: string; expiration?: string | null; error?: string };

/** boto3's default session: credentials from the chain, then STS GetCallerIdentity. */
const BOTO3 = `
import boto3, json, os
out = {}
try:
    s = boto3.Session()
    out['arn'] = s.client('sts', endpoint_url=os.environ['CASTELLAN_URL']).get_caller_identity()['Arn']
    c = s.get_credentials()
    expiry = getattr(c, '_expiry_time', None)
    out['expiration'] = expiry.isoformat() if expiry else None
except Exception as e:
    out['error'] = f'{type(e).__name__}: {e}'
print(json.dumps(out))
`;

/** The SDK's default chain (fromIni, with an MFA code callback when the row gives a code). */
const SDK_JS = `
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromIni, fromNodeProviderChain } from '@aws-sdk/credential-providers';
const code = process.env.TEST_MFA_CODE;
const credentials = code ? fromIni({ mfaCodeProvider: async () => code }) : fromNodeProviderChain();
const out = {};
try {
  out.arn = (await new STSClient({ credentials, maxAttempts: 1 }).send(new GetCallerIdentityCommand({}))).Arn;
  out.expiration = (await credentials()).expiration?.toISOString() ?? null;
} catch (e) {
  out.error = e.name + ': ' + e.message;
}
console.log(JSON.stringify(out));
`;

/** Runs `client` with only `env` (no credentials of the machine) and answers what it got. */
async function callerOf(client: Client, env: NodeJS.ProcessEnv, url: string, stdin?: string): Promise<Outcome> {
  const [file, args] =
    client === 'aws-cli'
      ? [AWS_CLI, ['sts', 'get-caller-identity', '--endpoint-url', url, '--output', 'json']]
      : client === 'boto3'
        ? [PYTHON, ['-c', BOTO3]]
        : [process.execPath, ['--input-type=module', '-e', SDK_JS]];
  const child = run(file, args, { env: { ...env, CASTELLAN_URL: url }, cwd: process.cwd(), timeout: 60_000 });
  // boto3 reads an MFA prompt's answer from standard input when it has no terminal.
  child.child.stdin?.end(stdin ?? '');
  try {
    const { stdout } = await child;
    if (client === 'aws-cli') return { arn: (JSON.parse(stdout) as { Arn: string }).Arn };
    return JSON.parse(stdout.trim().split('\n').pop()!) as Outcome;
  } catch (e) {
    return { error: String((e as { stderr?: string }).stderr ?? e) };
  }
}

/** The TOTP code of `seed` for the 30-second step of `at` plus `offset` steps. */
function totp(seed: string, at: number, offset = 0): string {
  const step = Math.floor(at / 30_000) + offset;
  return authenticator.clone({ epoch: step * 30_000 }).generate(seed);
}

describe('credential providers of the AWS CLI v2, boto3 and the SDK for JavaScript', () => {
  let s: TestCastellan;
  let issuer: TestOidcIssuer;
  let agent: WorkloadAgent;
  let workloadId: string;
  let dir: string;
  /** MFA users, one per client that reads a code, each with its own device: a code is accepted once. */
  const mfa: Record<'boto3' | 'sdk-js', { serial: string; seed: string; enrolledAt: number }> = {} as never;

  async function userKey(iam: IAMClient, name: string): Promise<{ id: string; secret: string }> {
    await iam.send(new CreateUserCommand({ UserName: name }));
    await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'assume', PolicyDocument: policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }) }));
    const k = (await iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
    return { id: k.AccessKeyId!, secret: k.SecretAccessKey! };
  }

  beforeAll(async () => {
    issuer = await startOidcIssuer();
    s = await startTestCastellan({ oidcAllowHttpLoopback: true, oidcAllowNetwork: ['127.0.0.1'] });
    dir = await mkdtemp(join(tmpdir(), 'castellan-profiles-'));
    const iam = s.iam();
    const dev = await userKey(iam, 'dev');
    const list = policy({ Effect: 'Allow', Action: ['iam:List*', 'sts:AssumeRole'], Resource: '*' });
    await iam.send(new CreateRoleCommand({ RoleName: 'Dev', MaxSessionDuration: 7200, AssumeRolePolicyDocument: trusts({ AWS: `${A}:user/dev` }) }));
    await iam.send(new CreateRoleCommand({ RoleName: 'Chained', AssumeRolePolicyDocument: trusts({ AWS: `${A}:role/Dev` }) }));
    await iam.send(new CreateRoleCommand({ RoleName: 'Partner', AssumeRolePolicyDocument: trusts({ AWS: `${A}:user/dev` }, { StringEquals: { 'sts:ExternalId': 'partner-ext-1' } }) }));
    for (const role of ['Dev', 'Chained']) {
      await iam.send(new PutRolePolicyCommand({ RoleName: role, PolicyName: 'p', PolicyDocument: list }));
    }

    // MFA: a role that needs it, and a user with an enabled virtual device for each client.
    const mfaUsers: Record<string, { id: string; secret: string }> = {};
    for (const client of ['boto3', 'sdk-js'] as const) {
      const name = `mfa-${client}`;
      mfaUsers[client] = await userKey(iam, name);
      const device = (await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: name }))).VirtualMFADevice!;
      const seed = new TextDecoder().decode(device.Base32StringSeed);
      const now = Date.now();
      await iam.send(new EnableMFADeviceCommand({ UserName: name, SerialNumber: device.SerialNumber!, AuthenticationCode1: totp(seed, now, -1), AuthenticationCode2: totp(seed, now) }));
      mfa[client] = { serial: device.SerialNumber!, seed, enrolledAt: now };
    }
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'MfaOps',
        AssumeRolePolicyDocument: trusts({ AWS: [`${A}:user/mfa-boto3`, `${A}:user/mfa-sdk-js`] }, { Bool: { 'aws:MultiFactorAuthPresent': 'true' } }),
      }),
    );

    // Web identity: a loopback issuer registered as an OpenID Connect provider.
    const provider = (await iam.send(new CreateOpenIDConnectProviderCommand({ Url: issuer.url, ClientIDList: [CLIENT_ID], ThumbprintList: ['0'.repeat(40)] }))).OpenIDConnectProviderArn!;
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'Web',
        AssumeRolePolicyDocument: policy({ Effect: 'Allow', Principal: { Federated: provider }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { [`${issuer.host}:aud`]: CLIENT_ID } } }),
      }),
    );
    await writeFile(join(dir, 'web-token'), await issuer.token({ sub: 'system:serviceaccount:default:app', aud: CLIENT_ID }));

    // A workload: an instance profile's role served by `castellan agent` (IMDSv2 and the ECS format).
    await iam.send(new CreateRoleCommand({ RoleName: 'Ec2', AssumeRolePolicyDocument: trusts({ Service: 'ec2.amazonaws.com' }) }));
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'app' }));
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'app', RoleName: 'Ec2' }));
    const location = ['--data-dir', s.config.dataDir, ...(s.config.databaseUrl ? ['--database-url', s.config.databaseUrl] : []), ...(s.postgresSchema ? ['--schema', s.postgresSchema] : [])];
    const registered = await run(process.execPath, [CASTELLAN, 'workload', 'register', '--instance-profile', 'app', '--json', ...location], {
      env: { ...process.env, ...(s.config.masterKey ? { CASTELLAN_MASTER_KEY: s.config.masterKey } : {}) },
    });
    const workload = JSON.parse(registered.stdout) as { Id: string; BootstrapSecret: string };
    workloadId = workload.Id;
    agent = await startWorkloadAgent({ endpoint: s.url, bootstrapSecret: workload.BootstrapSecret, host: '127.0.0.1', port: 0, containerAuthorizationToken: CONTAINER_TOKEN });
    await writeFile(join(dir, 'container-token'), CONTAINER_TOKEN);
    // A role the workload's and the web identity's sessions may go on to (role chaining).
    await iam.send(new CreateRoleCommand({ RoleName: 'Next', AssumeRolePolicyDocument: trusts({ AWS: [`${A}:role/Ec2`, `${A}:role/Web`] }) }));

    await writeFile(
      join(dir, 'credentials'),
      [
        `[dev]\naws_access_key_id = ${dev.id}\naws_secret_access_key = ${dev.secret}`,
        ...Object.entries(mfaUsers).map(([client, k]) => `[mfa-${client}]\naws_access_key_id = ${k.id}\naws_secret_access_key = ${k.secret}`),
      ].join('\n\n') + '\n',
    );
    await writeFile(
      join(dir, 'config'),
      `[default]
region = us-east-1

[profile dev]
region = us-east-1

[profile dev-role]
role_arn = ${A}:role/Dev
source_profile = dev
role_session_name = dev-session

[profile chain]
role_arn = ${A}:role/Chained
source_profile = dev-role
role_session_name = chain-session

[profile chain-long]
role_arn = ${A}:role/Chained
source_profile = dev-role
duration_seconds = 7200

[profile long]
role_arn = ${A}:role/Dev
source_profile = dev
role_session_name = long-session
duration_seconds = 7200

[profile partner]
role_arn = ${A}:role/Partner
source_profile = dev
external_id = partner-ext-1
role_session_name = partner-session

[profile proc]
credential_process = ${AWS_CLI} configure export-credentials --profile dev --format process

[profile proc-role]
role_arn = ${A}:role/Dev
source_profile = proc
role_session_name = proc-session

${(['boto3', 'sdk-js'] as const)
  .map((client) => `[profile mfa-${client}]\nregion = us-east-1\n\n[profile ops-${client}]\nrole_arn = ${A}:role/MfaOps\nsource_profile = mfa-${client}\nmfa_serial = ${mfa[client].serial}\nrole_session_name = mfa-session\n`)
  .join('\n')}
[profile ecs-source]
role_arn = ${A}:role/Next
credential_source = EcsContainer
role_session_name = ecs-source-session

[profile imds-source]
role_arn = ${A}:role/Next
credential_source = Ec2InstanceMetadata
role_session_name = imds-source-session

[profile web]
role_arn = ${A}:role/Web
web_identity_token_file = ${join(dir, 'web-token')}
role_session_name = web-profile-session

[profile web-chain]
role_arn = ${A}:role/Next
source_profile = web
role_session_name = web-chain-session

[profile services]
services = castellan
role_arn = ${A}:role/Dev
source_profile = dev
role_session_name = services-session

[profile endpoint]
endpoint_url = ${s.url}
role_arn = ${A}:role/Dev
source_profile = dev
role_session_name = endpoint-session

[services castellan]
sts =
  endpoint_url = ${s.url}
iam =
  endpoint_url = ${s.url}
`,
    );
    await writeStsEndpointRuleSet(join(dir, 'data'), s.url);
  });
  afterAll(async () => {
    await agent?.close();
    await s?.dispose();
    await issuer?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** The environment of a client run: the test's config files, a HOME of its own (the CLI caches there), no credentials. */
  async function envOf(extra: NodeJS.ProcessEnv): Promise<NodeJS.ProcessEnv> {
    const home = await mkdtemp(join(dir, 'home-'));
    const env: NodeJS.ProcessEnv = {
      PATH: process.env['PATH'],
      HOME: home,
      AWS_CONFIG_FILE: join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
      AWS_DATA_PATH: join(dir, 'data'),
      AWS_ENDPOINT_URL_STS: s.url,
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_PAGER: '',
      AWS_MAX_ATTEMPTS: '1',
      AWS_EC2_METADATA_DISABLED: 'true',
      NODE_NO_WARNINGS: '1',
      ...extra,
    };
    for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
    return env;
  }

  const ALL: Client[] = ['aws-cli', 'boto3', 'sdk-js'];
  const clients = (list: Client[]) => list.filter((c) => c !== 'boto3' || HAS_BOTO3);
  const HOUR = 3600_000;

  /** Each flow: the environment a newcomer sets, and what every named client must get. */
  const FLOWS: Array<{ name: string; clients: Client[]; env: () => NodeJS.ProcessEnv; arn?: () => string; error?: string; lasts?: [number, number] }> = [
    { name: 'role chaining: a role profile whose source_profile is another role profile', clients: ALL, env: () => ({ AWS_PROFILE: 'chain' }), arn: () => `${STS}:assumed-role/Chained/chain-session`, lasts: [0.9 * HOUR, HOUR] },
    { name: 'duration_seconds beyond an hour, up to the role’s MaxSessionDuration', clients: ['boto3', 'sdk-js'], env: () => ({ AWS_PROFILE: 'long' }), arn: () => `${STS}:assumed-role/Dev/long-session`, lasts: [1.9 * HOUR, 2 * HOUR] },
    { name: 'duration_seconds beyond an hour in a chain: AWS’s refusal', clients: ALL, env: () => ({ AWS_PROFILE: 'chain-long' }), error: 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.' },
    { name: 'external_id', clients: ['boto3', 'sdk-js'], env: () => ({ AWS_PROFILE: 'partner' }), arn: () => `${STS}:assumed-role/Partner/partner-session` },
    { name: 'credential_process running `aws configure export-credentials --format process`', clients: ALL, env: () => ({ AWS_PROFILE: 'proc' }), arn: () => `${A}:user/dev` },
    { name: 'a role profile whose source_profile has a credential_process', clients: ALL, env: () => ({ AWS_PROFILE: 'proc-role' }), arn: () => `${STS}:assumed-role/Dev/proc-session` },
    {
      name: 'web identity from AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE (EKS service accounts)',
      clients: ALL,
      env: () => ({ AWS_ROLE_ARN: `${A}:role/Web`, AWS_WEB_IDENTITY_TOKEN_FILE: join(dir, 'web-token'), AWS_ROLE_SESSION_NAME: 'irsa-session' }),
      arn: () => `${STS}:assumed-role/Web/irsa-session`,
    },
    {
      name: 'container credentials: AWS_CONTAINER_CREDENTIALS_FULL_URI + AWS_CONTAINER_AUTHORIZATION_TOKEN from castellan agent',
      clients: ALL,
      env: () => ({ AWS_CONTAINER_CREDENTIALS_FULL_URI: `${agent.url}/v1/credentials`, AWS_CONTAINER_AUTHORIZATION_TOKEN: CONTAINER_TOKEN }),
      arn: () => `${STS}:assumed-role/Ec2/${workloadId}`,
      lasts: [0.9 * HOUR, HOUR],
    },
    {
      // botocore 1.29 (Debian's boto3 and CLI 2.9) reads only AWS_CONTAINER_AUTHORIZATION_TOKEN.
      name: 'container credentials with AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
      clients: ['sdk-js'],
      env: () => ({ AWS_CONTAINER_CREDENTIALS_FULL_URI: `${agent.url}/v1/credentials`, AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: join(dir, 'container-token') }),
      arn: () => `${STS}:assumed-role/Ec2/${workloadId}`,
    },
    {
      name: 'IMDSv2 through AWS_EC2_METADATA_SERVICE_ENDPOINT from castellan agent',
      clients: ['boto3', 'sdk-js'],
      env: () => ({ AWS_EC2_METADATA_DISABLED: undefined, AWS_EC2_METADATA_SERVICE_ENDPOINT: `${agent.url}/` }),
      arn: () => `${STS}:assumed-role/Ec2/${workloadId}`,
      lasts: [0.9 * HOUR, HOUR],
    },
    {
      name: 'credential_source = EcsContainer: a role assumed with the container’s credentials',
      clients: ALL,
      env: () => ({ AWS_PROFILE: 'ecs-source', AWS_CONTAINER_CREDENTIALS_FULL_URI: `${agent.url}/v1/credentials`, AWS_CONTAINER_AUTHORIZATION_TOKEN: CONTAINER_TOKEN }),
      arn: () => `${STS}:assumed-role/Next/ecs-source-session`,
    },
    {
      name: 'credential_source = Ec2InstanceMetadata: a role assumed with the instance’s credentials',
      clients: ALL,
      env: () => ({ AWS_PROFILE: 'imds-source', AWS_EC2_METADATA_DISABLED: undefined, AWS_EC2_METADATA_SERVICE_ENDPOINT: `${agent.url}/` }),
      arn: () => `${STS}:assumed-role/Next/imds-source-session`,
    },
    { name: 'a web_identity_token_file profile', clients: ['boto3', 'sdk-js'], env: () => ({ AWS_PROFILE: 'web' }), arn: () => `${STS}:assumed-role/Web/web-profile-session` },
    { name: 'a role profile whose source_profile is a web_identity_token_file profile', clients: ALL, env: () => ({ AWS_PROFILE: 'web-chain' }), arn: () => `${STS}:assumed-role/Next/web-chain-session` },
    // The SDK for JavaScript reads endpoints from the profile AWS_PROFILE names (not from a client's `profile` option).
    { name: 'a `[services]` section of the config file, no endpoint in code or environment', clients: ['sdk-js'], env: () => ({ AWS_PROFILE: 'services', AWS_ENDPOINT_URL_STS: undefined }), arn: () => `${STS}:assumed-role/Dev/services-session` },
    { name: 'endpoint_url in the profile, no endpoint in code or environment', clients: ['sdk-js'], env: () => ({ AWS_PROFILE: 'endpoint', AWS_ENDPOINT_URL_STS: undefined }), arn: () => `${STS}:assumed-role/Dev/endpoint-session` },
  ];

  // A loop rather than describe.each: vitest shortens a `$name` in a title to 40 characters.
  for (const flow of FLOWS) describe(flow.name, () => {
    it.each(clients(flow.clients))('%s', async (client) => {
      const out = await callerOf(client, await envOf(flow.env()), s.url);
      if (flow.error) {
        expect(out.error).toContain(flow.error);
        return;
      }
      expect(out, JSON.stringify(out)).toMatchObject({ arn: flow.arn!() });
      if (flow.lasts && client !== 'aws-cli') {
        const left = Date.parse(out.expiration!) - Date.now();
        expect(left).toBeGreaterThan(flow.lasts[0]);
        expect(left).toBeLessThanOrEqual(flow.lasts[1]);
      }
    });
  });

  it.each(clients(['boto3', 'sdk-js']))('mfa_serial with %s: the code its callback or prompt gives is checked', async (client) => {
    const device = mfa[client as 'boto3' | 'sdk-js'];
    // The enrolment spent the codes of its step and the one before: the code of the current step, or
    // of the next one while the enrolment's step lasts (the server accepts a step either side).
    const code = totp(device.seed, Math.max(Date.now(), device.enrolledAt + 30_000));
    const env = await envOf({ AWS_PROFILE: `ops-${client}`, ...(client === 'sdk-js' ? { TEST_MFA_CODE: code } : {}) });
    const out = await callerOf(client, env, s.url, `${code}\n`);
    expect(out, JSON.stringify(out)).toMatchObject({ arn: `${STS}:assumed-role/MfaOps/mfa-session` });
    // The same code again is a replay.
    const again = await callerOf(client, await envOf({ AWS_PROFILE: `ops-${client}`, ...(client === 'sdk-js' ? { TEST_MFA_CODE: code } : {}) }), s.url, `${code}\n`);
    expect(again.error).toContain('invalid MFA one time pass code');
  });

  it('the README’s config file (“Roles from the config file”) works as written, the server’s address aside', async () => {
    const readme = await readFile(join(process.cwd(), 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Roles from the config file'));
    const ini = /```ini\n([\s\S]*?)```/.exec(section)![1]!.replaceAll('http://127.0.0.1:8910', s.url);
    const iam = s.iam();
    await iam.send(new CreateRoleCommand({ RoleName: 'Ops', MaxSessionDuration: 7200, AssumeRolePolicyDocument: trusts({ AWS: `${A}:user/dev` }) }));
    await iam.send(new CreateRoleCommand({ RoleName: 'Deploy', AssumeRolePolicyDocument: trusts({ AWS: `${A}:role/Ops` }) }));
    const readmeDir = await mkdtemp(join(dir, 'readme-'));
    await writeFile(join(readmeDir, 'config'), ini);
    await writeFile(join(readmeDir, 'credentials'), (await readFile(join(dir, 'credentials'), 'utf8')).split('\n\n')[0]! + '\n');
    const files = { AWS_CONFIG_FILE: join(readmeDir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(readmeDir, 'credentials'), AWS_PROFILE: 'deploy' };
    // Only the SDK for JavaScript here reads `[services]`: no other endpoint is given to it.
    const js = await callerOf('sdk-js', await envOf({ ...files, AWS_ENDPOINT_URL_STS: undefined }), s.url);
    expect(js, JSON.stringify(js)).toMatchObject({ arn: expect.stringMatching(new RegExp(`^${STS}:assumed-role/Deploy/aws-sdk-js-\\d+$`)) });
    for (const client of clients(['aws-cli', 'boto3'])) {
      const out = await callerOf(client, await envOf(files), s.url);
      expect(out, JSON.stringify(out)).toMatchObject({ arn: expect.stringMatching(new RegExp(`^${STS}:assumed-role/Deploy/botocore-session-\\d+$`)) });
    }
  });

  it('the AWS CLI caches a chained role’s session under ~/.aws/cli/cache and reuses it; export-credentials prints it', async () => {
    const env = await envOf({ AWS_PROFILE: 'chain' });
    const assumeRoles = async () => {
      const events = (await s.cloudTrail().send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'AssumeRole' }], MaxResults: 50 }))).Events ?? [];
      return events.map((e) => JSON.parse(e.CloudTrailEvent!) as { requestParameters?: { roleArn?: string } }).filter((r) => r.requestParameters?.roleArn === `${A}:role/Chained`).length;
    };
    const before = await assumeRoles();
    expect(await callerOf('aws-cli', env, s.url)).toMatchObject({ arn: `${STS}:assumed-role/Chained/chain-session` });
    const cached = await readdir(join(env['HOME']!, '.aws/cli/cache'));
    expect(cached.length).toBeGreaterThan(0);
    expect(await callerOf('aws-cli', env, s.url)).toMatchObject({ arn: `${STS}:assumed-role/Chained/chain-session` });
    const exportedProcess = JSON.parse((await run(AWS_CLI, ['configure', 'export-credentials', '--format', 'process'], { env })).stdout) as Record<string, string>;
    expect(exportedProcess).toMatchObject({ Version: 1, AccessKeyId: expect.stringMatching(/^ASIA/), SessionToken: expect.any(String) });
    expect(Date.parse(exportedProcess['Expiration']!) - Date.now()).toBeGreaterThan(0.9 * HOUR);
    const exported = (await run(AWS_CLI, ['configure', 'export-credentials', '--format', 'env'], { env })).stdout;
    expect(exported).toContain(`export AWS_ACCESS_KEY_ID=${exportedProcess['AccessKeyId']}\n`);
    expect(exported).toContain(`export AWS_SESSION_TOKEN=${exportedProcess['SessionToken']}\n`);
    // One AssumeRole of the chained role for three commands: the later ones used the cache.
    expect((await assumeRoles()) - before).toBe(1);
    // The exported session works on its own, as AWS's does.
    const { stdout } = await run(AWS_CLI, ['sts', 'get-caller-identity', '--endpoint-url', s.url, '--output', 'json'], {
      env: { PATH: process.env['PATH'], HOME: env['HOME'], AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: exportedProcess['AccessKeyId'], AWS_SECRET_ACCESS_KEY: exportedProcess['SecretAccessKey'], AWS_SESSION_TOKEN: exportedProcess['SessionToken'], AWS_EC2_METADATA_DISABLED: 'true' },
    });
    expect((JSON.parse(stdout) as { Arn: string }).Arn).toBe(`${STS}:assumed-role/Chained/chain-session`);
  });
});

/**
 * botocore refreshes what a container or IMDS provider gave it from 15 minutes before expiry
 * (advisory), and blocks on the refresh from 10 minutes before (mandatory). What the agent serves
 * must therefore have more than 15 minutes left, or every call in that window fetches the same
 * session again. The test moves one clock for the server, the agent and boto3 together.
 */
describe.skipIf(!HAS_BOTO3)('boto3 refreshing what castellan agent serves', () => {
  const offset = { ms: 0 };
  let s: TestCastellan;
  let dir: string;
  let secret: string;

  /** boto3 gets container credentials at the clock's start, then makes five calls `minutes` later. */
  const REFRESH = `
import json, os, sys, datetime
import botocore.credentials as bc
from botocore.utils import ContainerMetadataFetcher
offset_file = os.environ['TEST_CLOCK_OFFSET_FILE']
def shifted():
    return bc._local_now() + datetime.timedelta(milliseconds=float(open(offset_file).read() or '0'))
fetches = 0
original = ContainerMetadataFetcher.retrieve_full_uri
def counting(self, *args, **kwargs):
    global fetches
    fetches += 1
    return original(self, *args, **kwargs)
ContainerMetadataFetcher.retrieve_full_uri = counting
import boto3
creds = boto3.Session().get_credentials()
creds._time_fetcher = shifted
first = creds.get_frozen_credentials().access_key
print(json.dumps({'step': 'started'}), flush=True)
sys.stdin.readline()
keys = [creds.get_frozen_credentials().access_key for _ in range(5)]
print(json.dumps({'fetches': fetches, 'first': first, 'keys': keys, 'left': (creds._expiry_time - shifted()).total_seconds()}))
`;

  beforeAll(async () => {
    s = await startTestCastellan({}, { clock: { now: () => new Date(Date.now() + offset.ms) } });
    dir = await mkdtemp(join(tmpdir(), 'castellan-refresh-'));
    const iam = s.iam();
    await iam.send(new CreateRoleCommand({ RoleName: 'Ec2', AssumeRolePolicyDocument: trusts({ Service: 'ec2.amazonaws.com' }) }));
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'app' }));
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'app', RoleName: 'Ec2' }));
    const location = ['--data-dir', s.config.dataDir, ...(s.config.databaseUrl ? ['--database-url', s.config.databaseUrl] : []), ...(s.postgresSchema ? ['--schema', s.postgresSchema] : [])];
    const registered = await run(process.execPath, [CASTELLAN, 'workload', 'register', '--instance-profile', 'app', '--json', ...location], {
      env: { ...process.env, ...(s.config.masterKey ? { CASTELLAN_MASTER_KEY: s.config.masterKey } : {}) },
    });
    secret = (JSON.parse(registered.stdout) as { BootstrapSecret: string }).BootstrapSecret;
  });
  afterAll(async () => {
    await s?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it.each([
    { minutes: 30, fetches: 1, renewed: false },
    // 13 minutes before expiry: inside botocore's advisory window, outside the agent's old 5 minutes.
    { minutes: 47, fetches: 2, renewed: true },
    // 8 minutes before expiry: inside botocore's mandatory window.
    { minutes: 52, fetches: 2, renewed: true },
  ])('with the agent’s defaults, $minutes minutes into the session boto3 fetches $fetches time(s) in all', async ({ minutes, fetches, renewed }) => {
    offset.ms = 0;
    const clockFile = join(dir, `offset-${minutes}`);
    await writeFile(clockFile, '0');
    const agent = await startWorkloadAgent({ endpoint: s.url, bootstrapSecret: secret, host: '127.0.0.1', port: 0, containerAuthorizationToken: CONTAINER_TOKEN, now: () => new Date(Date.now() + offset.ms) });
    try {
      const child = run(PYTHON, ['-c', REFRESH], {
        env: { PATH: process.env['PATH'], HOME: dir, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_EC2_METADATA_DISABLED: 'true', AWS_CONTAINER_CREDENTIALS_FULL_URI: `${agent.url}/v1/credentials`, AWS_CONTAINER_AUTHORIZATION_TOKEN: CONTAINER_TOKEN, TEST_CLOCK_OFFSET_FILE: clockFile },
        timeout: 60_000,
      });
      // When boto3 holds its first session, every clock moves on together.
      await new Promise<void>((resolve) => child.child.stdout!.once('data', () => resolve()));
      offset.ms = minutes * 60_000;
      await writeFile(clockFile, String(offset.ms));
      child.child.stdin!.end('go\n');
      const out = JSON.parse((await child).stdout.trim().split('\n').pop()!) as { fetches: number; first: string; keys: string[]; left: number };
      expect(out.fetches).toBe(fetches);
      expect(new Set(out.keys).size).toBe(1);
      expect(out.keys[0] !== out.first).toBe(renewed);
      expect(out.left).toBeGreaterThan(15 * 60);
    } finally {
      offset.ms = 0;
      await agent.close();
    }
  });
});
