/**
 * Console passwords (login profiles): Create/Get/Update/DeleteLoginProfile and ChangePassword.
 * Passwords are checked against the account password policy (AWS's default rules when the account
 * has none) and the user's previous passwords, hashed with argon2id, and never returned, logged or
 * stored in the clear.
 *
 * @module
 */
import { hash, verify, type Algorithm } from '@node-rs/argon2';
import type { RequestContext } from '../../domain/context.js';
import { AccessDeniedError, EntityAlreadyExistsError, InvalidUserTypeError, NoSuchEntityError, PasswordPolicyViolationError, ValidationError } from '../../domain/errors.js';
import { StoreConflictError } from '../../store/store-errors.js';
import type { LoginProfile, PasswordPolicy, PasswordState } from '../../domain/iam-entities.js';
import type { LoginProfileRow, Store, UserRow } from '../../store/store.js';
import type { ServiceDeps } from '../service-deps.js';
import { requireUser, userOfCaller, userOrCallingUser } from './identity-common.js';
import { accountPasswordPolicy } from './password-policy.js';
import { passwordViolations, rulesOf } from './password-rules.js';

// `Algorithm` is a const enum in the package's typings; 2 is `Algorithm.Argon2id`.
const ARGON2ID = 2 as Algorithm;

/** How many previous passwords are remembered: AWS's largest `PasswordReusePrevention`. */
const REMEMBERED_PASSWORDS = 24;
const DAY_MS = 24 * 60 * 60 * 1000;

export { DEFAULT_PASSWORD_RULES, passwordRules, passwordViolations, type PasswordRules } from './password-rules.js';

/**
 * Throws PasswordPolicyViolation (naming the rules, never the password) when `password` breaks the
 * account's rules or is one of the user's last `PasswordReusePrevention` passwords.
 */
async function checkNewPassword(store: Store, accountId: string, user: UserRow, password: string, policy: PasswordPolicy | undefined): Promise<void> {
  const forbidden = { names: [user.name, ...(await store.listAccountAliases(accountId))] };
  const violations = passwordViolations(password, rulesOf(policy), forbidden);
  if (violations.length > 0) throw new PasswordPolicyViolationError(violations.join(', '));
  const reuse = policy?.passwordReusePrevention ?? 0;
  for (const old of await store.listPasswordHistory(user.id, reuse)) {
    // Our wording: AWS's text for a reused password is not documented.
    if (await verify(old, password)) throw new PasswordPolicyViolationError(`Password should not be one of your ${reuse} previous passwords`);
  }
}

/** Hashes a new password and remembers the hash for the reuse check; returns the hash. */
async function newPasswordHash(store: Store, user: UserRow, password: string, now: Date): Promise<string> {
  const passwordHash = await hashPassword(password);
  await store.addPasswordHistory({ userId: user.id, passwordHash, setDate: now, keep: REMEMBERED_PASSWORDS });
  return passwordHash;
}

/** The argon2id PHC string of a password (OWASP's parameters: 19 MiB, 2 passes, 1 lane). */
export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 });
}

/**
 * CreateLoginProfile, for the named user or (without a name) the calling user. AWS takes no
 * password only in an AssumeRoot session (which resets the root's); Castellan issues none, so a
 * missing password is refused as AWS refused it while the member was required.
 */
export async function createLoginProfile(
  deps: ServiceDeps,
  input: { userName?: string | undefined; password?: string | undefined; passwordResetRequired?: boolean | undefined },
  ctx: RequestContext,
): Promise<LoginProfile> {
  const { store } = deps;
  const accountId = ctx.caller.accountId;
  const password = input.password;
  if (password === undefined) throw new ValidationError("1 validation error detected: Value null at 'password' failed to satisfy constraint: Member must not be null");
  const user = await userOrCallingUser(store, ctx, input.userName);
  if (await store.getLoginProfile(user.id)) throw profileExists(user);
  await checkNewPassword(store, accountId, user, password, await accountPasswordPolicy(store, accountId));
  return store.transaction(async (tx) => {
    try {
      const row = await tx.createLoginProfile({
        accountId,
        userId: user.id,
        passwordHash: await newPasswordHash(tx, user, password, ctx.now),
        passwordResetRequired: input.passwordResetRequired ?? false,
        createDate: ctx.now,
      });
      return view(user, row);
    } catch (err) {
      if (err instanceof StoreConflictError) throw profileExists(user);
      throw err;
    }
  });
}

/** GetLoginProfile: whether the user (or the calling user) has a console password, never the password. */
export async function getLoginProfile(deps: ServiceDeps, input: { userName?: string | undefined }, ctx: RequestContext): Promise<LoginProfile> {
  const user = await userOrCallingUser(deps.store, ctx, input.userName);
  const row = await deps.store.getLoginProfile(user.id);
  if (!row) throw noProfile(user);
  return view(user, row);
}

