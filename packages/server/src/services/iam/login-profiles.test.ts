import { verify } from '@node-rs/argon2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../../store/testing.js';
import { createLoginProfile, deleteLoginProfile, DEFAULT_PASSWORD_RULES, getLoginProfile, passwordRules, passwordViolations, updateLoginProfile } from './login-profiles.js';
import { ACCOUNT_ID, failure, identityFixture, type IdentityFixture } from './test-identity-fixture.js';
import { createUser } from './users.js';

describe('password rules', () => {
  it.each([
    { password: 'Abcdef1!', ok: true },
    { password: 'abcdef12', ok: false },
    { password: 'ABCdef12', ok: true },
    { password: 'Ab1!', ok: false },
    { password: 'abcdefgh!1', ok: true },
    { password: 'abcdefghij', ok: false },
  ])('default policy: $password -> $ok', ({ password, ok }) => {
    expect(passwordViolations(password, DEFAULT_PASSWORD_RULES).length === 0).toBe(ok);
  });

  it('a stored account policy replaces the default rules', () => {
    const rules = passwordRules(JSON.stringify({ MinimumPasswordLength: 12, RequireSymbols: true, RequireNumbers: false }));
    expect(passwordViolations('abcdefghijk!', rules)).toEqual([]);
    expect(passwordViolations('abcdefghijkl', rules)).toEqual(['Password should have at least one symbol']);
    expect(passwordViolations('short!', rules)).toEqual(['Password should have a minimum length of 12']);
  });
});

describe.each(testDialects())('login profiles (%s)', (dialect) => {
  let f: IdentityFixture;
  const password = 'Corr3ct-Horse!';
  // Opening a store and loading the catalogue can be slow while the whole suite runs.
  beforeAll(async () => {
    f = await identityFixture(dialect);
  }, 60_000);
  afterAll(() => f?.dispose());

  it('stores an argon2id hash only, never the password', async () => {
    const { user } = await createUser(f.deps, { userName: 'pat' }, f.root());
    const created = await createLoginProfile(f.deps, { userName: 'pat', password, passwordResetRequired: true }, f.root());
    expect(created).toEqual({ userName: 'pat', createDate: f.root().now, passwordResetRequired: true });
    const row = await f.t.store.getLoginProfile(user.id);
    expect(row?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verify(row!.passwordHash, password)).toBe(true);
    expect(await f.t.rawDatabaseContains(password)).toBe(false);
    expect(await getLoginProfile(f.deps, { userName: 'PAT' }, f.root())).toEqual(created);
    expect(await failure(() => createLoginProfile(f.deps, { userName: 'pat', password }, f.root()))).toEqual({ code: 'EntityAlreadyExists', message: 'Login Profile for user pat already exists.' });
  });

  it('without a user name act on the calling IAM user; the root must name one, and a password is required', async () => {
    const { user } = await createUser(f.deps, { userName: 'me' }, f.root());
    const me = f.as(user);
    expect(await failure(() => createLoginProfile(f.deps, {}, me))).toEqual({
      code: 'ValidationError',
      message: "1 validation error detected: Value null at 'password' failed to satisfy constraint: Member must not be null",
    });
    expect(await f.t.store.getLoginProfile(user.id)).toBeUndefined();
    expect(await createLoginProfile(f.deps, { password }, me)).toMatchObject({ userName: 'me' });
    expect(await getLoginProfile(f.deps, {}, me)).toMatchObject({ userName: 'me' });
    const rootMustName = { code: 'ValidationError', message: 'Must specify userName when calling with root user credentials outside an AssumeRoot session' };
    expect(await failure(() => getLoginProfile(f.deps, {}, f.root()))).toEqual(rootMustName);
    expect(await failure(() => deleteLoginProfile(f.deps, {}, f.root()))).toEqual(rootMustName);
    expect(await failure(() => createLoginProfile(f.deps, { password }, f.root()))).toEqual(rootMustName);
    await deleteLoginProfile(f.deps, {}, me);
    expect(await f.t.store.getLoginProfile(user.id)).toBeUndefined();
  });

  it('updates the password and the reset flag separately', async () => {
    const { user } = await createUser(f.deps, { userName: 'upd' }, f.root());
    await createLoginProfile(f.deps, { userName: 'upd', password }, f.root());
    const before = (await f.t.store.getLoginProfile(user.id))!.passwordHash;
    await updateLoginProfile(f.deps, { userName: 'upd', passwordResetRequired: true }, f.root());
    expect((await f.t.store.getLoginProfile(user.id))).toMatchObject({ passwordHash: before, passwordResetRequired: true });
    await updateLoginProfile(f.deps, { userName: 'upd', password: 'N3w-Password!' }, f.root());
    const after = (await f.t.store.getLoginProfile(user.id))!;
    expect(await verify(after.passwordHash, 'N3w-Password!')).toBe(true);
    expect(after.passwordResetRequired).toBe(true);
  });

  it('refuses weak passwords without echoing them, and missing profiles/users', async () => {
    await createUser(f.deps, { userName: 'weak' }, f.root());
    const err = await failure(() => createLoginProfile(f.deps, { userName: 'weak', password: 'zqzqzqzqzq' }, f.root()));
    expect(err.code).toBe('PasswordPolicyViolation');
    expect(err.message).not.toContain('zqzqzqzqzq');
    // AWS's text (as the AWS CLI prints it for the default policy).
    expect(err.message).toBe('Password should meet 2 more of the following requirements: Password should have at least one uppercase letter, Password should have at least one number, Password should have at least one symbol');
    expect(await failure(() => getLoginProfile(f.deps, { userName: 'weak' }, f.root()))).toEqual({ code: 'NoSuchEntity', message: 'Login Profile for User weak cannot be found.' });
    expect(await failure(() => updateLoginProfile(f.deps, { userName: 'weak', passwordResetRequired: false }, f.root()))).toMatchObject({ code: 'NoSuchEntity' });
    expect(await failure(() => deleteLoginProfile(f.deps, { userName: 'weak' }, f.root()))).toMatchObject({ code: 'NoSuchEntity' });
    expect(await failure(() => createLoginProfile(f.deps, { userName: 'ghost', password }, f.root()))).toEqual({ code: 'NoSuchEntity', message: 'The user with name ghost cannot be found.' });
  });

  it('applies the account password policy when one is stored', async () => {
    await f.t.store.updateAccount(ACCOUNT_ID, { passwordPolicyJson: JSON.stringify({ MinimumPasswordLength: 20 }) });
    await createUser(f.deps, { userName: 'strict' }, f.root());
    expect(await failure(() => createLoginProfile(f.deps, { userName: 'strict', password }, f.root()))).toMatchObject({ code: 'PasswordPolicyViolation', message: expect.stringContaining('minimum length of 20') });
    await f.t.store.updateAccount(ACCOUNT_ID, { passwordPolicyJson: null });
    await createLoginProfile(f.deps, { userName: 'strict', password }, f.root());
    await deleteLoginProfile(f.deps, { userName: 'strict' }, f.root());
    expect(await failure(() => getLoginProfile(f.deps, { userName: 'strict' }, f.root()))).toMatchObject({ code: 'NoSuchEntity' });
  });
});
