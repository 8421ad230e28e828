/**
 * The members AWS made optional since the API models Castellan is generated from (codegen.mjs's
 * optional overlay), driven with @aws-sdk/client-iam, which leaves them out: Create/Get/
 * DeleteLoginProfile and DeactivateMFADevice without `UserName` act on the calling IAM user, are
 * authorized on that user's ARN, and are refused to root credentials (AWS allows the root to omit
 * the name only in an AssumeRoot session) and to role sessions; CreateLoginProfile without
 * `Password` is refused outside an AssumeRoot session.
 */
import {
  CreateLoginProfileCommand,
  CreateRoleCommand,
  CreateVirtualMFADeviceCommand,
  DeactivateMFADeviceCommand,
  DeleteLoginProfileCommand,
  EnableMFADeviceCommand,
  GetLoginProfileCommand,
  ListMFADevicesCommand,
  PutRolePolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { authenticator } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkError, type StaticCredentials } from './helpers/aws-clients.js';
import { E2E_ACCOUNT_ID, startTestCastellan, type TestCastellan } from './helpers/castellan.js';
import { createUserWithKey } from './helpers/iam-users.js';

const A = `arn:aws:iam::${E2E_ACCOUNT_ID}`;
const PASSWORD = 'Correct-Horse-1';
const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const ROOT_REFUSED = { name: 'ValidationError', status: 400, message: 'Must specify userName when calling with root user credentials outside an AssumeRoot session' };
const NO_PASSWORD = { name: 'ValidationError', status: 400, message: "1 validation error detected: Value null at 'password' failed to satisfy constraint: Member must not be null" };

/** Two consecutive codes of `seed`, the current one last. */
function twoCodes(seed: string): { AuthenticationCode1: string; AuthenticationCode2: string } {
  const step = Math.floor(Date.now() / 30_000);
  const at = (s: number) => authenticator.clone({ epoch: s * 30_000 }).generate(seed);
  return { AuthenticationCode1: at(step - 1), AuthenticationCode2: at(step) };
}

let t: TestCastellan;
let root: IAMClient;
let self: IAMClient;
beforeAll(async () => {
  t = await startTestCastellan();
  root = t.iam();
  // Allowed only on their own ARN: a call without UserName must be authorized on it.
  const key = await createUserWithKey(root, 'self', doc({
    Effect: 'Allow',
    Action: ['iam:CreateLoginProfile', 'iam:GetLoginProfile', 'iam:DeleteLoginProfile', 'iam:DeactivateMFADevice', 'iam:ListMFADevices'],
    Resource: `${A}:user/self`,
  }));
  self = t.iam(key);
});
afterAll(() => t?.dispose());

