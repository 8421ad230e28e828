/**
 * The credential report over the wire: GenerateCredentialReport and GetCredentialReport with the
 * AWS CLI v2 and @aws-sdk/client-iam, the CSV parsed and checked cell by cell against the users,
 * passwords, MFA devices, access keys (one used) and signing certificates the test created; the
 * four-hour reuse and expiry on a server whose clock the test moves; INPROGRESS and ReportInProgress
 * while another call generates.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  CreateAccessKeyCommand,
  CreateLoginProfileCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  GenerateCredentialReportCommand,
  GetAccessKeyLastUsedCommand,
  GetCredentialReportCommand,
  IAMClient,
  UpdateAccessKeyCommand,
  UpdateAccountPasswordPolicyCommand,
  UploadSigningCertificateCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { authenticator } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selfSignedCertificate } from '../../packages/server/src/services/iam/test-credential-material.js';
import { sdkError, stsClient, type StaticCredentials } from './helpers/aws-clients.js';
import { E2E_ACCOUNT_ID, startTestCastellan, type TestCastellan } from './helpers/castellan.js';
import { AWS_CLI as AWS, awsCliEnv } from './helpers/aws-cli.js';

const run = promisify(execFile);
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

let offset = 0;
let t: TestCastellan;
beforeAll(async () => {
  t = await startTestCastellan({}, { clock: { now: () => new Date(Date.now() + offset) } });
});
afterAll(() => t?.dispose());

/** A client whose signing clock is the server's (SigV4 refuses a request more than 15 minutes off). */
const client = (credentials: StaticCredentials = t.root) =>
  new IAMClient({ endpoint: t.url, region: 'us-east-1', credentials, maxAttempts: 1, systemClockOffset: offset });

/** The AWS CLI as root (the server's clock must be the real one); parsed JSON, or throws with stderr. */
async function aws(...args: string[]): Promise<any> {
  const { stdout } = await run(AWS, ['--endpoint-url', t.url, '--output', 'json', ...args], {
    env: awsCliEnv(t.root),
  });
  return stdout.trim() ? JSON.parse(stdout) : {};
}

/** AWS's report time: `2026-12-06T10:09:43+00:00`. */
const iso = (d: Date) => `${d.toISOString().slice(0, 19)}+00:00`;

/** The CSV as one record per row, keyed by column name. */
function parse(csv: string): Array<Record<string, string>> {
  const [header, ...rows] = csv.trimEnd().split('\n').map((line) => line.split(','));
  return rows.map((cells) => Object.fromEntries(header!.map((name, i) => [name, cells[i]!])));
}

