/**
 * Console sign-in for IAM users and the account root: account (id or alias), user name, password
 * and, when the user (or root) has an enabled MFA device, its code or (for a security key) its
 * WebAuthn assertion. Root signs in with the user name
 * `root` (AWS asks for the account email; Castellan accounts have none) and the root password the
 * operator set with `castellan root set-password`; a root without one cannot sign in. Every attempt is a CloudTrail `ConsoleLogin` event
 * (`signin.amazonaws.com`, `AwsConsoleSignIn`), recorded through the same `AuditLog` as API calls.
 * An attempt that changes what is stored writes its event in the same transaction, as a mutation
 * does: a success (the password's last use, the name's failures cleared), a right password that
 * must be changed first (the failures cleared) and a counted failure (the name's and the address's
 * counts). So once it is answered, its event is stored: a node killed right after cannot leave a
 * sign-in, or a failure that moved a lockout, without its record. Only an attempt the throttle
 * refuses, which changes nothing, is batched, as refused calls are (one asking for the second
 * factor is no attempt that completes or fails, and is not recorded).
 * A failure answers nothing about which part was wrong; repeated failures per account+user name
 * and per source address are slowed down and then locked out (`SignInThrottle`).
 *
 * @module
 */
import { verify } from '@node-rs/argon2';
import { rootArn } from '../../domain/arn.js';
import type { Ids, Principal } from '../../domain/context.js';
import type { AuditEventInput } from '../../domain/ports/audit-event.js';
import type { AuditLog } from '../../domain/ports/audit-log.js';
import type { Store } from '../../store/store.js';
import { hashPassword, passwordState } from '../iam/login-profiles.js';
import { verifyMfaCode } from '../iam/mfa-devices.js';
import type { ConsoleSession, ConsoleSessionCodec } from './console-session-codec.js';
import type { SignInThrottle } from './sign-in-throttle.js';
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { signInOptions, verifySignInAssertion, type WebAuthnSite } from './security-keys.js';

/** The one answer to every failed sign-in, whatever was wrong (AWS's console says as little). */
export const SIGN_IN_FAILED = 'Your authentication information is incorrect. Please try again.';

const ACCOUNT_ID = /^\d{12}$/;

export interface SignInInput {
  /** The account id or its alias. */
  account: string;
  userName: string;
  password: string;
  mfaCode?: string | undefined;
  /** The security key's answer (`AuthenticationResponseJSON`) to the options of an `mfa-required` result. */
  webauthnResponse?: unknown;
  /** A new password, to replace an expired or reset-required one at sign-in. */
  newPassword?: string | undefined;
}

export interface SignInDeps {
  store: Store;
  ids: Ids;
  codec: ConsoleSessionCodec;
  /** `recordInTransaction` writes the event in a transaction of `store` (the `tx` of `store.transaction`). */
  audit: Pick<AuditLog<Store>, 'record' | 'recordInTransaction'>;
  /** Failures per account + user name. */
  names: SignInThrottle;
  /** Failures per source address. */
  addresses: SignInThrottle;
  sessionTtlMs: number;
  /** The account whose trail records attempts naming an unknown account. */
  defaultAccountId: string;
  region: string;
}

/**
 * The current name of the session's user, which its audit records name: the session keeps the name
 * of its sign-in, stale after a rename (the pipeline authenticates the session by the user's id).
 */
export async function sessionUserName(store: Pick<Store, 'getUserById'>, session: ConsoleSession): Promise<string> {
  return (await store.getUserById(session.userId))?.name ?? session.userName;
}

/**
 * Changes the password of the session's user as the IAM call `ChangePassword`, through the request
 * pipeline (authorized and audited like any call); the message of its error when it fails. Given
 * by the HTTP layer, which owns the pipeline.
 */
export type ChangePasswordCall = (session: ConsoleSession, input: { oldPassword: string; newPassword: string }) => Promise<{ ok: true } | { ok: false; message: string }>;

/** Where the attempt came from, for the throttle and the trail. */
export interface SignInOrigin {
  /** The time, read when the attempt's turn comes (attempts of one name wait for each other). */
  now: () => Date;
  sourceIp: string;
  userAgent: string;
  /** `LoginTo` in the event: the console URL signed in to. */
  loginTo: string;
  /** The relying party and origin of a security key ceremony: the request's host name and origin. */
  site: WebAuthnSite;
}

export type SignInResult =
  | { kind: 'signed-in'; session: ConsoleSession; cookie: string; csrfToken: string }
  /**
   * The password is right but expired or must be reset: no session until it is changed (`newPassword`,
   * unless `hardExpired`) or an administrator resets it. `message` names what refused a new password.
   */
  | { kind: 'password-change-required'; hardExpired: boolean; message?: string }
  /** The password is right and the user has an MFA device: its code, or the security key's answer to `webauthn`, is needed. */
  | { kind: 'mfa-required'; webauthn?: PublicKeyCredentialRequestOptionsJSON }
  | { kind: 'failed'; message: string };

