/**
 * Operations whose input names an identity by ARN (`Arn`, `PolicySourceArn`), or an MFA device by
 * serial number, are authorized with its tags in the request context, as those naming an identity
 * by name are: a Deny on `aws:ResourceTag/…` or `iam:ResourceTag/…` refuses them. Over the wire
 * with @aws-sdk/client-iam.
 */
import {
  CreateRoleCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  DeleteVirtualMFADeviceCommand,
  GenerateServiceLastAccessedDetailsCommand,
  GetContextKeysForPrincipalPolicyCommand,
  GetRoleCommand,
  ListMFADeviceTagsCommand,
  ListPoliciesGrantingServiceAccessCommand,
  PutUserPolicyCommand,
  SimulatePrincipalPolicyCommand,
  TagMFADeviceCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkError, type StaticCredentials } from './helpers/aws-clients.js';
import { E2E_ACCOUNT_ID, startTestCastellan, type TestCastellan } from './helpers/castellan.js';
import { createAccessKey } from './helpers/iam-users.js';

const doc = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const TRUST = doc({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' });
const arnOf = (kind: 'role' | 'user', name: string) => `arn:aws:iam::${E2E_ACCOUNT_ID}:${kind}/${name}`;

/** Each operation that takes an identity's ARN, as a call on `arn`. */
const BY_ARN: ReadonlyArray<readonly [string, (c: IAMClient, arn: string) => Promise<unknown>]> = [
  ['ListPoliciesGrantingServiceAccess', (c, arn) => c.send(new ListPoliciesGrantingServiceAccessCommand({ Arn: arn, ServiceNamespaces: ['s3'] }))],
  ['GenerateServiceLastAccessedDetails', (c, arn) => c.send(new GenerateServiceLastAccessedDetailsCommand({ Arn: arn }))],
  ['SimulatePrincipalPolicy', (c, arn) => c.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: arn, ActionNames: ['s3:GetObject'] }))],
  ['GetContextKeysForPrincipalPolicy', (c, arn) => c.send(new GetContextKeysForPrincipalPolicyCommand({ PolicySourceArn: arn }))],
];

/** Each operation on an MFA device, named by its serial number (the device's ARN). */
const ON_DEVICE: ReadonlyArray<readonly [string, (c: IAMClient, serial: string) => Promise<unknown>]> = [
  ['ListMFADeviceTags', (c, serial) => c.send(new ListMFADeviceTagsCommand({ SerialNumber: serial }))],
  ['TagMFADevice', (c, serial) => c.send(new TagMFADeviceCommand({ SerialNumber: serial, Tags: [{ Key: 'k', Value: 'v' }] }))],
  ['DeleteVirtualMFADevice', (c, serial) => c.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: serial }))],
];

let t: TestCastellan;
let caller: StaticCredentials;
let secretDevice: string;
beforeAll(async () => {
  t = await startTestCastellan();
  const iam = t.iam();
  await iam.send(new CreateRoleCommand({ RoleName: 'vault', AssumeRolePolicyDocument: TRUST, Tags: [{ Key: 'secret', Value: 'yes' }] }));
  await iam.send(new CreateRoleCommand({ RoleName: 'open', AssumeRolePolicyDocument: TRUST }));
  await iam.send(new CreateUserCommand({ UserName: 'hidden', Tags: [{ Key: 'team', Value: 'red' }] }));
  await iam.send(new CreateUserCommand({ UserName: 'caller' }));
  await iam.send(new PutUserPolicyCommand({
    UserName: 'caller',
    PolicyName: 'p',
    PolicyDocument: doc(
      { Effect: 'Allow', Action: '*', Resource: '*' },
      { Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/secret': 'yes' } } },
      { Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringEquals: { 'iam:ResourceTag/team': 'red' } } },
    ),
  }));
  caller = await createAccessKey(iam, 'caller');
  secretDevice = (await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'secret-device', Tags: [{ Key: 'secret', Value: 'yes' }] }))).VirtualMFADevice!.SerialNumber!;
});
afterAll(() => t?.dispose());

describe('operations naming an identity by ARN see its tags', () => {
  it('GetRole (by name) is refused on the tagged role: the reference', async () => {
    expect(await sdkError(() => t.iam(caller).send(new GetRoleCommand({ RoleName: 'vault' })))).toMatchObject({ name: 'AccessDenied', status: 403 });
  });

  it.each(BY_ARN)('%s is refused on a role tagged for an aws:ResourceTag Deny', async (name, call) => {
    const out = await sdkError(() => call(t.iam(caller), arnOf('role', 'vault')));
    expect(out).toMatchObject({ name: 'AccessDenied', status: 403, message: expect.stringContaining(`perform: iam:${name} on resource: ${arnOf('role', 'vault')} with an explicit deny`) });
  });

  it.each(BY_ARN)('%s is refused on a user tagged for an iam:ResourceTag Deny', async (_name, call) => {
    expect(await sdkError(() => call(t.iam(caller), arnOf('user', 'hidden')))).toMatchObject({ name: 'AccessDenied', status: 403 });
  });

  it.each(BY_ARN)('%s is allowed on an untagged role', async (_name, call) => {
    await expect(call(t.iam(caller), arnOf('role', 'open'))).resolves.toBeDefined();
  });
});

describe('operations on an MFA device see its tags', () => {
  it.each(ON_DEVICE)('%s is refused on a device tagged for an aws:ResourceTag Deny', async (name, call) => {
    const out = await sdkError(() => call(t.iam(caller), secretDevice));
    expect(out).toMatchObject({ name: 'AccessDenied', status: 403, message: expect.stringContaining(`perform: iam:${name} on resource: ${secretDevice} with an explicit deny`) });
  });

  it('an untagged device is allowed', async () => {
    const open = (await t.iam().send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'open-device' }))).VirtualMFADevice!.SerialNumber!;
    await expect(t.iam(caller).send(new ListMFADeviceTagsCommand({ SerialNumber: open }))).resolves.toMatchObject({ Tags: [] });
  });
});
