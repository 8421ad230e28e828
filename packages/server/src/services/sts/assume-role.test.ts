import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../domain/context.js';
import { testDialects } from '../../store/testing.js';
import { createRole } from '../iam/roles.js';
import { ACCOUNT_ID, failure, identityFixture, type IdentityFixture } from '../iam/test-identity-fixture.js';
import { createUser } from '../iam/users.js';
import { assumeRole } from './assume-role.js';
import { getFederationToken } from './get-federation-token.js';
import { getSessionToken } from './get-session-token.js';
import { getAccessKeyInfo } from './get-access-key-info.js';
import { decodeAuthorizationMessage } from './decode-authorization-message.js';

const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` }, Action: 'sts:AssumeRole' }] });
const NOW = new Date('2026-05-06T07:08:09.000Z');

describe.each(testDialects())('STS sessions (%s)', (dialect) => {
  let f: IdentityFixture;
  let alice: Principal;
  let roleArn: string;
  beforeAll(async () => {
    f = await identityFixture(dialect);
    const u = await createUser(f.deps, { userName: 'alice' }, f.root());
    alice = f.as(u.user).caller;
    roleArn = (await createRole(f.deps, { roleName: 'App', assumeRolePolicyDocument: trust, maxSessionDuration: 7200 }, f.root())).role.arn;
  });
  afterAll(() => f.dispose());

  const chainedCaller = (): Principal => ({
    type: 'AssumedRole',
    accountId: ACCOUNT_ID,
    arn: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/Other/s`,
    principalId: 'AROAOTHER:s',
    mfaAuthenticated: false,
    session: { issuerArn: `arn:aws:iam::${ACCOUNT_ID}:role/Other`, issuerType: 'Role', issuerName: 'Other', issuerPrincipalId: 'AROAOTHER', createdAt: NOW, expiresAt: NOW, mfaAuthenticated: false, sourceIdentity: 'origin' },
  });

  it('issues a session: ids, ARN, expiry, sealed facts, RoleLastUsed', async () => {
    const r = await assumeRole(f.deps, { roleArn, roleSessionName: 'one', durationSeconds: 7200 }, f.ctx(alice, NOW));
    expect(r.assumedRoleUser.arn).toBe(`arn:aws:sts::${ACCOUNT_ID}:assumed-role/App/one`);
    expect(r.assumedRoleUser.assumedRoleId).toMatch(/^AROA[A-Z2-7]{17}:one$/);
    expect(r.credentials.expiration).toEqual(new Date(NOW.getTime() + 7200_000));
    const claims = f.deps.sessionTokens.open(r.credentials.accessKeyId, r.credentials.sessionToken);
    expect(claims).toMatchObject({ type: 'AssumedRole', issuedBy: 'AssumeRole', issuer: { type: 'Role', arn: roleArn, name: 'App' }, sessionName: 'one', issuedAt: NOW });
    expect(f.deps.sessionTokens.secretFor(r.credentials.accessKeyId)).toBe(r.credentials.secretAccessKey);
    expect(await f.deps.store.getRoleByName(ACCOUNT_ID, 'App')).toMatchObject({ lastUsedDate: NOW, lastUsedRegion: 'us-east-1' });
  });

  it.each([
    { name: 'the root user', caller: () => f.root(NOW).caller, input: {}, code: 'AccessDenied', message: 'Roles may not be assumed by root accounts.' },
    { name: 'an unknown role', caller: () => alice, input: { roleArn: `arn:aws:iam::${ACCOUNT_ID}:role/Nope` }, code: 'AccessDenied', message: `User: arn:aws:iam::${ACCOUNT_ID}:user/alice is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${ACCOUNT_ID}:role/Nope` },
    { name: 'a role ARN with the wrong path', caller: () => alice, input: { roleArn: `arn:aws:iam::${ACCOUNT_ID}:role/x/App` }, code: 'AccessDenied' },
    { name: 'more than the role’s MaxSessionDuration', caller: () => alice, input: { durationSeconds: 7201 }, code: 'ValidationError', message: 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.' },
    { name: 'more than an hour when chaining', caller: chainedCaller, input: { durationSeconds: 3601 }, code: 'ValidationError', message: 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.' },
    { name: 'more than an hour from a GetSessionToken session', caller: () => sessionOf('GetSessionToken'), input: { durationSeconds: 3601 }, code: 'ValidationError', message: 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.' },
    { name: 'more than an hour from a console session', caller: () => ({ ...alice, consoleSession: { issuedAt: NOW } }), input: { durationSeconds: 3601 }, code: 'ValidationError', message: 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.' },
    { name: 'an MFA code', caller: () => alice, input: { serialNumber: `arn:aws:iam::${ACCOUNT_ID}:mfa/alice`, tokenCode: '123456' }, code: 'AccessDenied' },
  ])('refuses $name', async ({ caller, input, code, message }) => {
    const e = await failure(() => assumeRole(f.deps, { roleArn, roleSessionName: 's', ...input }, f.ctx(caller(), NOW)));
    expect(e.code).toBe(code);
    if (message) expect(e.message).toBe(message);
  });

  it('keeps a chained session’s source identity, and refuses to change it', async () => {
    expect((await assumeRole(f.deps, { roleArn, roleSessionName: 'hop' }, f.ctx(chainedCaller(), NOW))).sourceIdentity).toBe('origin');
    expect((await assumeRole(f.deps, { roleArn, roleSessionName: 'hop', sourceIdentity: 'origin' }, f.ctx(chainedCaller(), NOW))).sourceIdentity).toBe('origin');
    expect(await failure(() => assumeRole(f.deps, { roleArn, roleSessionName: 'hop', sourceIdentity: 'other' }, f.ctx(chainedCaller(), NOW)))).toEqual({
      code: 'AccessDenied',
      message: 'The source identity of the calling session (origin) cannot be changed in a chained role session.',
    });
  });

  it.each([
    { op: 'AssumeRole', run: (arns: string[]) => assumeRole(f.deps, { roleArn, roleSessionName: 's', policyArns: arns.map((arn) => ({ arn })) }, f.ctx(alice, NOW)) },
    { op: 'GetFederationToken', run: (arns: string[]) => getFederationToken(f.deps, { name: 'fed', policyArns: arns.map((arn) => ({ arn })) }, f.ctx(alice, NOW)) },
  ])('$op refuses managed session policies that do not exist', async ({ run }) => {
    const missing = `arn:aws:iam::${ACCOUNT_ID}:policy/Nope`;
    expect(await failure(() => run(['arn:aws:iam::aws:policy/ReadOnlyAccess', missing]))).toEqual({ code: 'InvalidParameterValue', message: `Policy ${missing} does not exist or is not attachable.` });
    expect(await failure(() => run(['arn:aws:iam::aws:policy/NoSuchAwsPolicy']))).toMatchObject({ code: 'InvalidParameterValue' });
    await expect(run(['arn:aws:iam::aws:policy/ReadOnlyAccess'])).resolves.toBeDefined();
  });

  const sessionOf = (issuedBy: 'GetSessionToken' | 'GetFederationToken'): Principal => ({
    ...(issuedBy === 'GetSessionToken' ? alice : { type: 'FederatedUser', accountId: ACCOUNT_ID, arn: `arn:aws:sts::${ACCOUNT_ID}:federated-user/fed`, principalId: `${ACCOUNT_ID}:fed` }),
    mfaAuthenticated: false,
    session: { issuerArn: alice.arn, issuerType: 'IAMUser', issuerName: 'alice', issuerPrincipalId: alice.principalId, createdAt: NOW, expiresAt: NOW, mfaAuthenticated: false, issuedBy },
  });

  it.each([
    { session: 'GetFederationToken', op: 'AssumeRole', refused: true },
    { session: 'GetFederationToken', op: 'GetAccessKeyInfo', refused: true },
    { session: 'GetFederationToken', op: 'DecodeAuthorizationMessage', refused: true },
    { session: 'GetSessionToken', op: 'AssumeRole', refused: false },
    { session: 'GetSessionToken', op: 'GetAccessKeyInfo', refused: true },
    { session: 'GetSessionToken', op: 'DecodeAuthorizationMessage', refused: true },
  ] as const)('a $session session calling $op: refused $refused', async ({ session, op, refused }) => {
    const ctx = f.ctx(sessionOf(session), NOW);
    const calls = {
      AssumeRole: () => assumeRole(f.deps, { roleArn, roleSessionName: 's' }, ctx),
      GetAccessKeyInfo: () => getAccessKeyInfo(f.deps, ctx.caller.accessKeyId ?? 'AKIAUSERKEY000000001', ctx),
      DecodeAuthorizationMessage: async () => decodeAuthorizationMessage(f.deps, 'not-a-message', ctx),
    };
    if (refused) expect(await failure(calls[op])).toEqual({ code: 'AccessDenied', message: `Cannot call ${op} with session credentials` });
    else await expect(calls[op]()).resolves.toBeDefined();
  });

  it.each([
    { op: 'GetSessionToken', run: (c: Principal, d?: number) => getSessionToken(f.deps, { durationSeconds: d }, f.ctx(c, NOW)) },
    { op: 'GetFederationToken', run: async (c: Principal, d?: number) => (await getFederationToken(f.deps, { name: 'fed', durationSeconds: d }, f.ctx(c, NOW))).credentials },
  ])('$op: 12 hours by default, at most an hour for root, never for sessions', async ({ op, run }) => {
    expect((await run(alice)).expiration).toEqual(new Date(NOW.getTime() + 43_200_000));
    expect((await run(alice, 129_600)).expiration).toEqual(new Date(NOW.getTime() + 129_600_000));
    expect((await run(f.root(NOW).caller, 7200)).expiration).toEqual(new Date(NOW.getTime() + 3600_000));
    expect(await failure(() => run(chainedCaller()))).toEqual({ code: 'AccessDenied', message: `Cannot call ${op} with session credentials` });
  });
});