/** The user name that names the account root at sign-in. */
export const ROOT_SIGN_IN_NAME = 'root';

/** The `errorMessage` of a sign-in naming no user of the account, AWS's. */
export const NO_SUCH_USER_MESSAGE = 'No username found in supplied account';

/** How long the one-call session that makes a sign-in password change lives. */
const CHANGE_SESSION_MS = 60_000;

/** A hash to verify against when the user has no password, so a missing user costs as long as a wrong password. */
let decoyHash: Promise<string> | undefined;

/**
 * One sign-in attempt: checks the throttle, the password, the second factor, and whether the
 * password must be changed first (changing it with `changePassword` when `newPassword` is given);
 * records the `ConsoleLogin` event of every attempt that completes or fails.
 */
export async function signIn(deps: SignInDeps, input: SignInInput, origin: SignInOrigin, changePassword?: ChangePasswordCall): Promise<SignInResult> {
  const store = deps.store;
  // The attempt's time: set again when its turn comes in `exclusive` (it may wait behind others).
  let now = origin.now();
  const accountId = ACCOUNT_ID.test(input.account) ? ((await store.getAccount(input.account)) ? input.account : undefined) : await store.getAccountIdByAlias(input.account.toLowerCase());
  const asRoot = input.userName === ROOT_SIGN_IN_NAME;
  const user = accountId && !asRoot ? await store.getUserByName(accountId, input.userName) : undefined;
  // The name is counted as the user it finds: user names match whatever their case ("Ana", "ANA",
  // and "\u212Aate" for "kate" are the same user), and a count per spelling would let each spelling
  // try again. A name that is no user is kept as a keyed hash of its lower case: it may be a
  // password typed in the wrong box (and so may an unknown account). JSON: unambiguous, and free of
  // the NUL characters PostgreSQL's text refuses.
  const nameKey = JSON.stringify([
    accountId ?? deps.codec.guardName(input.account.toLowerCase()),
    user ? user.id : asRoot ? ROOT_SIGN_IN_NAME : deps.codec.guardName(input.userName.toLowerCase()),
  ]);
  const rootHash = accountId && asRoot ? await store.getRootPasswordHash(accountId) : undefined;
  const caller: Principal | undefined = user
    ? { type: 'IAMUser', accountId: user.accountId, arn: user.arn, principalId: user.id, userName: user.name, mfaAuthenticated: false }
    : accountId && rootHash ? await rootCaller(store, accountId) : undefined;
  let mfaUsed = false;
  // A name that is no user of the account: AWS records it hidden (it may be a password typed in the
  // wrong box) and says so in errorMessage. Only the trail says it; the answer is the same for every failure.
  const unknownName = accountId !== undefined && !asRoot && !user;

  const event = (outcome: 'Success' | 'Failure', errorMessage?: string): AuditEventInput => ({
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
      ...(unknownName ? { unknownSignInName: true as const } : {}),
      readOnly: false,
      response: { ConsoleLogin: outcome },
      ...(errorMessage ? { error: { code: 'ConsoleLoginFailure', message: unknownName ? NO_SUCH_USER_MESSAGE : errorMessage } } : {}),
      additionalEventData: { LoginTo: origin.loginTo, MobileVersion: 'No', MFAUsed: mfaUsed ? 'Yes' : 'No' },
    });
  /** An attempt that changes nothing: its event is batched. */
  const record = (outcome: 'Success' | 'Failure', errorMessage?: string) => deps.audit.record(event(outcome, errorMessage));
  /** `change` and the attempt's event in one transaction: both are stored, or neither. */
  const withEvent = (outcome: 'Success' | 'Failure', change: (tx: Store) => Promise<void>, errorMessage?: string) =>
    store.transaction(async (tx) => {
      await change(tx);
      await deps.audit.recordInTransaction(event(outcome, errorMessage), tx);
    });
  const fail = async (): Promise<SignInResult> => {
    await withEvent('Failure', async (tx) => {
      await deps.names.fail(nameKey, now, tx);
      await deps.addresses.fail(origin.sourceIp, now, tx);
    }, 'Failed authentication');
    return { kind: 'failed', message: SIGN_IN_FAILED };
  };

  // Refused without looking at the password, and without counting a failure.
  const refuse = async (): Promise<SignInResult> => {
    await record('Failure', 'Failed authentication');
    return { kind: 'failed', message: SIGN_IN_FAILED };
  };

  // One attempt per name at a time (on this node): attempts sent together would otherwise all pass
  // the throttle before the first failure is counted, each testing a password. Past the throttle's
  // queue depth, the name's further attempts are refused.
  return deps.names.exclusive(nameKey, async (): Promise<SignInResult> => {
    now = origin.now();
    // A waiting or locked name or address is refused without looking at the password, and so is an
    // address whose failures and attempts under way would pass its limit (attempts on many names
    // sent together).
    if ((await deps.names.blockedUntil(nameKey, now)) || !(await deps.addresses.enter(origin.sourceIp, now))) return await refuse();
    try {
      const profile = user ? await store.getLoginProfile(user.id) : undefined;
      const passwordHash = profile?.passwordHash ?? rootHash;
      const passwordOk = passwordHash ? await verify(passwordHash, input.password) : await verify(await (decoyHash ??= hashPassword('decoy')), input.password).then(() => false);
      if (!caller || !accountId || !passwordOk) return await fail();

      const owner = user ? { kind: 'user' as const, userId: user.id } : { kind: 'root' as const };
      const devices = await store.listMfaDevices({ accountId, owner });
      const keys = user ? await store.listSecurityKeys(user.id) : [];
      if (devices.items.length > 0 || keys.length > 0) {
        if (input.webauthnResponse !== undefined && keys.length > 0 && user) {
          const used = await verifySignInAssertion({ codec: deps.codec, store }, { accountId, userId: user.id, keys, response: input.webauthnResponse, site: origin.site, now });
          if (!used) return await fail();
        } else if (input.mfaCode && devices.items.length > 0) {
          let verified = false;
          for (const device of devices.items) {
            const check = await verifyMfaCode({ store }, { accountId, serialNumber: device.serialNumber, code: input.mfaCode, now });
            if (check.ok && (user ? check.owner.kind === 'user' && check.owner.userId === user.id : check.owner.kind === 'root')) verified = true;
            if (verified) break;
          }
          if (!verified) return await fail();
        } else if (input.mfaCode || input.webauthnResponse !== undefined) {
          // A factor of a kind the user has no device of.
          return await fail();
        } else {
          // The password was right: ask for the second factor (a security key when the user has one).
          if (keys.length > 0 && user) return { kind: 'mfa-required', webauthn: await signInOptions(deps, { accountId, userId: user.id, keys, site: origin.site, now }) };
          return { kind: 'mfa-required' };
        }
        mfaUsed = true;
      }

      // The password (and second factor) proved: the name's failures are cleared with the outcome.
      const cleared = (then?: (tx: Store) => Promise<void>) => async (tx: Store) => {
        await deps.names.succeed(nameKey, tx);
        await then?.(tx);
      };
      if (!user) {
        await withEvent('Success', cleared((tx) => tx.recordRootPasswordUse(accountId, now)));
        return startSession(deps, { accountId, userId: accountId, userName: ROOT_SIGN_IN_NAME, arn: caller.arn }, now, mfaUsed);
      }
      const state = await passwordState(store, { accountId, userId: user.id }, now);
      if (state && (state.expired || state.resetRequired)) {
        if (state.hardExpired || input.newPassword === undefined || !changePassword) {
          await withEvent('Failure', cleared(), 'Password change required');
          return { kind: 'password-change-required', hardExpired: state.hardExpired };
        }
        // The change is the IAM call ChangePassword, made with a one-call session that never leaves the server.
        const changeSession = newSession(deps, { accountId, userId: user.id, userName: user.name, arn: user.arn }, now, CHANGE_SESSION_MS, mfaUsed);
        const changed = await changePassword(changeSession, { oldPassword: input.password, newPassword: input.newPassword });
        if (!changed.ok) {
          await withEvent('Failure', cleared(), 'Password change required');
          return { kind: 'password-change-required', hardExpired: false, message: changed.message };
        }
      }

      await withEvent('Success', cleared((tx) => tx.recordUserPasswordUse(user.id, now)));
      return startSession(deps, { accountId, userId: user.id, userName: user.name, arn: user.arn }, now, mfaUsed);
    } finally {
      deps.addresses.leave(origin.sourceIp);
    }
  }, refuse);
}

