/** castellan:ListAccounts: every hosted account, as `castellan account list` shows them. */
import { listHostedAccounts } from '../../../../services/accounts/hosted-accounts.js';
import { castellanOperation } from '../../../define-operation.js';
import { managementTarget } from './management-account.js';

/** The ListAccounts operation. */
export const listAccounts = castellanOperation('ListAccounts', {
  ...managementTarget,
  async execute(_input, _ctx, deps) {
    const accounts = await listHostedAccounts(deps.store);
    return { Accounts: accounts.map((a) => ({ AccountId: a.accountId, CreateDate: a.createDate, Aliases: a.aliases, Management: a.bootstrap })) };
  },
});
