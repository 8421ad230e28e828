/**
 * Virtual MFA devices over the wire, with codes computed in the test from the returned seed
 * (otplib, RFC 6238): enrolment with the SDK and with the AWS CLI v2's own flow
 * (`create-virtual-mfa-device --outfile … --bootstrap-method Base32StringSeed`, then
 * `enable-mfa-device` with two consecutive codes), wrong and replayed codes, listing, limits,
 * deletion rules and the audit trail; `resync-mfa-device` for a phone whose clock drifted, then
 * `sts get-session-token` with its codes.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  DeactivateMFADeviceCommand,
  DeleteUserCommand,
  DeleteVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  GetAccountSummaryCommand,
  ListMFADevicesCommand,
  ListMFADeviceTagsCommand,
  ListVirtualMFADevicesCommand,
  ResyncMFADeviceCommand,
  TagMFADeviceCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { authenticator } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkError } from './helpers/aws-clients.js';
import { E2E_ACCOUNT_ID, startTestCastellan, type TestCastellan } from './helpers/castellan.js';
import { AWS_CLI as AWS, awsCliEnv } from './helpers/aws-cli.js';

const run = promisify(execFile);
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The 30-second time step of now. */
function currentStep(): number {
  return Math.floor(Date.now() / 30_000);
}

/** The code of `seed` for the 30-second time step `step`. */
function codeAtStep(seed: string, step: number): string {
  return authenticator.clone({ epoch: step * 30_000 }).generate(seed);
}

/** The code of `seed` for the 30-second step `offset` steps from now. */
function code(seed: string, offset = 0): string {
  return codeAtStep(seed, currentStep() + offset);
}

/** Two consecutive codes, the current one last, as a person reads them from an authenticator app. */
function twoCodes(seed: string): { AuthenticationCode1: string; AuthenticationCode2: string } {
  return { AuthenticationCode1: code(seed, -1), AuthenticationCode2: code(seed, 0) };
}

let t: TestCastellan;
let iam: IAMClient;
beforeAll(async () => {
  t = await startTestCastellan();
  iam = t.iam();
});
afterAll(() => t?.dispose());

