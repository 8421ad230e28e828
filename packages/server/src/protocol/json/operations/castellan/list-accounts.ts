/** castellan:ListAccounts: every hosted account, as `castellan account list` shows them, in pages. */
import { listHostedAccounts } from '../../../../services/accounts/hosted-accounts.js';
import { castellanOperation } from '../../../define-operation.js';
import { managementTarget } from './management-account.js';
import { pageById } from './page-by-id.js';

/** The ListAccounts operation. */
export const listAccounts = castellanOperation('ListAccounts', {
  ...managementTarget,
  async execute(input, _ctx, deps) {
    const { page, NextToken } = pageById(await listHostedAccounts(deps.store), (a) => a.accountId, input);
    return { Accounts: page.map((a) => ({ AccountId: a.accountId, CreateDate: a.createDate, Aliases: a.aliases, Management: a.bootstrap })), ...(NextToken ? { NextToken } : {}) };
  },
});