type Who = Pick<ConsoleSession, 'accountId' | 'userId' | 'userName' | 'arn'>;

function newSession(deps: SignInDeps, who: Who, now: Date, ttlMs: number, mfaUsed: boolean): ConsoleSession {
  return {
    sessionId: Buffer.from(deps.ids.randomBytes(32)).toString('base64url'),
    ...who,
    issuedAt: now,
    expiresAt: new Date(now.getTime() + ttlMs),
    ...(mfaUsed ? { mfaAuthenticatedAt: now } : {}),
  };
}

/** Seals a new session for the signed-in identity (root's user id is its account id); its success is recorded. */
function startSession(deps: SignInDeps, who: Who, now: Date, mfaUsed: boolean): SignInResult {
  const session = newSession(deps, who, now, deps.sessionTtlMs, mfaUsed);
  return { kind: 'signed-in', session, cookie: deps.codec.seal(session), csrfToken: deps.codec.csrfToken(session.sessionId) };
}

/** Root signing in, with the account's alias (the userName CloudTrail writes for root). */
async function rootCaller(store: Pick<SignInDeps['store'], 'listAccountAliases'>, accountId: string): Promise<Principal> {
  const [alias] = await store.listAccountAliases(accountId);
  return { type: 'Root', accountId, arn: rootArn(accountId), principalId: accountId, ...(alias ? { accountAlias: alias } : {}), mfaAuthenticated: false };
}
