/**
 * castellan:CreateAccount: a new hosted account with its own users, roles, policies and trail, and
 * an active root access key whose secret is answered here only (never recorded). What
 * `castellan account create` does against the store, as an API call of the management account.
 */
import { createHostedAccount } from '../../../../services/accounts/hosted-accounts.js';
import { castellanOperation } from '../../../define-operation.js';
import { managementTarget } from './management-account.js';

/** The CreateAccount operation. */
export const createAccount = castellanOperation('CreateAccount', {
  ...managementTarget,
  async execute(input, ctx, deps) {
    const created = await createHostedAccount(deps, { accountId: input.AccountId, now: ctx.now });
    return {
      AccountId: created.accountId,
      CreateDate: created.createDate,
      RootAccessKeyId: created.rootAccessKeyId,
      RootSecretAccessKey: created.rootSecretAccessKey,
    };
  },
});