describe('login profiles without UserName', () => {
  it('act on the calling IAM user', async () => {
    const created = await self.send(new CreateLoginProfileCommand({ Password: PASSWORD, PasswordResetRequired: true }));
    expect(created.LoginProfile).toEqual({ UserName: 'self', CreateDate: expect.any(Date), PasswordResetRequired: true });
    expect((await self.send(new GetLoginProfileCommand({}))).LoginProfile).toEqual(created.LoginProfile);
    expect((await root.send(new GetLoginProfileCommand({ UserName: 'self' }))).LoginProfile).toEqual(created.LoginProfile);
    expect(await sdkError(() => self.send(new CreateLoginProfileCommand({ Password: PASSWORD })))).toMatchObject({ name: 'EntityAlreadyExistsException', message: 'Login Profile for user self already exists.' });

    await self.send(new DeleteLoginProfileCommand({}));
    expect(await sdkError(() => root.send(new GetLoginProfileCommand({ UserName: 'self' })))).toMatchObject({ name: 'NoSuchEntityException', message: 'Login Profile for User self cannot be found.' });
    expect(await sdkError(() => self.send(new GetLoginProfileCommand({})))).toMatchObject({ name: 'NoSuchEntityException', message: 'Login Profile for User self cannot be found.' });
  });

  it('are refused to root credentials, which AWS lets omit the name only in an AssumeRoot session', async () => {
    expect(await sdkError(() => root.send(new GetLoginProfileCommand({})))).toMatchObject(ROOT_REFUSED);
    expect(await sdkError(() => root.send(new DeleteLoginProfileCommand({})))).toMatchObject(ROOT_REFUSED);
    expect(await sdkError(() => root.send(new CreateLoginProfileCommand({ Password: PASSWORD })))).toMatchObject(ROOT_REFUSED);
  });

  it('refuse CreateLoginProfile without Password, which AWS takes only in an AssumeRoot session, and create nothing', async () => {
    expect(await sdkError(() => self.send(new CreateLoginProfileCommand({})))).toMatchObject(NO_PASSWORD);
    expect(await sdkError(() => root.send(new CreateLoginProfileCommand({ UserName: 'self' })))).toMatchObject(NO_PASSWORD);
    expect(await sdkError(() => root.send(new GetLoginProfileCommand({ UserName: 'self' })))).toMatchObject({ name: 'NoSuchEntityException' });
  });

  it('are authorized on the calling user\'s ARN: a Deny on it refuses them and changes nothing', async () => {
    const key = await createUserWithKey(root, 'denied', doc(
      { Effect: 'Allow', Action: 'iam:*', Resource: '*' },
      { Effect: 'Deny', Action: ['iam:GetLoginProfile', 'iam:DeleteLoginProfile', 'iam:CreateLoginProfile'], Resource: `${A}:user/denied` },
    ));
    const denied = t.iam(key);
    const refused = (action: string) => ({
      name: 'AccessDenied',
      status: 403,
      message: `User: ${A}:user/denied is not authorized to perform: iam:${action} on resource: ${A}:user/denied with an explicit deny in an identity-based policy`,
    });
    expect(await sdkError(() => denied.send(new CreateLoginProfileCommand({ Password: PASSWORD })))).toMatchObject(refused('CreateLoginProfile'));
    await root.send(new CreateLoginProfileCommand({ UserName: 'denied', Password: PASSWORD }));
    expect(await sdkError(() => denied.send(new GetLoginProfileCommand({})))).toMatchObject(refused('GetLoginProfile'));
    expect(await sdkError(() => denied.send(new DeleteLoginProfileCommand({})))).toMatchObject(refused('DeleteLoginProfile'));
    expect((await root.send(new GetLoginProfileCommand({ UserName: 'denied' }))).LoginProfile?.UserName).toBe('denied');
  });

  it('are refused to a role session, as AWS answers non-User credentials', async () => {
    const userKey: StaticCredentials = await createUserWithKey(root, 'assumer', doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }));
    await root.send(new CreateRoleCommand({ RoleName: 'admin', AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { AWS: `${A}:user/assumer` }, Action: 'sts:AssumeRole' }) }));
    await root.send(new PutRolePolicyCommand({ RoleName: 'admin', PolicyName: 'p', PolicyDocument: doc({ Effect: 'Allow', Action: 'iam:*', Resource: '*' }) }));
    const { Credentials: c } = await t.sts(userKey).send(new AssumeRoleCommand({ RoleArn: `${A}:role/admin`, RoleSessionName: 'sess' }));
    const session = t.iam({ accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey!, sessionToken: c!.SessionToken! });
    const nonUser = { name: 'ValidationError', status: 400, message: 'Must specify userName when calling with non-User credentials' };
    expect(await sdkError(() => session.send(new GetLoginProfileCommand({})))).toMatchObject(nonUser);
    expect(await sdkError(() => session.send(new DeleteLoginProfileCommand({})))).toMatchObject(nonUser);
    expect(await sdkError(() => session.send(new CreateLoginProfileCommand({ Password: PASSWORD })))).toMatchObject(nonUser);
    expect(await sdkError(() => session.send(new DeactivateMFADeviceCommand({ SerialNumber: `${A}:mfa/none` })))).toMatchObject(nonUser);
  });
});

describe('DeactivateMFADevice without UserName', () => {
  it('deactivates the calling user\'s device, and is refused to root credentials', async () => {
    const { VirtualMFADevice: device } = await root.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'self-phone' }));
    const serial = device!.SerialNumber!;
    await root.send(new EnableMFADeviceCommand({ UserName: 'self', SerialNumber: serial, ...twoCodes(new TextDecoder().decode(device!.Base32StringSeed)) }));
    expect((await self.send(new ListMFADevicesCommand({}))).MFADevices).toEqual([{ UserName: 'self', SerialNumber: serial, EnableDate: expect.any(Date) }]);

    expect(await sdkError(() => root.send(new DeactivateMFADeviceCommand({ SerialNumber: serial })))).toMatchObject(ROOT_REFUSED);
    expect((await root.send(new ListMFADevicesCommand({ UserName: 'self' }))).MFADevices).toHaveLength(1);

    await self.send(new DeactivateMFADeviceCommand({ SerialNumber: serial }));
    expect((await self.send(new ListMFADevicesCommand({}))).MFADevices).toEqual([]);
    expect(await sdkError(() => self.send(new DeactivateMFADeviceCommand({ SerialNumber: serial })))).toMatchObject({
      name: 'NoSuchEntityException',
      message: `MFA Device with serial number ${serial} is not enabled for user self.`,
    });
  });

  it('is authorized on the calling user\'s ARN', async () => {
    const key = await createUserWithKey(root, 'mfa-denied', doc(
      { Effect: 'Allow', Action: 'iam:*', Resource: '*' },
      { Effect: 'Deny', Action: 'iam:DeactivateMFADevice', Resource: `${A}:user/mfa-denied` },
    ));
    const { VirtualMFADevice: device } = await root.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'denied-phone' }));
    const serial = device!.SerialNumber!;
    await root.send(new EnableMFADeviceCommand({ UserName: 'mfa-denied', SerialNumber: serial, ...twoCodes(new TextDecoder().decode(device!.Base32StringSeed)) }));
    expect(await sdkError(() => t.iam(key).send(new DeactivateMFADeviceCommand({ SerialNumber: serial })))).toMatchObject({
      name: 'AccessDenied',
      message: `User: ${A}:user/mfa-denied is not authorized to perform: iam:DeactivateMFADevice on resource: ${A}:user/mfa-denied with an explicit deny in an identity-based policy`,
    });
    expect((await root.send(new ListMFADevicesCommand({ UserName: 'mfa-denied' }))).MFADevices).toHaveLength(1);
  });
});