/** UpdateLoginProfile: a new password and/or PasswordResetRequired; omitted fields stay as they are. */
export async function updateLoginProfile(
  deps: ServiceDeps,
  input: { userName: string; password?: string | undefined; passwordResetRequired?: boolean | undefined },
  ctx: RequestContext,
): Promise<void> {
  const { store } = deps;
  const accountId = ctx.caller.accountId;
  const user = await requireUser(store, accountId, input.userName);
  if (!(await store.getLoginProfile(user.id))) throw noProfile(user);
  const patch: { passwordHash?: string; passwordChangedDate?: Date; passwordResetRequired?: boolean } = {};
  if (input.password !== undefined) {
    await checkNewPassword(store, accountId, user, input.password, await accountPasswordPolicy(store, accountId));
    patch.passwordHash = await newPasswordHash(store, user, input.password, ctx.now);
    patch.passwordChangedDate = ctx.now;
  }
  if (input.passwordResetRequired !== undefined) patch.passwordResetRequired = input.passwordResetRequired;
  if (!(await store.updateLoginProfile(user.id, patch))) throw noProfile(user);
}

/**
 * ChangePassword: an IAM user changes their own password, giving the current one. The new one must
 * satisfy the policy (reuse included); a password expired under `HardExpiry` cannot be changed by
 * its user, only reset by an administrator. A successful change clears `PasswordResetRequired`.
 */
export async function changePassword(deps: ServiceDeps, input: { oldPassword: string; newPassword: string }, ctx: RequestContext): Promise<void> {
  const { store } = deps;
  const caller = ctx.caller;
  if (caller.type !== 'IAMUser') throw new InvalidUserTypeError('Only an IAM user can change their own password with ChangePassword.');
  const accountId = caller.accountId;
  const user = await userOfCaller(store, caller);
  const profile = await store.getLoginProfile(user.id);
  if (!profile) throw noProfile(user);
  // Our wording and code: AWS does not document the answer to a wrong current password.
  if (!(await verify(profile.passwordHash, input.oldPassword))) throw new AccessDeniedError('The old password is incorrect.');
  const policy = await accountPasswordPolicy(store, accountId);
  if (stateOf(profile, policy, ctx.now).hardExpired) {
    throw new AccessDeniedError('The password has expired and the account password policy (HardExpiry) requires an administrator to reset it.');
  }
  await checkNewPassword(store, accountId, user, input.newPassword, policy);
  await store.transaction(async (tx) => {
    const passwordHash = await newPasswordHash(tx, user, input.newPassword, ctx.now);
    if (!(await tx.updateLoginProfile(user.id, { passwordHash, passwordChangedDate: ctx.now, passwordResetRequired: false }))) throw noProfile(user);
  });
}

/**
 * Where a user's console password stands (expiry under `MaxPasswordAge`, `HardExpiry`,
 * `PasswordResetRequired`), for sign-in and the credential report; `undefined` without a profile.
 */
export async function passwordState(store: Store, input: { accountId: string; userId: string }, now: Date): Promise<PasswordState | undefined> {
  const profile = await store.getLoginProfile(input.userId);
  if (!profile) return undefined;
  return stateOf(profile, await accountPasswordPolicy(store, input.accountId), now);
}

function stateOf(profile: LoginProfileRow, policy: PasswordPolicy | undefined, now: Date): PasswordState {
  const maxAge = policy?.maxPasswordAge;
  const expiresAt = maxAge ? new Date(profile.passwordChangedDate.getTime() + maxAge * DAY_MS) : undefined;
  const expired = expiresAt !== undefined && now.getTime() >= expiresAt.getTime();
  return { ...(expiresAt ? { expiresAt } : {}), expired, hardExpired: expired && policy?.hardExpiry === true, resetRequired: profile.passwordResetRequired };
}

/** DeleteLoginProfile: removes the user's (or the calling user's) console password (access keys are unaffected). */
export async function deleteLoginProfile(deps: ServiceDeps, input: { userName?: string | undefined }, ctx: RequestContext): Promise<void> {
  const user = await userOrCallingUser(deps.store, ctx, input.userName);
  if (!(await deps.store.deleteLoginProfile(user.id))) throw noProfile(user);
}

function view(user: UserRow, row: LoginProfileRow): LoginProfile {
  return { userName: user.name, createDate: row.createDate, passwordResetRequired: row.passwordResetRequired };
}

function noProfile(user: UserRow): NoSuchEntityError {
  return new NoSuchEntityError(`Login Profile for User ${user.name} cannot be found.`);
}

function profileExists(user: UserRow): EntityAlreadyExistsError {
  return new EntityAlreadyExistsError(`Login Profile for user ${user.name} already exists.`);
}
