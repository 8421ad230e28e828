import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../../store/testing.js';
import { changePassword, createLoginProfile, passwordState, updateLoginProfile } from './login-profiles.js';
import { deleteAccountPasswordPolicy, getAccountPasswordPolicy, policyFromInput, updateAccountPasswordPolicy } from './password-policy.js';
import { DEFAULT_PASSWORD_RULES, passwordViolations, rulesOf } from './password-rules.js';
import { ACCOUNT_ID, failure, identityFixture, type IdentityFixture } from './test-identity-fixture.js';
import { createUser } from './users.js';

const DAY = 24 * 60 * 60 * 1000;

describe('password rules, one rule at a time', () => {
  const strict = rulesOf(policyFromInput({ minimumPasswordLength: 10, requireSymbols: true, requireNumbers: true, requireUppercaseCharacters: true, requireLowercaseCharacters: true }));
  it.each([
    { password: 'Abcdefgh1!', broken: [] },
    { password: 'Abcdef1!', broken: ['Password should have a minimum length of 10'] },
    { password: 'abcdefgh1!', broken: ['Password should have at least one uppercase letter'] },
    { password: 'ABCDEFGH1!', broken: ['Password should have at least one lowercase letter'] },
    { password: 'Abcdefghi!', broken: ['Password should have at least one number'] },
    { password: 'Abcdefghi1', broken: ['Password should have at least one symbol'] },
    { password: 'abcdefghij', broken: ['Password should have at least one uppercase letter', 'Password should have at least one number', 'Password should have at least one symbol'] },
  ])('strict policy: $password', ({ password, broken }) => {
    expect(passwordViolations(password, strict)).toEqual(broken);
  });

  it.each([
    { password: 'Abcdef1!', broken: [] },
    { password: 'abcdefg1', broken: ['Password should meet 1 more of the following requirements: Password should have at least one uppercase letter, Password should have at least one symbol'] },
    { password: 'Ab1!', broken: ['Password should have a minimum length of 8'] },
    { password: 'Pat12345', forbidden: ['pat12345'], broken: ['Password should not be identical to your user name or account alias'] },
  ])('default policy: $password', ({ password, forbidden, broken }) => {
    expect(passwordViolations(password, DEFAULT_PASSWORD_RULES, { names: forbidden ?? [] })).toEqual(broken);
  });

  it('a policy without a minimum length asks for AWS\'s default of 6 and no character class', () => {
    expect(passwordViolations('abcdef', rulesOf(policyFromInput({})))).toEqual([]);
    expect(passwordViolations('abcde', rulesOf(policyFromInput({})))).toEqual(['Password should have a minimum length of 6']);
  });
});

