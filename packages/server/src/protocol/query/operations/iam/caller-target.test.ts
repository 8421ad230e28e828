/**
 * An operation whose `UserName` is optional, called without one by an IAM user (and ChangePassword,
 * which names none), is authorized on
 * the user it acts on: the caller's user by id, even when the name the caller authenticated with
 * has since been renamed away (and taken by another user).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userOrCallingUser } from '../../../../services/iam/identity-common.js';
import { identityFixture, type IdentityFixture } from '../../../../services/iam/test-identity-fixture.js';
import { createUser, updateUser } from '../../../../services/iam/users.js';
import { changePassword } from './change-password.js';
import { createLoginProfile } from './create-login-profile.js';
import { deactivateMfaDevice } from './deactivate-mfa-device.js';
import { deleteLoginProfile } from './delete-login-profile.js';
import { getLoginProfile } from './get-login-profile.js';
import { getUser } from './get-user.js';

describe('the target of a call without UserName', () => {
  let f: IdentityFixture;
  beforeAll(async () => {
    f = await identityFixture('sqlite');
  });
  afterAll(() => f.dispose());

  it.each([getLoginProfile, deleteLoginProfile, createLoginProfile, deactivateMfaDevice, getUser, changePassword].map((op) => [op.name, op] as const))(
    '%s: is the user acted on, after a rename and with the old name taken',
    async (name, op) => {
      const erin = (await createUser(f.deps, { userName: `erin-${name}`, path: '/a/' }, f.root())).user;
      // The caller as it authenticated, before the rename
      const ctx = f.as(erin);
      await updateUser(f.deps, { userName: erin.name, newUserName: `erin2-${name}` }, f.root());
      const other = (await createUser(f.deps, { userName: erin.name, path: '/b/' }, f.root())).user;
      const input = name === 'DeactivateMFADevice' ? { SerialNumber: 'arn:aws:iam::123456789012:mfa/x' } : name === 'ChangePassword' ? { OldPassword: 'old', NewPassword: 'new' } : {};
      const actedOn = await userOrCallingUser(f.deps.store, ctx, undefined);
      expect(actedOn.id).toBe(erin.id);
      const resource = await op.resource(input as never, ctx, f.deps);
      expect(resource).toBe(actedOn.arn);
      expect(resource).toBe(`arn:aws:iam::123456789012:user/a/erin2-${name}`);
      expect(resource).not.toBe(other.arn);
    },
  );
});
