import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { getAccountSummary as getAccountSummaryService } from '../../../../services/iam/account.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';

/** iam:GetAccountSummary (`*`): entity counts and quotas of the account. */
export const getAccountSummary = iamOperation<'GetAccountSummary', ServiceDeps>('GetAccountSummary', {
  ...iamTarget('iam:GetAccountSummary', () => ({})),
  readOnly: true,
  execute: async (_input, ctx, deps) => ({ SummaryMap: await getAccountSummaryService(deps, {}, ctx) }),
});
