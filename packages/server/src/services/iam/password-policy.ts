/**
 * The account password policy: Get/Update/DeleteAccountPasswordPolicy. An update replaces the
 * whole policy, each field omitted taking AWS's default (UpdateAccountPasswordPolicy reference):
 * minimum length 6, no character class required, users may not change their own password,
 * passwords never expire, no reuse prevention, no hard expiry. Without a policy AWS's default
 * password rules apply (see `password-rules.ts`). The model bounds the ranges (length 6–128,
 * age 1–1095 days, reuse 1–24) before the service sees them.
 *
 * @module
 */
import type { RequestContext } from '../../domain/context.js';
import { NoSuchEntityError } from '../../domain/errors.js';
import type { PasswordPolicy } from '../../domain/iam-entities.js';
import type { Store } from '../../store/store.js';
import type { ServiceDeps } from '../service-deps.js';

/** What UpdateAccountPasswordPolicy takes; every field is optional. */
export interface PasswordPolicyInput {
  minimumPasswordLength?: number | undefined;
  requireSymbols?: boolean | undefined;
  requireNumbers?: boolean | undefined;
  requireUppercaseCharacters?: boolean | undefined;
  requireLowercaseCharacters?: boolean | undefined;
  allowUsersToChangePassword?: boolean | undefined;
  maxPasswordAge?: number | undefined;
  passwordReusePrevention?: number | undefined;
  hardExpiry?: boolean | undefined;
}

/** AWS's minimum length when a policy does not set one. */
const DEFAULT_MINIMUM_LENGTH = 6;

/** The policy an update stores: the input, AWS's defaults for what it omits. */
export function policyFromInput(input: PasswordPolicyInput): PasswordPolicy {
  return {
    minimumPasswordLength: input.minimumPasswordLength ?? DEFAULT_MINIMUM_LENGTH,
    requireSymbols: input.requireSymbols ?? false,
    requireNumbers: input.requireNumbers ?? false,
    requireUppercaseCharacters: input.requireUppercaseCharacters ?? false,
    requireLowercaseCharacters: input.requireLowercaseCharacters ?? false,
    allowUsersToChangePassword: input.allowUsersToChangePassword ?? false,
    // MaxPasswordAge 0 (AWS's default) means passwords never expire.
    expirePasswords: (input.maxPasswordAge ?? 0) > 0,
    ...(input.maxPasswordAge ? { maxPasswordAge: input.maxPasswordAge } : {}),
    ...(input.passwordReusePrevention ? { passwordReusePrevention: input.passwordReusePrevention } : {}),
    ...(input.hardExpiry !== undefined ? { hardExpiry: input.hardExpiry } : {}),
  };
}

/**
 * The policy from the account's stored JSON (the UpdateAccountPasswordPolicy input in AWS's
 * spelling, as it has been stored since the first schema), or `undefined` when there is none.
 */
export function parseStoredPolicy(json: string | undefined): PasswordPolicy | undefined {
  if (!json) return undefined;
  const p = JSON.parse(json) as Record<string, unknown>;
  const num = (k: string) => (typeof p[k] === 'number' ? (p[k] as number) : undefined);
  const bool = (k: string) => (typeof p[k] === 'boolean' ? (p[k] as boolean) : undefined);
  return policyFromInput({
    minimumPasswordLength: num('MinimumPasswordLength'),
    requireSymbols: bool('RequireSymbols'),
    requireNumbers: bool('RequireNumbers'),
    requireUppercaseCharacters: bool('RequireUppercaseCharacters'),
    requireLowercaseCharacters: bool('RequireLowercaseCharacters'),
    allowUsersToChangePassword: bool('AllowUsersToChangePassword'),
    maxPasswordAge: num('MaxPasswordAge'),
    passwordReusePrevention: num('PasswordReusePrevention'),
    hardExpiry: bool('HardExpiry'),
  });
}

/** The stored form of a policy (AWS's spelling, only what is set). */
function storedPolicy(p: PasswordPolicy): string {
  return JSON.stringify({
    MinimumPasswordLength: p.minimumPasswordLength,
    RequireSymbols: p.requireSymbols,
    RequireNumbers: p.requireNumbers,
    RequireUppercaseCharacters: p.requireUppercaseCharacters,
    RequireLowercaseCharacters: p.requireLowercaseCharacters,
    AllowUsersToChangePassword: p.allowUsersToChangePassword,
    ...(p.maxPasswordAge !== undefined ? { MaxPasswordAge: p.maxPasswordAge } : {}),
    ...(p.passwordReusePrevention !== undefined ? { PasswordReusePrevention: p.passwordReusePrevention } : {}),
    ...(p.hardExpiry !== undefined ? { HardExpiry: p.hardExpiry } : {}),
  });
}

/** The account's password policy, or `undefined` when it has none (AWS's default rules apply). */
export async function accountPasswordPolicy(store: Store, accountId: string): Promise<PasswordPolicy | undefined> {
  return parseStoredPolicy((await store.getAccount(accountId))?.passwordPolicyJson);
}

/** GetAccountPasswordPolicy: NoSuchEntity, in AWS's words, while the account has none. */
export async function getAccountPasswordPolicy(deps: ServiceDeps, _input: Record<string, never>, ctx: RequestContext): Promise<PasswordPolicy> {
  const policy = await accountPasswordPolicy(deps.store, ctx.caller.accountId);
  if (!policy) throw noPolicy(ctx.caller.accountId);
  return policy;
}

/** UpdateAccountPasswordPolicy: replaces the whole policy (omitted fields take AWS's defaults). */
export async function updateAccountPasswordPolicy(deps: ServiceDeps, input: PasswordPolicyInput, ctx: RequestContext): Promise<void> {
  await deps.store.updateAccount(ctx.caller.accountId, { passwordPolicyJson: storedPolicy(policyFromInput(input)) });
}

/** DeleteAccountPasswordPolicy: AWS's default rules apply again; NoSuchEntity when there was none. */
export async function deleteAccountPasswordPolicy(deps: ServiceDeps, _input: Record<string, never>, ctx: RequestContext): Promise<void> {
  const accountId = ctx.caller.accountId;
  await deps.store.transaction(async (tx) => {
    await tx.lockForUpdate({ kind: 'account', id: accountId });
    if (!(await tx.getAccount(accountId))?.passwordPolicyJson) throw noPolicy(accountId);
    await tx.updateAccount(accountId, { passwordPolicyJson: null });
  });
}

function noPolicy(accountId: string): NoSuchEntityError {
  return new NoSuchEntityError(`The Password Policy with domain name ${accountId} cannot be found.`);
}
