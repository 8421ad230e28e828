import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { deleteUser as deleteUserService } from '../../../../services/iam/users.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';

/** iam:DeleteUser on the user's ARN; DeleteConflict while anything is still attached to the user. */
export const deleteUser = iamOperation<'DeleteUser', ServiceDeps>('DeleteUser', {
  ...iamTarget('iam:DeleteUser', (i) => ({ userName: i.UserName })),
  readOnly: false,
  execute: async (input, ctx, deps) => {
    await deleteUserService(deps, { userName: input.UserName }, ctx);
  },
});