describe.each(testDialects())('account password policy (%s)', (dialect) => {
  let f: IdentityFixture;
  beforeAll(async () => {
    f = await identityFixture(dialect);
  }, 60_000);
  afterAll(() => f?.dispose());

  it('answers NoSuchEntity without a policy, replaces the whole policy on update, and deletes it', async () => {
    const noPolicy = { code: 'NoSuchEntity', message: `The Password Policy with domain name ${ACCOUNT_ID} cannot be found.` };
    expect(await failure(() => getAccountPasswordPolicy(f.deps, {}, f.root()))).toEqual(noPolicy);
    expect(await failure(() => deleteAccountPasswordPolicy(f.deps, {}, f.root()))).toEqual(noPolicy);

    await updateAccountPasswordPolicy(f.deps, { minimumPasswordLength: 12, requireSymbols: true, maxPasswordAge: 90, passwordReusePrevention: 3, hardExpiry: true, allowUsersToChangePassword: true }, f.root());
    expect(await getAccountPasswordPolicy(f.deps, {}, f.root())).toEqual({
      minimumPasswordLength: 12,
      requireSymbols: true,
      requireNumbers: false,
      requireUppercaseCharacters: false,
      requireLowercaseCharacters: false,
      allowUsersToChangePassword: true,
      expirePasswords: true,
      maxPasswordAge: 90,
      passwordReusePrevention: 3,
      hardExpiry: true,
    });
    // An update replaces everything: what it omits goes back to AWS's defaults.
    await updateAccountPasswordPolicy(f.deps, { requireNumbers: true }, f.root());
    expect(await getAccountPasswordPolicy(f.deps, {}, f.root())).toEqual({
      minimumPasswordLength: 6,
      requireSymbols: false,
      requireNumbers: true,
      requireUppercaseCharacters: false,
      requireLowercaseCharacters: false,
      allowUsersToChangePassword: false,
      expirePasswords: false,
    });
    await deleteAccountPasswordPolicy(f.deps, {}, f.root());
    expect(await failure(() => getAccountPasswordPolicy(f.deps, {}, f.root()))).toEqual(noPolicy);
  });

  it('refuses a reused password among the last PasswordReusePrevention, and accepts an older one', async () => {
    await updateAccountPasswordPolicy(f.deps, { passwordReusePrevention: 2 }, f.root());
    const { user } = await createUser(f.deps, { userName: 'reuser' }, f.root());
    await createLoginProfile(f.deps, { userName: 'reuser', password: 'first-pass' }, f.root());
    await updateLoginProfile(f.deps, { userName: 'reuser', password: 'second-pass' }, f.root());
    for (const again of ['first-pass', 'second-pass']) {
      expect(await failure(() => updateLoginProfile(f.deps, { userName: 'reuser', password: again }, f.root()))).toEqual({
        code: 'PasswordPolicyViolation',
        message: 'Password should not be one of your 2 previous passwords',
      });
    }
    await updateLoginProfile(f.deps, { userName: 'reuser', password: 'third-pass' }, f.root());
    // first-pass is now three passwords back.
    await changePassword(f.deps, { oldPassword: 'third-pass', newPassword: 'first-pass' }, f.as({ ...toView(user) }));
    expect(await f.t.rawDatabaseContains('first-pass')).toBe(false);
    await deleteAccountPasswordPolicy(f.deps, {}, f.root());
  });

  it('expires passwords after MaxPasswordAge, and HardExpiry stops the user from choosing a new one', async () => {
    const t0 = new Date('2026-05-06T00:00:00Z');
    const { user } = await createUser(f.deps, { userName: 'ager' }, f.root(t0));
    await createLoginProfile(f.deps, { userName: 'ager', password: 'Old-Passw0rd' }, f.root(t0));
    const key = { accountId: ACCOUNT_ID, userId: user.id };
    expect(await passwordState(f.t.store, key, new Date(t0.getTime() + 100 * DAY))).toEqual({ expired: false, hardExpired: false, resetRequired: false });

    await updateAccountPasswordPolicy(f.deps, { maxPasswordAge: 30, hardExpiry: false }, f.root());
    const expiresAt = new Date(t0.getTime() + 30 * DAY);
    expect(await passwordState(f.t.store, key, new Date(expiresAt.getTime() - 1))).toEqual({ expiresAt, expired: false, hardExpired: false, resetRequired: false });
    expect(await passwordState(f.t.store, key, expiresAt)).toEqual({ expiresAt, expired: true, hardExpired: false, resetRequired: false });

    await updateAccountPasswordPolicy(f.deps, { maxPasswordAge: 30, hardExpiry: true }, f.root());
    const late = new Date(t0.getTime() + 31 * DAY);
    expect(await failure(() => changePassword(f.deps, { oldPassword: 'Old-Passw0rd', newPassword: 'New-Passw0rd' }, f.as(toView(user), late)))).toMatchObject({ code: 'AccessDenied' });
    // An administrator resets it; the new password counts from then.
    await updateLoginProfile(f.deps, { userName: 'ager', password: 'Adm1n-Reset', passwordResetRequired: true }, f.root(late));
    expect(await passwordState(f.t.store, key, late)).toEqual({ expiresAt: new Date(late.getTime() + 30 * DAY), expired: false, hardExpired: false, resetRequired: true });
    await changePassword(f.deps, { oldPassword: 'Adm1n-Reset', newPassword: 'Us3r-Chosen' }, f.as(toView(user), late));
    expect((await passwordState(f.t.store, key, late))?.resetRequired).toBe(false);
    await deleteAccountPasswordPolicy(f.deps, {}, f.root());
  });

  it('ChangePassword needs the old password, an IAM user, a login profile and a conforming new password', async () => {
    const { user } = await createUser(f.deps, { userName: 'changer' }, f.root());
    expect(await failure(() => changePassword(f.deps, { oldPassword: 'x', newPassword: 'Corr3ct-Horse' }, f.as(toView(user))))).toEqual({
      code: 'NoSuchEntity',
      message: 'Login Profile for User changer cannot be found.',
    });
    await createLoginProfile(f.deps, { userName: 'changer', password: 'Corr3ct-Horse' }, f.root());
    expect(await failure(() => changePassword(f.deps, { oldPassword: 'wrong', newPassword: 'Batt3ry-Staple' }, f.as(toView(user))))).toMatchObject({ code: 'AccessDenied' });
    expect(await failure(() => changePassword(f.deps, { oldPassword: 'Corr3ct-Horse', newPassword: 'weak' }, f.as(toView(user))))).toMatchObject({ code: 'PasswordPolicyViolation' });
    expect(await failure(() => changePassword(f.deps, { oldPassword: 'Corr3ct-Horse', newPassword: 'Batt3ry-Staple' }, f.root()))).toMatchObject({ code: 'InvalidUserType' });
    await changePassword(f.deps, { oldPassword: 'Corr3ct-Horse', newPassword: 'Batt3ry-Staple' }, f.as(toView(user)));
    expect(await failure(() => changePassword(f.deps, { oldPassword: 'Corr3ct-Horse', newPassword: 'An0ther-One!' }, f.as(toView(user))))).toMatchObject({ code: 'AccessDenied' });
  });
});

function toView(user: { id: string; name: string; arn: string; path: string; createDate: Date }) {
  return { id: user.id, name: user.name, arn: user.arn, path: user.path, createDate: user.createDate };
}
