import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { deleteAccountAlias as deleteAccountAliasService } from '../../../../services/iam/account.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';

/** iam:DeleteAccountAlias (`*`). */
export const deleteAccountAlias = iamOperation<'DeleteAccountAlias', ServiceDeps>('DeleteAccountAlias', {
  ...iamTarget('iam:DeleteAccountAlias', () => ({})),
  readOnly: false,
  execute: async (input, ctx, deps) => {
    await deleteAccountAliasService(deps, { accountAlias: input.AccountAlias }, ctx);
  },
});
