import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { createAccountAlias as createAccountAliasService } from '../../../../services/iam/account.js';

/** iam:CreateAccountAlias (`*`). The model checks AWS's alias pattern; uniqueness is global. */
export const createAccountAlias = iamOperation('CreateAccountAlias', {
  target: iamTarget(() => ({})),
  execute: async (input, ctx, deps) => {
    await createAccountAliasService(deps, { accountAlias: input.AccountAlias }, ctx);
  },
});
