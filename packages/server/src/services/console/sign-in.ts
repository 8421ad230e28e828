/**
 * Console sign-in for IAM users and the account root: account (id or alias), user name, password
 * and, when the user (or root) has an enabled MFA device, its code. Root signs in with the user name
 * `root` (AWS asks for the account email; Castellan accounts have none) and the root password the
 * operator set with `castellan root set-password`; a root without one cannot sign in. Every attempt is a CloudTrail `ConsoleLogin` event
 * (`signin.amazonaws.com`, `AwsConsoleSignIn`), recorded through the same `AuditLog` as API calls.
 * A failure answers nothing about which part was wrong; repeated failures per account+user name
 * and per source address are slowed down and then locked out (`SignInThrottle`).
 *
 * @module
 */
import { verify } from '@node-rs/argon2';
import { rootArn } from '../../domain/arn.js';
import type { Ids, Principal } from '../../domain/context.js';
import type { AuditLog } from '../../domain/ports/audit-log.js';
import type { Store } from '../../store/store.js';
import { hashPassword, passwordState } from '../iam/login-profiles.js';
import { verifyMfaCode } from '../iam/mfa-devices.js';
import type { ConsoleSession, ConsoleSessionCodec } from './console-session-codec.js';
import type { SignInThrottle } from './sign-in-throttle.js';

/** The one answer to every failed sign-in, whatever was wrong (AWS's console says as little). */
export const SIGN_IN_FAILED = 'Your authentication information is incorrect. Please try again.';

const ACCOUNT_ID = /^\d{12}$/;

export interface SignInInput {
  /** The account id or its alias. */
  account: string;
  userName: string;
  password: string;
  mfaCode?: string | undefined;
}

export interface SignInDeps {
  store: Store;
  ids: Ids;
  codec: ConsoleSessionCodec;
  audit: Pick<AuditLog, 'record'>;
  /** Failures per account + user name. */
  names: SignInThrottle;
  /** Failures per source address. */
  addresses: SignInThrottle;
  sessionTtlMs: number;
  /** The account whose trail records attempts naming an unknown account. */
  defaultAccountId: string;
  region: string;
}

/** Where the attempt came from, for the throttle and the trail. */
export interface SignInOrigin {
  now: Date;
  sourceIp: string;
  userAgent: string;
  /** `LoginTo` in the event: the console URL signed in to. */
  loginTo: string;
}

export type SignInResult =
  | { kind: 'signed-in'; session: ConsoleSession; cookie: string; csrfToken: string }
  /** The password is right but expired or must be reset: no session until an administrator resets it or the user changes it. */
  | { kind: 'password-change-required'; hardExpired: boolean }
  | { kind: 'failed'; message: string };

/** The user name that names the account root at sign-in. */
export const ROOT_SIGN_IN_NAME = 'root';

/** A hash to verify against when the user has no password, so a missing user costs as long as a wrong password. */
let decoyHash: Promise<string> | undefined;

