import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { deleteAccountAlias as deleteAccountAliasService } from '../../../../services/iam/account.js';

/** iam:DeleteAccountAlias (`*`). */
export const deleteAccountAlias = iamOperation('DeleteAccountAlias', {
  target: iamTarget(() => ({})),
  execute: async (input, ctx, deps) => {
    await deleteAccountAliasService(deps, { accountAlias: input.AccountAlias }, ctx);
  },
});