describe('virtual MFA devices with the SDK', () => {
  it('creates a device (seed and QR code once), enables it with two codes, refuses wrong and replayed codes', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'ana' }));
    const { VirtualMFADevice: created } = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'ana-phone', Path: '/staff/', Tags: [{ Key: 'team', Value: 'ops' }] }));
    const serial = created!.SerialNumber!;
    expect(serial).toBe(`arn:aws:iam::${E2E_ACCOUNT_ID}:mfa/staff/ana-phone`);
    const seed = new TextDecoder().decode(created!.Base32StringSeed);
    expect(seed).toMatch(/^[A-Z2-7]{64}$/);
    expect([...created!.QRCodePNG!.subarray(0, 8)]).toEqual(PNG_MAGIC);
    expect(created!.Tags).toEqual([{ Key: 'team', Value: 'ops' }]);

    // AWS's listing leaves tags out ("this operation does not return tags"); ListMFADeviceTags has them.
    expect((await iam.send(new ListVirtualMFADevicesCommand({ AssignmentStatus: 'Unassigned' }))).VirtualMFADevices).toEqual([{ SerialNumber: serial }]);
    expect((await iam.send(new ListMFADeviceTagsCommand({ SerialNumber: serial }))).Tags).toEqual([{ Key: 'team', Value: 'ops' }]);
    // Wrong codes, and right codes in the wrong order.
    expect(await sdkError(() => iam.send(new EnableMFADeviceCommand({ UserName: 'ana', SerialNumber: serial, AuthenticationCode1: '123456', AuthenticationCode2: '654321' })))).toMatchObject({
      name: 'InvalidAuthenticationCodeException',
      status: 403,
      message: 'Authentication code for device is not valid.',
    });
    const { AuthenticationCode1, AuthenticationCode2 } = twoCodes(seed);
    expect(await sdkError(() => iam.send(new EnableMFADeviceCommand({ UserName: 'ana', SerialNumber: serial, AuthenticationCode1: AuthenticationCode2, AuthenticationCode2: AuthenticationCode1 })))).toMatchObject({ name: 'InvalidAuthenticationCodeException' });

    await iam.send(new EnableMFADeviceCommand({ UserName: 'ana', SerialNumber: serial, AuthenticationCode1, AuthenticationCode2 }));
    const listed = await iam.send(new ListMFADevicesCommand({ UserName: 'ana' }));
    expect(listed.MFADevices).toEqual([{ UserName: 'ana', SerialNumber: serial, EnableDate: expect.any(Date) }]);
    const assigned = await iam.send(new ListVirtualMFADevicesCommand({ AssignmentStatus: 'Assigned' }));
    expect(assigned.VirtualMFADevices).toEqual([
      { SerialNumber: serial, User: expect.objectContaining({ UserName: 'ana', Arn: `arn:aws:iam::${E2E_ACCOUNT_ID}:user/ana` }), EnableDate: listed.MFADevices![0]!.EnableDate },
    ]);
    expect(JSON.stringify(assigned)).not.toContain(seed);
    expect((await iam.send(new GetAccountSummaryCommand({}))).SummaryMap).toMatchObject({ MFADevices: 1, MFADevicesInUse: 1, AccountMFAEnabled: 0 });

    // The codes that enabled the device are spent: resync with them, or enabling again after a
    // deactivation, is refused as a replay.
    expect(await sdkError(() => iam.send(new ResyncMFADeviceCommand({ UserName: 'ana', SerialNumber: serial, AuthenticationCode1, AuthenticationCode2 })))).toMatchObject({ name: 'InvalidAuthenticationCodeException' });
    expect(await sdkError(() => iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: serial })))).toMatchObject({ name: 'DeleteConflictException', status: 409 });
    expect(await sdkError(() => iam.send(new DeleteUserCommand({ UserName: 'ana' })))).toMatchObject({ name: 'DeleteConflictException', message: 'Cannot delete entity, must delete MFA device first.' });
    await iam.send(new DeactivateMFADeviceCommand({ UserName: 'ana', SerialNumber: serial }));
    expect(await sdkError(() => iam.send(new EnableMFADeviceCommand({ UserName: 'ana', SerialNumber: serial, AuthenticationCode1, AuthenticationCode2 })))).toMatchObject({ name: 'InvalidAuthenticationCodeException' });

    await iam.send(new TagMFADeviceCommand({ SerialNumber: serial, Tags: [{ Key: 'state', Value: 'spare' }] }));
    expect((await iam.send(new ListMFADeviceTagsCommand({ SerialNumber: serial }))).Tags).toEqual([{ Key: 'team', Value: 'ops' }, { Key: 'state', Value: 'spare' }]);
    await iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: serial }));
    await iam.send(new DeleteUserCommand({ UserName: 'ana' }));
    expect(await sdkError(() => iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: serial })))).toMatchObject({
      name: 'NoSuchEntityException',
      status: 404,
      message: `VirtualMFADevice with serial number ${serial} doesn't exist.`,
    });

    // Neither the seed nor any code reaches the audit trail.
    const audit = await t.server.store.scanAuditEvents({ fromSeq: 0, limit: 100_000 });
    expect(audit.some((e) => e.eventName === 'CreateVirtualMFADevice')).toBe(true);
    for (const secret of [seed, AuthenticationCode1, AuthenticationCode2]) expect(audit.some((e) => e.recordJson.includes(secret))).toBe(false);
  });
});

