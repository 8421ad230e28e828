/**
 * What clean-up tools call before deleting users and roles (Terraform lists a role's instance
 * profiles before DeleteRole; user clean-up scripts list MFA devices, SSH keys, signing
 * certificates and service-specific credentials). A new user or role has none of these, and a
 * missing one is NoSuchEntity as on AWS.
 */
import {
  CreateRoleCommand,
  CreateUserCommand,
  DeleteRoleCommand,
  DeleteUserCommand,
  ListInstanceProfilesForRoleCommand,
  ListMFADevicesCommand,
  ListSSHPublicKeysCommand,
  ListServiceSpecificCredentialsCommand,
  ListSigningCertificatesCommand,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkError } from './helpers/aws-clients.js';
import { startTestCastellan, type TestCastellan } from './helpers/castellan.js';

const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

describe('clean-up calls before deleting users and roles', () => {
  let t: TestCastellan;
  beforeAll(async () => {
    t = await startTestCastellan();
  });
  afterAll(async () => t?.dispose());

  it('a role is in no instance profile, then deletes', async () => {
    const iam = t.iam();
    await iam.send(new CreateRoleCommand({ RoleName: 'app', AssumeRolePolicyDocument: TRUST }));
    const out = await iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: 'app' }));
    expect(out.InstanceProfiles).toEqual([]);
    expect(out.IsTruncated).toBe(false);
    await iam.send(new DeleteRoleCommand({ RoleName: 'app' }));
    const err = await sdkError(() => iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: 'app' })));
    expect(err.name).toBe('NoSuchEntityException');
  });

  it('a user has no MFA devices, SSH keys, signing certificates or service-specific credentials', async () => {
    const iam = t.iam();
    await iam.send(new CreateUserCommand({ UserName: 'leaver' }));
    expect((await iam.send(new ListMFADevicesCommand({ UserName: 'leaver' }))).MFADevices).toEqual([]);
    expect((await iam.send(new ListSSHPublicKeysCommand({ UserName: 'leaver' }))).SSHPublicKeys ?? []).toEqual([]);
    expect((await iam.send(new ListSigningCertificatesCommand({ UserName: 'leaver' }))).Certificates).toEqual([]);
    expect((await iam.send(new ListServiceSpecificCredentialsCommand({ UserName: 'leaver' }))).ServiceSpecificCredentials ?? []).toEqual([]);
    expect((await iam.send(new ListMFADevicesCommand({}))).MFADevices, 'root, without a user name').toEqual([]);
    await iam.send(new DeleteUserCommand({ UserName: 'leaver' }));
    for (const call of [
      () => iam.send(new ListMFADevicesCommand({ UserName: 'leaver' })),
      () => iam.send(new ListSSHPublicKeysCommand({ UserName: 'leaver' })),
      () => iam.send(new ListSigningCertificatesCommand({ UserName: 'leaver' })),
      () => iam.send(new ListServiceSpecificCredentialsCommand({ UserName: 'leaver' })),
    ]) {
      const err = await sdkError(call);
      expect(err.name).toBe('NoSuchEntityException');
      expect(err.message).toBe('The user with name leaver cannot be found.');
    }
  });
});