async function eventually<T>(fn: () => Promise<T | undefined>, timeoutMs = 8000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the credential report', () => {
  it('is absent, then generated (CLI) from live state and read back cell by cell (CLI and SDK)', async () => {
    const iam = client();
    expect(await sdkError(() => iam.send(new GetCredentialReportCommand({})))).toMatchObject({ name: 'CredentialReportNotPresentException', status: 410 });

    await iam.send(new UpdateAccountPasswordPolicyCommand({ MaxPasswordAge: 90 }));
    // alice: a password, MFA, two keys (the first used, the second inactive), a signing certificate.
    const alice = (await iam.send(new CreateUserCommand({ UserName: 'alice' }))).User!;
    const profile = (await iam.send(new CreateLoginProfileCommand({ UserName: 'alice', Password: 'Corr3ct-Horse!' }))).LoginProfile!;
    const { VirtualMFADevice } = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'alice-phone' }));
    const seed = new TextDecoder().decode(VirtualMFADevice!.Base32StringSeed);
    const step = Math.floor(Date.now() / 30_000);
    const code = (s: number) => authenticator.clone({ epoch: s * 30_000 }).generate(seed);
    await iam.send(new EnableMFADeviceCommand({ UserName: 'alice', SerialNumber: VirtualMFADevice!.SerialNumber!, AuthenticationCode1: code(step - 1), AuthenticationCode2: code(step) }));
    const used = (await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }))).AccessKey!;
    const idle = (await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }))).AccessKey!;
    await iam.send(new UpdateAccessKeyCommand({ UserName: 'alice', AccessKeyId: idle.AccessKeyId!, Status: 'Inactive' }));
    const cert = (await iam.send(new UploadSigningCertificateCommand({ UserName: 'alice', CertificateBody: selfSignedCertificate().cert }))).Certificate!;
    await stsClient(t.url, { accessKeyId: used.AccessKeyId!, secretAccessKey: used.SecretAccessKey! }, 'eu-west-3').send(new GetCallerIdentityCommand({}));
    const lastUsed = await eventually(async () => (await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: used.AccessKeyId! }))).AccessKeyLastUsed?.LastUsedDate);
    // bob: nothing but the user.
    const bob = (await iam.send(new CreateUserCommand({ UserName: 'bob', Path: '/staff/' }))).User!;

    const generated = await aws('iam', 'generate-credential-report');
    expect(generated).toEqual({ State: 'STARTED', Description: 'No report exists. Starting a new report generation task' });
    const viaCli = await aws('iam', 'get-credential-report');
    expect(viaCli.ReportFormat).toBe('text/csv');
    const csv = Buffer.from(viaCli.Content, 'base64').toString('utf8');
    const viaSdk = await iam.send(new GetCredentialReportCommand({}));
    expect(new TextDecoder().decode(viaSdk.Content)).toBe(csv);
    expect(new Date(viaCli.GeneratedTime).getTime()).toBe(viaSdk.GeneratedTime!.getTime());

    expect(csv.split('\n')[0]).toBe(
      'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,' +
        'access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,' +
        'access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,' +
        'cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated',
    );
    const account = await t.server.store.getAccount(E2E_ACCOUNT_ID);
    const rootKey = await t.server.store.getAccessKey(t.root.accessKeyId);
    const rows = parse(csv);
    expect(rows.map((r) => r['user'])).toEqual(['<root_account>', 'alice', 'bob']);
    const [root, a, b] = rows;
    expect(root).toMatchObject({
      arn: `arn:aws:iam::${E2E_ACCOUNT_ID}:root`, user_creation_time: iso(account!.createDate),
      password_enabled: 'not_supported', password_last_used: 'no_information', password_last_changed: 'not_supported', password_next_rotation: 'not_supported',
      mfa_active: 'false', access_key_1_active: 'true', access_key_1_last_rotated: iso(rootKey!.createDate),
      access_key_1_last_used_service: 'iam', access_key_2_active: 'false', access_key_2_last_rotated: 'N/A',
      cert_1_active: 'false', cert_1_last_rotated: 'N/A', cert_2_active: 'false', cert_2_last_rotated: 'N/A',
    });
    expect(a).toEqual({
      user: 'alice', arn: alice.Arn, user_creation_time: iso(alice.CreateDate!),
      password_enabled: 'true', password_last_used: 'no_information', password_last_changed: iso(profile.CreateDate!),
      password_next_rotation: iso(new Date(profile.CreateDate!.getTime() + 90 * DAY)), mfa_active: 'true',
      access_key_1_active: 'true', access_key_1_last_rotated: iso(used.CreateDate!), access_key_1_last_used_date: iso(lastUsed),
      access_key_1_last_used_region: 'eu-west-3', access_key_1_last_used_service: 'sts',
      access_key_2_active: 'false', access_key_2_last_rotated: iso(idle.CreateDate!), access_key_2_last_used_date: 'N/A',
      access_key_2_last_used_region: 'N/A', access_key_2_last_used_service: 'N/A',
      cert_1_active: 'true', cert_1_last_rotated: iso(cert.UploadDate!), cert_2_active: 'false', cert_2_last_rotated: 'N/A',
    });
    expect(b).toEqual({
      user: 'bob', arn: bob.Arn, user_creation_time: iso(bob.CreateDate!),
      password_enabled: 'false', password_last_used: 'N/A', password_last_changed: 'N/A', password_next_rotation: 'N/A', mfa_active: 'false',
      access_key_1_active: 'false', access_key_1_last_rotated: 'N/A', access_key_1_last_used_date: 'N/A', access_key_1_last_used_region: 'N/A', access_key_1_last_used_service: 'N/A',
      access_key_2_active: 'false', access_key_2_last_rotated: 'N/A', access_key_2_last_used_date: 'N/A', access_key_2_last_used_region: 'N/A', access_key_2_last_used_service: 'N/A',
      cert_1_active: 'false', cert_1_last_rotated: 'N/A', cert_2_active: 'false', cert_2_last_rotated: 'N/A',
    });
  });

  it('is reused for four hours (COMPLETE), then expires (ReportExpired) and is generated again', async () => {
    await client().send(new CreateUserCommand({ UserName: 'carol' }));
    expect(await client().send(new GenerateCredentialReportCommand({}))).toMatchObject({ State: 'COMPLETE' });
    expect(new TextDecoder().decode((await client().send(new GetCredentialReportCommand({}))).Content)).not.toContain('carol');
    offset = 4 * HOUR + 60_000;
    expect(await sdkError(() => client().send(new GetCredentialReportCommand({})))).toMatchObject({ name: 'CredentialReportExpiredException', status: 410 });
    expect(await client().send(new GenerateCredentialReportCommand({}))).toMatchObject({ State: 'STARTED' });
    const report = await client().send(new GetCredentialReportCommand({}));
    expect(new TextDecoder().decode(report.Content)).toContain('\ncarol,');
    expect(report.GeneratedTime!.getTime()).toBeGreaterThan(Date.now() + 4 * HOUR);
  });

  it('while another call generates: INPROGRESS to a generator, ReportInProgress to a reader, taken over after 15 minutes', async () => {
    const now = () => new Date(Date.now() + offset);
    // Another node's generation, claimed in the store as that node would (the report is fresh, so force it).
    const claim = await t.server.store.claimCredentialReportGeneration({ accountId: E2E_ACCOUNT_ID, now: now(), staleBefore: new Date(now().getTime() + 1), abandonedBefore: new Date(now().getTime() - 15 * 60_000) });
    expect(claim.claimed).toBe(true);
    expect(await client().send(new GenerateCredentialReportCommand({}))).toMatchObject({ State: 'INPROGRESS' });
    expect(await sdkError(() => client().send(new GetCredentialReportCommand({})))).toMatchObject({ name: 'CredentialReportNotReadyException', status: 404 });
    offset += 16 * 60_000;
    expect(await client().send(new GenerateCredentialReportCommand({}))).toMatchObject({ State: 'STARTED' });
    expect((await client().send(new GetCredentialReportCommand({}))).GeneratedTime!.getTime()).toBeGreaterThan(Date.now() + offset - 60_000);
  });
});