describe('virtual MFA devices with the AWS CLI v2', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'castellan-mfa-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  async function aws(...args: string[]): Promise<any> {
    const { stdout } = await run(AWS, ['--endpoint-url', t.url, '--output', 'json', ...args], {
      env: awsCliEnv(t.root),
    });
    return stdout.trim() ? JSON.parse(stdout) : {};
  }

  it('creates a device into --outfile with the Base32StringSeed bootstrap, then enables it with two consecutive codes', async () => {
    await aws('iam', 'create-user', '--user-name', 'cli-user');
    const seedFile = join(dir, 'seed.txt');
    const out = await aws('iam', 'create-virtual-mfa-device', '--virtual-mfa-device-name', 'cli-phone', '--outfile', seedFile, '--bootstrap-method', 'Base32StringSeed');
    const serial = out.VirtualMFADevice.SerialNumber;
    expect(serial).toBe(`arn:aws:iam::${E2E_ACCOUNT_ID}:mfa/cli-phone`);
    const seed = (await readFile(seedFile, 'utf8')).trim();
    expect(seed).toMatch(/^[A-Z2-7]{64}$/);

    const qrFile = join(dir, 'qr.png');
    await aws('iam', 'create-virtual-mfa-device', '--virtual-mfa-device-name', 'cli-qr', '--outfile', qrFile, '--bootstrap-method', 'QRCodePNG');
    expect([...(await readFile(qrFile)).subarray(0, 8)]).toEqual(PNG_MAGIC);

    const bad = await run(AWS, ['--endpoint-url', t.url, 'iam', 'enable-mfa-device', '--user-name', 'cli-user', '--serial-number', serial, '--authentication-code1', '000000', '--authentication-code2', '000000'], {
      env: { ...process.env, AWS_ACCESS_KEY_ID: t.root.accessKeyId, AWS_SECRET_ACCESS_KEY: t.root.secretAccessKey, AWS_REGION: 'us-east-1', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_MAX_ATTEMPTS: '1' },
    }).then(() => '', (e: { stderr?: string }) => String(e.stderr));
    expect(bad).toContain('InvalidAuthenticationCode');

    const { AuthenticationCode1, AuthenticationCode2 } = twoCodes(seed);
    await aws('iam', 'enable-mfa-device', '--user-name', 'cli-user', '--serial-number', serial, '--authentication-code1', AuthenticationCode1, '--authentication-code2', AuthenticationCode2);
    const listed = await aws('iam', 'list-mfa-devices', '--user-name', 'cli-user');
    expect(listed.MFADevices).toEqual([{ UserName: 'cli-user', SerialNumber: serial, EnableDate: expect.any(String) }]);
    const virtual = await aws('iam', 'list-virtual-mfa-devices', '--assignment-status', 'Any');
    expect(virtual.VirtualMFADevices.map((d: { SerialNumber: string }) => d.SerialNumber).sort()).toEqual([serial, `arn:aws:iam::${E2E_ACCOUNT_ID}:mfa/cli-qr`].sort());
    expect(JSON.stringify(virtual)).not.toContain(seed);
  });

  it('resyncs a device whose clock runs 4 minutes ahead, after which GetSessionToken takes its codes', async () => {
    await aws('iam', 'create-user', '--user-name', 'drift-user');
    const { AccessKey: key } = await aws('iam', 'create-access-key', '--user-name', 'drift-user');
    const seedFile = join(dir, 'drift-seed.txt');
    const serial = (await aws('iam', 'create-virtual-mfa-device', '--virtual-mfa-device-name', 'drift-phone', '--outfile', seedFile, '--bootstrap-method', 'Base32StringSeed')).VirtualMFADevice.SerialNumber;
    const seed = (await readFile(seedFile, 'utf8')).trim();
    const { AuthenticationCode1, AuthenticationCode2 } = twoCodes(seed);
    await aws('iam', 'enable-mfa-device', '--user-name', 'drift-user', '--serial-number', serial, '--authentication-code1', AuthenticationCode1, '--authentication-code2', AuthenticationCode2);

    // The user's own CLI asks for a session with the code their phone shows, 8 steps ahead of ours.
    const session = (tokenCode: string) =>
      run(AWS, ['--endpoint-url', t.url, '--output', 'json', 'sts', 'get-session-token', '--serial-number', serial, '--token-code', tokenCode], {
        env: awsCliEnv({ accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey }),
      }).then(({ stdout }) => JSON.parse(stdout), (e: { stderr?: string }) => String(e.stderr));
    // The phone's codes are read once, from one step of ours: computed again later, a step boundary
    // crossed in between would make the replay below a fresh code, which the drift window accepts.
    const ours = currentStep();
    const phone = (ahead: number) => codeAtStep(seed, ours + ahead);
    const next = phone(9);
    expect(await session(next)).toContain('MultiFactorAuthentication failed with invalid MFA one time pass code.');

    // An administrator resyncs the device with two consecutive codes from the phone.
    await aws('iam', 'resync-mfa-device', '--user-name', 'drift-user', '--serial-number', serial, '--authentication-code1', phone(7), '--authentication-code2', phone(8));
    const issued = await session(next);
    expect(issued.Credentials?.AccessKeyId).toMatch(/^ASIA/);
    // Each code is still accepted once: the same code again is a replay, refused.
    expect(await session(next)).toContain('MultiFactorAuthentication failed with invalid MFA one time pass code.');
  });
});