export async function signIn(deps: SignInDeps, input: SignInInput, origin: SignInOrigin): Promise<SignInResult> {
  const { store, now } = { store: deps.store, now: origin.now };
  const accountId = ACCOUNT_ID.test(input.account) ? ((await store.getAccount(input.account)) ? input.account : undefined) : await store.getAccountIdByAlias(input.account.toLowerCase());
  const nameKey = `${accountId ?? input.account}\u0000${input.userName}`;
  const asRoot = input.userName === ROOT_SIGN_IN_NAME;
  const user = accountId && !asRoot ? await store.getUserByName(accountId, input.userName) : undefined;
  const rootHash = accountId && asRoot ? await store.getRootPasswordHash(accountId) : undefined;
  const caller: Principal | undefined = user
    ? { type: 'IAMUser', accountId: user.accountId, arn: user.arn, principalId: user.id, userName: user.name, mfaAuthenticated: false }
    : accountId && rootHash ? { type: 'Root', accountId, arn: rootArn(accountId), principalId: accountId, mfaAuthenticated: false } : undefined;
  let mfaUsed = false;

  const record = (outcome: 'Success' | 'Failure', errorMessage?: string) =>
    deps.audit.record({
      eventId: deps.ids.requestId(),
      requestId: deps.ids.requestId(),
      eventTime: now,
      service: 'signin',
      eventSource: 'signin.amazonaws.com',
      eventName: 'ConsoleLogin',
      eventType: 'AwsConsoleSignIn',
      region: deps.region,
      global: true,
      sourceIp: origin.sourceIp,
      userAgent: origin.userAgent,
      accountId: accountId ?? deps.defaultAccountId,
      ...(caller ? { caller: { ...caller, mfaAuthenticated: mfaUsed } } : {}),
      readOnly: false,
      response: { ConsoleLogin: outcome },
      ...(errorMessage ? { error: { code: 'ConsoleLoginFailure', message: errorMessage } } : {}),
      additionalEventData: { LoginTo: origin.loginTo, MobileVersion: 'No', MFAUsed: mfaUsed ? 'Yes' : 'No' },
    });
  const fail = async (): Promise<SignInResult> => {
    deps.names.fail(nameKey, now);
    deps.addresses.fail(origin.sourceIp, now);
    await record('Failure', 'Failed authentication');
    return { kind: 'failed', message: SIGN_IN_FAILED };
  };

  // A waiting or locked name or address is refused without looking at the password.
  if (deps.names.blockedUntil(nameKey, now) || deps.addresses.blockedUntil(origin.sourceIp, now)) {
    await record('Failure', 'Failed authentication');
    return { kind: 'failed', message: SIGN_IN_FAILED };
  }
  const profile = user ? await store.getLoginProfile(user.id) : undefined;
  const passwordHash = profile?.passwordHash ?? rootHash;
  const passwordOk = passwordHash ? await verify(passwordHash, input.password) : await verify(await (decoyHash ??= hashPassword('decoy')), input.password).then(() => false);
  if (!caller || !accountId || !passwordOk) return fail();

  const owner = user ? { kind: 'user' as const, userId: user.id } : { kind: 'root' as const };
  const devices = await store.listMfaDevices({ accountId, owner });
  if (devices.items.length > 0) {
    if (!input.mfaCode) return fail();
    let verified = false;
    for (const device of devices.items) {
      const check = await verifyMfaCode({ store }, { accountId, serialNumber: device.serialNumber, code: input.mfaCode, now });
      if (check.ok && (user ? check.owner.kind === 'user' && check.owner.userId === user.id : check.owner.kind === 'root')) verified = true;
      if (verified) break;
    }
    if (!verified) return fail();
    mfaUsed = true;
  }

  deps.names.succeed(nameKey);
  if (!user) return startSession(deps, { accountId, userId: accountId, userName: ROOT_SIGN_IN_NAME, arn: caller.arn }, now, mfaUsed, () => record('Success'));
  const state = await passwordState(store, { accountId, userId: user.id }, now);
  if (state && (state.expired || state.resetRequired)) {
    await record('Failure', 'Password change required');
    return { kind: 'password-change-required', hardExpired: state.hardExpired };
  }

  await store.recordUserPasswordUse(user.id, now);
  return startSession(deps, { accountId, userId: user.id, userName: user.name, arn: user.arn }, now, mfaUsed, () => record('Success'));
}

/** Seals a new session for the signed-in identity (root's user id is its account id) and records the success. */
async function startSession(
  deps: SignInDeps,
  who: Pick<ConsoleSession, 'accountId' | 'userId' | 'userName' | 'arn'>,
  now: Date,
  mfaUsed: boolean,
  recordSuccess: () => Promise<unknown>,
): Promise<SignInResult> {
  const session: ConsoleSession = {
    sessionId: Buffer.from(deps.ids.randomBytes(32)).toString('base64url'),
    ...who,
    issuedAt: now,
    expiresAt: new Date(now.getTime() + deps.sessionTtlMs),
    ...(mfaUsed ? { mfaAuthenticatedAt: now } : {}),
  };
  await recordSuccess();
  return { kind: 'signed-in', session, cookie: deps.codec.seal(session), csrfToken: deps.codec.csrfToken(session.sessionId) };
}
