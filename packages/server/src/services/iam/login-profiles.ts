/**
 * Console passwords (login profiles): Create/Get/Update/DeleteLoginProfile. Passwords are checked
 * against the account password policy (AWS's default rules when the account has none), hashed
 * with argon2id, and never returned, logged or stored in the clear.
 *
 * @module
 */
import { hash, type Algorithm } from '@node-rs/argon2';
import type { RequestContext } from '../../domain/context.js';
import { EntityAlreadyExistsError, NoSuchEntityError, PasswordPolicyViolationError } from '../../domain/errors.js';
import { StoreConflictError } from '../../store/store-errors.js';
import type { LoginProfile } from '../../domain/iam-entities.js';
import type { LoginProfileRow, Store, UserRow } from '../../store/store.js';
import type { ServiceDeps } from '../service-deps.js';
import { requireUser } from './identity-common.js';

// `Algorithm` is a const enum in the package's typings; 2 is `Algorithm.Argon2id`.
const ARGON2ID = 2 as Algorithm;

/** The password rules that apply to an account (the `UpdateAccountPasswordPolicy` fields that constrain a password). */
export interface PasswordRules {
  minimumPasswordLength: number;
  requireSymbols: boolean;
  requireNumbers: boolean;
  requireUppercaseCharacters: boolean;
  requireLowercaseCharacters: boolean;
  /** AWS's default policy: at least three of the four character classes. */
  requireThreeClasses: boolean;
}

/**
 * AWS's default password policy, in force while the account has none: at least 8 characters,
 * a mix of at least three of uppercase, lowercase, digits and symbols (IAM User Guide, "Default
 * password policy"). The check against the account name or email does not apply here.
 */
export const DEFAULT_PASSWORD_RULES: PasswordRules = Object.freeze({
  minimumPasswordLength: 8,
  requireSymbols: false,
  requireNumbers: false,
  requireUppercaseCharacters: false,
  requireLowercaseCharacters: false,
  requireThreeClasses: true,
});

// The symbols AWS's password policy counts as non-alphanumeric.
const SYMBOLS = new Set("!@#$%^&*()_+-=[]{}|'");

/** The rules from an account's stored policy JSON (the UpdateAccountPasswordPolicy input), or the default ones. */
export function passwordRules(passwordPolicyJson: string | undefined): PasswordRules {
  if (!passwordPolicyJson) return DEFAULT_PASSWORD_RULES;
  const p = JSON.parse(passwordPolicyJson) as Record<string, unknown>;
  return {
    minimumPasswordLength: typeof p['MinimumPasswordLength'] === 'number' ? p['MinimumPasswordLength'] : 8,
    requireSymbols: p['RequireSymbols'] === true,
    requireNumbers: p['RequireNumbers'] === true,
    requireUppercaseCharacters: p['RequireUppercaseCharacters'] === true,
    requireLowercaseCharacters: p['RequireLowercaseCharacters'] === true,
    requireThreeClasses: false,
  };
}

/** The rules `password` breaks, in AWS's words; empty when it conforms. */
export function passwordViolations(password: string, rules: PasswordRules): string[] {
  const chars = [...password];
  const has = {
    upper: chars.some((c) => c >= 'A' && c <= 'Z'),
    lower: chars.some((c) => c >= 'a' && c <= 'z'),
    digit: chars.some((c) => c >= '0' && c <= '9'),
    symbol: chars.some((c) => SYMBOLS.has(c)),
  };
  const out: string[] = [];
  if (chars.length < rules.minimumPasswordLength) out.push(`Password should have a minimum length of ${rules.minimumPasswordLength}`);
  if (rules.requireUppercaseCharacters && !has.upper) out.push('Password should have at least one uppercase letter');
  if (rules.requireLowercaseCharacters && !has.lower) out.push('Password should have at least one lowercase letter');
  if (rules.requireNumbers && !has.digit) out.push('Password should have at least one number');
  if (rules.requireSymbols && !has.symbol) out.push('Password should have at least one symbol');
  if (rules.requireThreeClasses && Object.values(has).filter(Boolean).length < 3) {
    out.push('Password should contain at least three of: uppercase letters, lowercase letters, numbers, symbols');
  }
  return out;
}

/** Throws PasswordPolicyViolation (naming the rules, never the password) when `password` breaks the account's rules. */
async function checkPassword(store: Store, accountId: string, password: string): Promise<void> {
  const account = await store.getAccount(accountId);
  const violations = passwordViolations(password, passwordRules(account?.passwordPolicyJson));
  if (violations.length > 0) throw new PasswordPolicyViolationError(`Password does not conform to the account password policy. ${violations.join('; ')}.`);
}

/** The argon2id PHC string of a password (OWASP's parameters: 19 MiB, 2 passes, 1 lane). */
export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 });
}

/** CreateLoginProfile. */
export async function createLoginProfile(
  deps: ServiceDeps,
  input: { userName: string; password: string; passwordResetRequired?: boolean | undefined },
  ctx: RequestContext,
): Promise<LoginProfile> {
  const { store } = deps;
  const accountId = ctx.caller.accountId;
  const user = await requireUser(store, accountId, input.userName);
  if (await store.getLoginProfile(user.id)) throw profileExists(user);
  await checkPassword(store, accountId, input.password);
  const passwordHash = await hashPassword(input.password);
  try {
    const row = await store.createLoginProfile({
      accountId,
      userId: user.id,
      passwordHash,
      passwordResetRequired: input.passwordResetRequired ?? false,
      createDate: ctx.now,
    });
    return view(user, row);
  } catch (err) {
    if (err instanceof StoreConflictError) throw profileExists(user);
    throw err;
  }
}

/** GetLoginProfile: whether the user has a console password, never the password. */
export async function getLoginProfile(deps: ServiceDeps, input: { userName: string }, ctx: RequestContext): Promise<LoginProfile> {
  const user = await requireUser(deps.store, ctx.caller.accountId, input.userName);
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
  const patch: { passwordHash?: string; passwordResetRequired?: boolean } = {};
  if (input.password !== undefined) {
    await checkPassword(store, accountId, input.password);
    patch.passwordHash = await hashPassword(input.password);
  }
  if (input.passwordResetRequired !== undefined) patch.passwordResetRequired = input.passwordResetRequired;
  if (!(await store.updateLoginProfile(user.id, patch))) throw noProfile(user);
}

/** DeleteLoginProfile: removes the console password (access keys are unaffected). */
export async function deleteLoginProfile(deps: ServiceDeps, input: { userName: string }, ctx: RequestContext): Promise<void> {
  const user = await requireUser(deps.store, ctx.caller.accountId, input.userName);
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
