import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../domain/context.js';
import { testDialects } from '../../store/testing.js';
import { createVirtualMfaDevice, enableMfaDevice, enableRootMfaDevice } from '../iam/mfa-devices.js';
import { createRole } from '../iam/roles.js';
import { ACCOUNT_ID, failure, identityFixture, type IdentityFixture } from '../iam/test-identity-fixture.js';
import { codeAt, STEP_SECONDS, timeStep } from '../iam/totp.js';
import { createUser } from '../iam/users.js';
import { assumeRole } from './assume-role.js';
import { getSessionToken } from './get-session-token.js';

const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` }, Action: 'sts:AssumeRole' }] });
const T0 = new Date('2026-05-06T07:08:00.000Z');
const at = (steps: number) => new Date(T0.getTime() + steps * STEP_SECONDS * 1000);
const UNABLE = {
  code: 'AccessDenied',
  message: 'MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.',
};
const INVALID = { code: 'AccessDenied', message: 'MultiFactorAuthentication failed with invalid MFA one time pass code. ' };

describe.each(testDialects())('MFA in STS (%s)', (dialect) => {
  let f: IdentityFixture;
  let alice: Principal;
  let roleArn: string;
  /** Enabled devices: alice's, bob's and root's; and one never enabled. */
  const devices: Record<'alice' | 'bob' | 'root' | 'spare', { serialNumber: string; seed: string }> = {} as never;
  const code = (who: keyof typeof devices, now: Date) => codeAt(devices[who].seed, timeStep(now));

  beforeAll(async () => {
    f = await identityFixture(dialect);
    roleArn = (await createRole(f.deps, { roleName: 'App', assumeRolePolicyDocument: trust }, f.root(T0))).role.arn;
    for (const name of ['alice', 'bob', 'root', 'spare'] as const) {
      const d = await createVirtualMfaDevice(f.deps, { name }, f.root(T0));
      devices[name] = { serialNumber: d.serialNumber, seed: d.base32StringSeed };
      const s = timeStep(T0);
      const codes = { serialNumber: d.serialNumber, authenticationCode1: codeAt(d.base32StringSeed, s - 1), authenticationCode2: codeAt(d.base32StringSeed, s) };
      if (name === 'root') await enableRootMfaDevice(f.deps, codes, f.root(T0));
      else if (name !== 'spare') {
        const { user } = await createUser(f.deps, { userName: name }, f.root(T0));
        if (name === 'alice') alice = f.as(user).caller;
        await enableMfaDevice(f.deps, { userName: name, ...codes }, f.root(T0));
      }
    }
  }, 60_000);
  afterAll(() => f?.dispose());

  const assume = (caller: Principal, now: Date, mfa: { serialNumber?: string; tokenCode?: string }) =>
    assumeRole(f.deps, { roleArn, roleSessionName: 's', ...mfa }, f.ctx(caller, now));

  it('AssumeRole with a valid code: the session carries MFA from now, and the code is not accepted twice', async () => {
    const now = at(2);
    const mfa = { serialNumber: devices.alice.serialNumber, tokenCode: code('alice', now) };
    const r = await assume(alice, now, mfa);
    expect(f.deps.sessionTokens.open(r.credentials.accessKeyId, r.credentials.sessionToken)).toMatchObject({ mfaAuthenticatedAt: now });
    expect(await failure(() => assume(alice, now, mfa))).toEqual(INVALID);
  });

  it('GetSessionToken with a valid code, for a user and for root', async () => {
    const now = at(4);
    const s = await getSessionToken(f.deps, { serialNumber: devices.alice.serialNumber, tokenCode: code('alice', now) }, f.ctx(alice, now));
    expect(f.deps.sessionTokens.open(s.accessKeyId, s.sessionToken)).toMatchObject({ issuedBy: 'GetSessionToken', mfaAuthenticatedAt: now });
    const r = await getSessionToken(f.deps, { serialNumber: devices.root.serialNumber, tokenCode: code('root', now) }, f.root(now));
    expect(f.deps.sessionTokens.open(r.accessKeyId, r.sessionToken)).toMatchObject({ type: 'Root', mfaAuthenticatedAt: now });
    const plain = await getSessionToken(f.deps, {}, f.ctx(alice, now));
    expect(f.deps.sessionTokens.open(plain.accessKeyId, plain.sessionToken)).not.toHaveProperty('mfaAuthenticatedAt');
  });

  const roleSession = (mfaAuthenticatedAt?: Date): Principal => ({
    type: 'AssumedRole',
    accountId: ACCOUNT_ID,
    arn: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/Other/s`,
    principalId: 'AROAOTHER:s',
    mfaAuthenticated: mfaAuthenticatedAt !== undefined,
    session: {
      issuerArn: `arn:aws:iam::${ACCOUNT_ID}:role/Other`,
      issuerType: 'Role',
      issuerName: 'Other',
      issuerPrincipalId: 'AROAOTHER',
      createdAt: T0,
      expiresAt: at(100),
      mfaAuthenticated: mfaAuthenticatedAt !== undefined,
      ...(mfaAuthenticatedAt ? { mfaAuthenticatedAt } : {}),
      issuedBy: 'AssumeRole',
    },
  });

  it.each([
    { name: 'a code out of the window', mfa: (now: Date) => ({ serialNumber: devices.alice.serialNumber, tokenCode: codeAt(devices.alice.seed, timeStep(now) + 3) }), want: INVALID },
    { name: 'an unknown device', mfa: (now: Date) => ({ serialNumber: `arn:aws:iam::${ACCOUNT_ID}:mfa/nobody`, tokenCode: code('alice', now) }), want: UNABLE },
    { name: 'another user’s device', mfa: (now: Date) => ({ serialNumber: devices.bob.serialNumber, tokenCode: code('bob', now) }), want: UNABLE },
    { name: 'a device never enabled', mfa: (now: Date) => ({ serialNumber: devices.spare.serialNumber, tokenCode: code('spare', now) }), want: UNABLE },
    { name: 'a serial number without a code', mfa: () => ({ serialNumber: devices.alice.serialNumber }), want: UNABLE },
    { name: 'a code without a serial number', mfa: (now: Date) => ({ tokenCode: code('alice', now) }), want: UNABLE },
    { name: 'a role session presenting a user’s device', caller: () => roleSession(), mfa: (now: Date) => ({ serialNumber: devices.alice.serialNumber, tokenCode: code('alice', now) }), want: UNABLE },
  ])('AssumeRole refuses $name', async ({ caller, mfa, want }) => {
    const now = at(6);
    expect(await failure(() => assume(caller?.() ?? alice, now, mfa(now)))).toEqual(want);
  });

  it('leaves a device’s code unused when another user presents it', async () => {
    const now = at(8);
    expect(await failure(() => assume(alice, now, { serialNumber: devices.bob.serialNumber, tokenCode: code('bob', now) }))).toEqual(UNABLE);
    const bob = (await f.deps.store.getUserByName(ACCOUNT_ID, 'bob'))!;
    const bobCaller: Principal = { type: 'IAMUser', accountId: ACCOUNT_ID, arn: bob.arn, principalId: bob.id, userName: 'bob', mfaAuthenticated: false };
    await expect(assume(bobCaller, now, { serialNumber: devices.bob.serialNumber, tokenCode: code('bob', now) })).resolves.toBeDefined();
  });

  it('GetSessionToken refuses another user’s device and a wrong code', async () => {
    const now = at(10);
    expect(await failure(() => getSessionToken(f.deps, { serialNumber: devices.bob.serialNumber, tokenCode: code('bob', now) }, f.ctx(alice, now)))).toEqual(UNABLE);
    expect(await failure(() => getSessionToken(f.deps, { serialNumber: devices.alice.serialNumber, tokenCode: codeAt(devices.alice.seed, timeStep(now) - 3) }, f.ctx(alice, now)))).toEqual(INVALID);
  });

  it('a role chained from an MFA session keeps the time MFA was proven; one without MFA has none', async () => {
    const proven = at(1);
    const chained = await assume(roleSession(proven), at(12), {});
    expect(f.deps.sessionTokens.open(chained.credentials.accessKeyId, chained.credentials.sessionToken)).toMatchObject({ mfaAuthenticatedAt: proven, issuedAt: at(12) });
    const plain = await assume(roleSession(), at(12), {});
    expect(f.deps.sessionTokens.open(plain.credentials.accessKeyId, plain.credentials.sessionToken)).not.toHaveProperty('mfaAuthenticatedAt');
  });
});
