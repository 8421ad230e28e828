/**
 * MFA in STS over the wire, with codes computed in the test from the device's seed (otplib):
 * a trust policy that requires MFA, a replayed code, a permissions policy that requires MFA (and
 * its age) for a long-term key and for a GetSessionToken session, the audit record's
 * `mfaAuthenticated`, and the AWS CLI v2 assuming a role from a profile with `mfa_serial`.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  GetUserCommand,
  IAMClient,
  ListRolesCommand,
  ListUsersCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand, STSClient, type Credentials } from '@aws-sdk/client-sts';
import { authenticator } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWS_CLI } from './helpers/aws-cli.js';
import { sdkError, type StaticCredentials } from './helpers/aws-clients.js';
import { E2E_ACCOUNT_ID, startTestCastellan, type TestCastellan } from './helpers/castellan.js';
import { writeStsEndpointRuleSet } from './helpers/cli-sts-endpoint.js';

const A = `arn:aws:iam::${E2E_ACCOUNT_ID}`;
const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const MFA_PRESENT = { Bool: { 'aws:MultiFactorAuthPresent': 'true' } };
const UNABLE = 'MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.';
const INVALID = 'MultiFactorAuthentication failed with invalid MFA one time pass code. ';
const creds = (c: Credentials | undefined): StaticCredentials => ({ accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey!, sessionToken: c!.SessionToken! });

/** The TOTP code of `seed` for the 30-second step of `at` plus `offset` steps. */
function totp(seed: string, at: number, offset = 0): string {
  const step = Math.floor(at / 30_000) + offset;
  return authenticator.clone({ epoch: step * 30_000 }).generate(seed);
}

/** Creates user `name` with an access key and an enabled virtual device; the enrolment spends the step of `now`. */
async function userWithDevice(root: IAMClient, name: string, now: number): Promise<{ key: StaticCredentials; serial: string; seed: string }> {
  await root.send(new CreateUserCommand({ UserName: name }));
  const k = (await root.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
  const device = (await root.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: name }))).VirtualMFADevice!;
  const seed = new TextDecoder().decode(device.Base32StringSeed);
  await root.send(new EnableMFADeviceCommand({ UserName: name, SerialNumber: device.SerialNumber!, AuthenticationCode1: totp(seed, now, -1), AuthenticationCode2: totp(seed, now) }));
  return { key: { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! }, serial: device.SerialNumber!, seed };
}

