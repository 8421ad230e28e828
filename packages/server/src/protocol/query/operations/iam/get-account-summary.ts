import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { getAccountSummary as getAccountSummaryService } from '../../../../services/iam/account.js';

/** iam:GetAccountSummary (`*`): entity counts and quotas of the account. */
export const getAccountSummary = iamOperation('GetAccountSummary', {
  target: iamTarget(() => ({})),
  execute: async (_input, ctx, deps) => ({ SummaryMap: await getAccountSummaryService(deps, {}, ctx) }),
});
