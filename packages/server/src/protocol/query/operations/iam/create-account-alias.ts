import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { createAccountAlias as createAccountAliasService } from '../../../../services/iam/account.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';

/** iam:CreateAccountAlias (`*`). The model checks AWS's alias pattern; uniqueness is global. */
export const createAccountAlias = iamOperation<'CreateAccountAlias', ServiceDeps>('CreateAccountAlias', {
  ...iamTarget('iam:CreateAccountAlias', () => ({})),
  readOnly: false,
  execute: async (input, ctx, deps) => {
    await createAccountAliasService(deps, { accountAlias: input.AccountAlias }, ctx);
  },
});
