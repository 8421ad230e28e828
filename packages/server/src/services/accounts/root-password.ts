/**
 * The root user's console password, set by the operator (`castellan root set-password`): checked
 * against the account's password policy, or AWS's default rules when it has none, and stored as
 * argon2id. The password itself is never logged or echoed.
 *
 * @module
 */
import { BOOTSTRAP_ACCOUNT_META } from '../bootstrap.js';
import type { Store } from '../../store/store.js';
import { hashPassword, passwordRules, passwordViolations } from '../iam/login-profiles.js';
import { AccountAdminError } from './hosted-accounts.js';

/**
 * Sets the root password of `accountId` (default: the account bootstrap made). Throws
 * `AccountAdminError` for an unknown account or a password the policy refuses. Returns the account id.
 */
export async function setRootPassword(store: Store, input: { accountId?: string | undefined; password: string }): Promise<string> {
  const accountId = input.accountId ?? (await store.getMeta(BOOTSTRAP_ACCOUNT_META));
  if (!accountId) throw new AccountAdminError('no account: give --account-id');
  const account = await store.getAccount(accountId);
  if (!account) throw new AccountAdminError(`no account ${accountId}`);
  const violations = passwordViolations(input.password, passwordRules(account.passwordPolicyJson), { names: ['root'] });
  if (violations.length > 0) throw new AccountAdminError(`the password does not meet the account's password policy: ${violations.join('; ')}`);
  if (!(await store.setRootPasswordHash(accountId, await hashPassword(input.password)))) throw new AccountAdminError(`no account ${accountId}`);
  return accountId;
}