describe('MFA with the SDK', () => {
  /** The server's clock, moved by the test a step at a time so each code is fresh; clients sign with the same offset. */
  const clock = { offsetMs: 0, now: () => new Date(Date.now() + clock.offsetMs) };
  const nextStep = () => {
    clock.offsetMs += 30_000;
  };
  let s: TestCastellan;
  let root: IAMClient;
  let mia: { key: StaticCredentials; serial: string; seed: string };
  const sts = (c: StaticCredentials) => new STSClient({ endpoint: s.url, region: 'us-east-1', credentials: c, maxAttempts: 1, systemClockOffset: clock.offsetMs });
  const iam = (c: StaticCredentials) => new IAMClient({ endpoint: s.url, region: 'us-east-1', credentials: c, maxAttempts: 1, systemClockOffset: clock.offsetMs });
  /** A fresh code: the clock moves to the next step first, so no code is ever a replay unless the test means it. */
  const code = () => {
    nextStep();
    return totp(mia.seed, clock.now().getTime());
  };

  beforeAll(async () => {
    s = await startTestCastellan({}, { clock });
    root = s.iam();
    mia = await userWithDevice(root, 'mia', clock.now().getTime());
    await root.send(
      new CreateRoleCommand({ RoleName: 'NeedsMfa', AssumeRolePolicyDocument: policy({ Effect: 'Allow', Principal: { AWS: `${A}:user/mia` }, Action: 'sts:AssumeRole', Condition: MFA_PRESENT }) }),
    );
    await root.send(new PutRolePolicyCommand({ RoleName: 'NeedsMfa', PolicyName: 'list', PolicyDocument: policy({ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' }) }));
  });
  afterAll(() => s?.dispose());

  it('a trust policy requiring MFA refuses AssumeRole without a code and allows it with one; a replayed code is refused', async () => {
    const input = { RoleArn: `${A}:role/NeedsMfa`, RoleSessionName: 'mfa' };
    const without = await sdkError(() => sts(mia.key).send(new AssumeRoleCommand(input)));
    expect(without).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(without.message).toContain(`User: ${A}:user/mia is not authorized to perform: sts:AssumeRole on resource: ${A}:role/NeedsMfa`);

    const tokenCode = code();
    const out = await sts(mia.key).send(new AssumeRoleCommand({ ...input, SerialNumber: mia.serial, TokenCode: tokenCode }));
    const session = creds(out.Credentials);
    expect((await sts(session).send(new GetCallerIdentityCommand({}))).Arn).toBe(`arn:aws:sts::${E2E_ACCOUNT_ID}:assumed-role/NeedsMfa/mfa`);
    await iam(session).send(new ListUsersCommand({}));

    expect(await sdkError(() => sts(mia.key).send(new AssumeRoleCommand({ ...input, SerialNumber: mia.serial, TokenCode: tokenCode })))).toMatchObject({ name: 'AccessDenied', message: INVALID });
    expect(await sdkError(() => sts(mia.key).send(new AssumeRoleCommand({ ...input, SerialNumber: `${A}:mfa/nobody`, TokenCode: code() })))).toMatchObject({ name: 'AccessDenied', message: UNABLE });

    // The session's calls are recorded as made with MFA (read-only calls are written in batches:
    // wait for it); the code itself is never recorded.
    let listed: { userIdentity: { sessionContext: { attributes: { mfaAuthenticated: string } } } } | undefined;
    for (let i = 0; i < 100 && !listed; i++) {
      const audit = await s.server.store.scanAuditEvents({ fromSeq: 0, limit: 100_000 });
      listed = audit.map((e) => JSON.parse(e.recordJson)).find((r) => r.eventName === 'ListUsers' && r.userIdentity?.accessKeyId === session.accessKeyId);
      if (!listed) await new Promise((r) => setTimeout(r, 100));
    }
    expect(listed?.userIdentity.sessionContext.attributes.mfaAuthenticated).toBe('true');
    const audit = await s.server.store.scanAuditEvents({ fromSeq: 0, limit: 100_000 });
    expect(audit.some((e) => e.recordJson.includes(`"${tokenCode}"`))).toBe(false);
  });

  it('a policy requiring MFA denies a plain access key and allows a GetSessionToken-with-MFA session, for as long as its age allows', async () => {
    await root.send(
      new PutUserPolicyCommand({
        UserName: 'mia',
        PolicyName: 'mfa',
        PolicyDocument: policy(
          { Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*', Condition: MFA_PRESENT },
          { Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*', Condition: { ...MFA_PRESENT, NumericLessThan: { 'aws:MultiFactorAuthAge': '300' } } },
          // Long-term keys carry no aws:MultiFactorAuthPresent at all (absent, not false).
          { Effect: 'Allow', Action: 'iam:GetUser', Resource: '*', Condition: { Null: { 'aws:MultiFactorAuthPresent': 'true' } } },
        ),
      }),
    );
    expect(await sdkError(() => iam(mia.key).send(new ListUsersCommand({})))).toMatchObject({ name: 'AccessDenied' });
    await iam(mia.key).send(new GetUserCommand({ UserName: 'mia' }));

    // Without MFA the session cannot call IAM at all, as on AWS.
    const plain = creds((await sts(mia.key).send(new GetSessionTokenCommand({}))).Credentials);
    expect(await sdkError(() => iam(plain).send(new ListUsersCommand({})))).toMatchObject({ name: 'InvalidClientTokenId' });

    const session = creds((await sts(mia.key).send(new GetSessionTokenCommand({ SerialNumber: mia.serial, TokenCode: code(), DurationSeconds: 3600 }))).Credentials);
    await iam(session).send(new ListUsersCommand({}));
    await iam(session).send(new ListRolesCommand({}));
    expect((await sdkError(() => iam(session).send(new GetUserCommand({ UserName: 'mia' })))).name).toBe('AccessDenied');

    // Ten minutes later the code is older than the policy allows for ListRoles.
    clock.offsetMs += 600_000;
    await iam(session).send(new ListUsersCommand({}));
    expect((await sdkError(() => iam(session).send(new ListRolesCommand({})))).name).toBe('AccessDenied');
  });
});

describe('MFA with the AWS CLI v2', () => {
  let s: TestCastellan;
  let dir: string;
  beforeAll(async () => {
    s = await startTestCastellan();
    dir = await mkdtemp(join(tmpdir(), 'castellan-cli-mfa-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await s?.dispose();
  });

  /** Runs the CLI with `stdin` written to it (where it reads the MFA code it prompts for). */
  function cli(args: string[], env: NodeJS.ProcessEnv, stdin: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = execFile(AWS_CLI, args, { env, timeout: 60_000 }, (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
      child.stdin!.end(stdin);
    });
  }

  it('assumes a role from a profile with mfa_serial, reading the code it prompts for', async () => {
    const root = s.iam();
    const now = Date.now();
    const user = await userWithDevice(root, 'cli', now);
    await root.send(
      new CreateRoleCommand({ RoleName: 'CliMfa', AssumeRolePolicyDocument: policy({ Effect: 'Allow', Principal: { AWS: `${A}:user/cli` }, Action: 'sts:AssumeRole', Condition: MFA_PRESENT }) }),
    );
    await writeFile(join(dir, 'credentials'), `[src]\naws_access_key_id = ${user.key.accessKeyId}\naws_secret_access_key = ${user.key.secretAccessKey}\n`);
    await writeFile(
      join(dir, 'config'),
      `[profile src]\nregion = us-east-1\n\n[profile ops]\nrole_arn = ${A}:role/CliMfa\nsource_profile = src\nmfa_serial = ${user.serial}\nrole_session_name = cli-mfa\nregion = us-east-1\n`,
    );
    await writeStsEndpointRuleSet(join(dir, 'data'), s.url);
    const env = {
      ...process.env,
      AWS_CONFIG_FILE: join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
      AWS_DATA_PATH: join(dir, 'data'),
      HOME: dir,
      AWS_PAGER: '',
      AWS_MAX_ATTEMPTS: '1',
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
      AWS_SESSION_TOKEN: '',
      AWS_PROFILE: '',
    };
    const args = ['--profile', 'ops', '--output', 'json', 'sts', 'get-caller-identity'];
    // A wrong code is refused (the enrolment spent the current step; the next one is still in the window).
    const wrong = await cli(args, env, `${totp(user.seed, now, 3)}\n`);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain('invalid MFA one time pass code');

    const ok = await cli(args, env, `${totp(user.seed, now, 1)}\n`);
    expect(ok.stderr).not.toContain('error');
    expect(JSON.parse(ok.stdout)).toMatchObject({ Account: E2E_ACCOUNT_ID, Arn: `arn:aws:sts::${E2E_ACCOUNT_ID}:assumed-role/CliMfa/cli-mfa` });
  });
});
