/**
 * aws-nuke (Debian's aws-nuke 2.16, Go, AWS SDK for Go v1) wipes an account full of every kind of IAM
 * resource it knows: its dry run lists them all, its real run deletes them all, and every answer it
 * got on the way (failed calls included) is one AWS gives. aws-nuke has no endpoint flag; its config's
 * `endpoints` (custom regions) point it at Castellan, with an entry for the service named "" because
 * 2.16 builds its first session (GetCallerIdentity, ListAccountAliases) for that service name.
 * With CASTELLAN_AWS_NUKE set (CI sets it) that binary must exist, or the test fails; unset, it runs
 * /usr/bin/aws-nuke and is reported skipped when there is none.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AddRoleToInstanceProfileCommand,
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateAccountAliasCommand,
  CreateGroupCommand,
  CreateInstanceProfileCommand,
  CreateLoginProfileCommand,
  CreateOpenIDConnectProviderCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateSAMLProviderCommand,
  CreateServiceLinkedRoleCommand,
  CreateServiceSpecificCredentialCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  GetAccountPasswordPolicyCommand,
  GetAccountSummaryCommand,
  ListAccountAliasesCommand,
  ListRolesCommand,
  PutGroupPolicyCommand,
  PutRolePolicyCommand,
  PutUserPermissionsBoundaryCommand,
  PutUserPolicyCommand,
  UpdateAccountPasswordPolicyCommand,
  UploadServerCertificateCommand,
  UploadSSHPublicKeyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { authenticator } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selfSignedCertificate, sshKey } from '../../packages/server/src/services/iam/test-credential-material.js';
import { testSamlIdp } from '../../packages/server/src/services/sts/test-saml-idp.js';
import { E2E_ACCOUNT_ID, startTestCastellan, type TestCastellan } from './helpers/castellan.js';

/** A binary named by the environment is required to run the test, never skipped. */
const REQUIRED_NUKE = process.env['CASTELLAN_AWS_NUKE'] || undefined;
const NUKE = REQUIRED_NUKE ?? '/usr/bin/aws-nuke';
const ALIAS = 'nuke-sandbox';
const DOC = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });
const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${E2E_ACCOUNT_ID}:root` }, Action: 'sts:AssumeRole' }] });
const POLICY_ARN = `arn:aws:iam::${E2E_ACCOUNT_ID}:policy/reader`;

/**
 * What the dry run must list as "would remove": [resource type, the name aws-nuke prints], in the
 * account `populate` makes. The service-linked role and its policy are listed as filtered.
 */
const NUKEABLE: Array<[string, string]> = [
  ['IAMUser', 'alice'], ['IAMUser', 'bob'],
  ['IAMLoginProfile', 'alice'],
  ['IAMUserAccessKey', 'alice -> *'], ['IAMUserAccessKey', 'bob -> *'],
  ['IAMUserSSHPublicKey', 'alice -> *'],
  ['IAMServiceSpecificCredential', 'alice -> *'],
  ['IAMVirtualMFADevice', `arn:aws:iam::${E2E_ACCOUNT_ID}:mfa/alice`], ['IAMVirtualMFADevice', `arn:aws:iam::${E2E_ACCOUNT_ID}:mfa/spare`],
  ['IAMGroup', 'devs'], ['IAMUserGroupAttachment', 'alice -> devs'],
  ['IAMGroupPolicy', 'devs -> inline-g'], ['IAMGroupPolicyAttachment', 'devs -> reader'],
  ['IAMUserPolicy', 'bob -> inline-u'], ['IAMUserPolicyAttachment', 'bob -> reader'], ['IAMUserPolicyAttachment', 'bob -> ReadOnlyAccess'],
  ['IAMPolicy', POLICY_ARN],
  ['IAMRole', 'app'], ['IAMRolePolicy', 'app -> inline-r'], ['IAMRolePolicyAttachment', 'app -> reader'],
  ['IAMInstanceProfile', 'app-ip'], ['IAMInstanceProfile', 'empty-ip'], ['IAMInstanceProfileRole', 'app-ip -> app'],
  ['IAMServerCertificate', 'web'],
  ['IAMSAMLProvider', `arn:aws:iam::${E2E_ACCOUNT_ID}:saml-provider/Corp`],
  ['IAMOpenIDConnectProvider', `arn:aws:iam::${E2E_ACCOUNT_ID}:oidc-provider/token.example.com`],
];

/**
 * AWS's DeleteConflict texts, as its users recorded them (AWS documents only that the message
 * describes the entities; see users.ts for where each was seen).
 */
const AWS_DELETE_CONFLICTS = new Set([
  'delete login profile', 'delete access keys', 'delete MFA device', 'delete certificates', 'remove referenced objects',
  'delete policies', 'detach all policies', 'remove users from group', 'remove roles from instance profile',
].map((what) => `Cannot delete entity, must ${what} first.`).concat('Cannot delete a policy attached to entities.'));

/**
 * The failed calls AWS answers an aws-nuke run with: it asks every user for a login profile, and it
 * deletes in no order, retrying what a dependency still holds.
 */
const EXPECTED_ERRORS: Array<{ eventName: RegExp; errorCode: string; errorMessage: (message: string) => boolean }> = [
  { eventName: /^GetLoginProfile$/, errorCode: 'NoSuchEntityException', errorMessage: (m) => /^Login Profile for User \w+ cannot be found\.$/.test(m) },
  { eventName: /^Delete/, errorCode: 'DeleteConflictException', errorMessage: (m) => AWS_DELETE_CONFLICTS.has(m) },
];

function hasNuke(): boolean {
  return existsSync(NUKE);
}

/** Runs aws-nuke with `stdin`; its exit code and combined output. */
function nuke(args: string[], stdin: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = execFile(NUKE, args, {
      env: { PATH: process.env['PATH'], HOME: tmpdir(), AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_EC2_METADATA_DISABLED: 'true' },
      timeout: 120_000,
      maxBuffer: 16 * 1024 * 1024,
    }, (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: `${stdout}${stderr}` }));
    child.stdin!.end(stdin);
  });
}

/** The resources a run's summary lines give `status` ("would remove", "removed"…), as `type name` strings. */
function listed(output: string, status: string): string[] {
  const found = output.split('\n')
    .map((line) => line.split(' - '))
    .filter((parts) => parts[0] === 'global' && parts.length >= 4 && parts.at(-1)!.trim() === status)
    .map((parts) => `${parts[1]} ${parts[2]!.replace(/ -> (AKIA|APKA|ACCA)[A-Z0-9]+$/, ' -> *').replace(/ -> \S+-at-\d+$/, ' -> *')}`);
  return [...new Set(found)].sort();
}

/** Makes one of every IAM resource type aws-nuke 2.16 lists, and what it does not (alias, password policy). */
async function populate(iam: IAMClient): Promise<void> {
  await iam.send(new CreateAccountAliasCommand({ AccountAlias: ALIAS }));
  await iam.send(new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 12 }));
  for (const UserName of ['alice', 'bob']) await iam.send(new CreateUserCommand({ UserName }));
  await iam.send(new CreateLoginProfileCommand({ UserName: 'alice', Password: 'Correct-Horse-Battery-1!' }));
  for (const UserName of ['alice', 'bob']) await iam.send(new CreateAccessKeyCommand({ UserName }));
  await iam.send(new CreateGroupCommand({ GroupName: 'devs' }));
  await iam.send(new AddUserToGroupCommand({ GroupName: 'devs', UserName: 'alice' }));
  await iam.send(new PutGroupPolicyCommand({ GroupName: 'devs', PolicyName: 'inline-g', PolicyDocument: DOC }));
  await iam.send(new CreatePolicyCommand({ PolicyName: 'reader', PolicyDocument: DOC }));
  // A second version: DeletePolicy is refused until the non-default ones are gone.
  await iam.send(new CreatePolicyVersionCommand({ PolicyArn: POLICY_ARN, PolicyDocument: DOC, SetAsDefault: true }));
  await iam.send(new AttachGroupPolicyCommand({ GroupName: 'devs', PolicyArn: POLICY_ARN }));
  await iam.send(new AttachUserPolicyCommand({ UserName: 'bob', PolicyArn: POLICY_ARN }));
  await iam.send(new AttachUserPolicyCommand({ UserName: 'bob', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
  await iam.send(new PutUserPolicyCommand({ UserName: 'bob', PolicyName: 'inline-u', PolicyDocument: DOC }));
  await iam.send(new PutUserPermissionsBoundaryCommand({ UserName: 'bob', PermissionsBoundary: POLICY_ARN }));
  await iam.send(new CreateRoleCommand({ RoleName: 'app', AssumeRolePolicyDocument: TRUST }));
  await iam.send(new AttachRolePolicyCommand({ RoleName: 'app', PolicyArn: POLICY_ARN }));
  await iam.send(new PutRolePolicyCommand({ RoleName: 'app', PolicyName: 'inline-r', PolicyDocument: DOC }));
  await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'app-ip' }));
  await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'app-ip', RoleName: 'app' }));
  await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'empty-ip' }));
  await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'autoscaling.amazonaws.com' }));
  const device = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'alice' }));
  const seed = new TextDecoder().decode(device.VirtualMFADevice!.Base32StringSeed);
  const step = Math.floor(Date.now() / 30_000);
  const code = (s: number) => authenticator.clone({ epoch: s * 30_000 }).generate(seed);
  await iam.send(new EnableMFADeviceCommand({ UserName: 'alice', SerialNumber: device.VirtualMFADevice!.SerialNumber, AuthenticationCode1: code(step - 1), AuthenticationCode2: code(step) }));
  await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'spare' }));
  await iam.send(new UploadSSHPublicKeyCommand({ UserName: 'alice', SSHPublicKeyBody: sshKey().openssh }));
  // No signing certificate: aws-nuke 2.16 has no resource type for them, so DeleteUser would stay
  // refused (DeleteConflict, as on AWS) and the run would end failed.
  const cert = selfSignedCertificate();
  await iam.send(new UploadServerCertificateCommand({ ServerCertificateName: 'web', CertificateBody: cert.cert, PrivateKey: cert.key }));
  await iam.send(new CreateServiceSpecificCredentialCommand({ UserName: 'alice', ServiceName: 'codecommit.amazonaws.com' }));
  await iam.send(new CreateSAMLProviderCommand({ Name: 'Corp', SAMLMetadataDocument: testSamlIdp().metadata }));
  await iam.send(new CreateOpenIDConnectProviderCommand({ Url: 'https://token.example.com', ClientIDList: ['sts.amazonaws.com'], ThumbprintList: ['6938fd4d98bab03faadb97b34396831e3780aea1'] }));
}

/** The audit records of aws-nuke's calls (its SDK's user agent), once the batched writes have landed. */
async function nukeRecords(t: TestCastellan): Promise<Array<Record<string, any>>> {
  let before = -1;
  for (;;) {
    const all = (await t.server.store.scanAuditEvents({ fromSeq: 0, limit: 100_000 })).map((e) => JSON.parse(e.recordJson) as Record<string, any>);
    if (all.length === before) return all.filter((r) => String(r['userAgent']).startsWith('aws-sdk-go/'));
    before = all.length;
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe.skipIf(REQUIRED_NUKE === undefined && !hasNuke())('aws-nuke against Castellan', () => {
  let t: TestCastellan;
  let dir: string;
  let args: string[];
  beforeAll(async () => {
    t = await startTestCastellan();
    dir = await mkdtemp(join(tmpdir(), 'castellan-nuke-'));
    const config = join(dir, 'nuke.yaml');
    // IAM's resources are listed in the region "global", whose sessions aws-nuke builds for its
    // default region (us-east-1); the account's identity and alias are asked through service "".
    await writeFile(config, [
      'regions: [global]',
      'account-blocklist: ["999999999999"]',
      `accounts: {"${E2E_ACCOUNT_ID}": {}}`,
      'endpoints:',
      '  - region: us-east-1',
      '    services:',
      ...['""', 'iam', 'sts'].map((service) => `      - {service: ${service}, url: "${t.url}"}`),
      '  - region: global',
      `    services: [{service: iam, url: "${t.url}"}]`,
    ].join('\n'));
    args = ['-c', config, '--access-key-id', t.root.accessKeyId, '--secret-access-key', t.root.secretAccessKey];
    await populate(t.iam());
  });
  afterAll(async () => {
    await t?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('has aws-nuke', () => {
    expect(hasNuke(), `${NUKE} is missing`).toBe(true);
  });

  it('lists every resource in a dry run, after the account alias is typed, and deletes nothing', async () => {
    const before = (await t.iam().send(new GetAccountSummaryCommand({}))).SummaryMap;
    const run = await nuke(args, `${ALIAS}\n`);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain(`Do you really want to nuke the account with the ID ${E2E_ACCOUNT_ID} and the alias '${ALIAS}'?`);
    expect(listed(run.output, 'would remove')).toEqual(NUKEABLE.map(([type, name]) => `${type} ${name}`).sort());
    expect(listed(run.output, 'cannot delete service roles')).toEqual(['IAMRole AWSServiceRoleForAutoScaling']);
    expect(run.output).toContain(`Scan complete: ${NUKEABLE.length + 2} total, ${NUKEABLE.length} nukeable, 2 filtered.`);
    expect((await t.iam().send(new GetAccountSummaryCommand({}))).SummaryMap).toEqual(before);
  });

  it('deletes them all, and every call it made is answered as AWS answers it', async () => {
    const run = await nuke([...args, '--no-dry-run', '--force', '--force-sleep', '3'], '');
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain(`Nuke complete: 0 failed, 2 skipped, ${NUKEABLE.length} finished.`);
    expect(listed(run.output, 'removed')).toEqual(NUKEABLE.map(([type, name]) => `${type} ${name}`).sort());

    const summary = (await t.iam().send(new GetAccountSummaryCommand({}))).SummaryMap!;
    expect({
      Users: summary['Users'], Groups: summary['Groups'], Policies: summary['Policies'], InstanceProfiles: summary['InstanceProfiles'],
      ServerCertificates: summary['ServerCertificates'], MFADevices: summary['MFADevices'], Providers: summary['Providers'], Roles: summary['Roles'],
    }).toEqual({ Users: 0, Groups: 0, Policies: 0, InstanceProfiles: 0, ServerCertificates: 0, MFADevices: 0, Providers: 0, Roles: 1 });
    expect((await t.iam().send(new ListRolesCommand({}))).Roles!.map((r) => r.RoleName)).toEqual(['AWSServiceRoleForAutoScaling']);
    // aws-nuke 2.16 has no resource type for the alias or the password policy: both are left.
    expect((await t.iam().send(new ListAccountAliasesCommand({}))).AccountAliases).toEqual([ALIAS]);
    expect((await t.iam().send(new GetAccountPasswordPolicyCommand({}))).PasswordPolicy!.MinimumPasswordLength).toBe(12);

    const records = await nukeRecords(t);
    expect(records.filter((r) => r['eventName'] === 'DeleteUser' && !r['errorCode'])).toHaveLength(2);
    const unexpected = records
      .filter((r) => r['errorCode'] && !EXPECTED_ERRORS.some((e) => e.eventName.test(r['eventName']) && e.errorCode === r['errorCode'] && e.errorMessage(String(r['errorMessage']))))
      .map((r) => `${r['eventName']} ${r['errorCode']} ${r['errorMessage']}`);
    expect(unexpected).toEqual([]);
    // Every operation it called is one Castellan serves (a NotImplemented would be a 501 above).
    expect(new Set(records.map((r) => r['eventSource']))).toEqual(new Set(['iam.amazonaws.com', 'sts.amazonaws.com']));
  }, 150_000); // aws-nuke's own waits (--force-sleep, then between its passes) come to some 20 s whatever the load
});
