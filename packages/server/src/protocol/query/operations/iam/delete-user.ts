import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { deleteUser as deleteUserService } from '../../../../services/iam/users.js';

/** iam:DeleteUser on the user's ARN; DeleteConflict while anything is still attached to the user. */
export const deleteUser = iamOperation('DeleteUser', {
  target: iamTarget((i) => ({ userName: i.UserName })),
  execute: async (input, ctx, deps) => {
    await deleteUserService(deps, { userName: input.UserName }, ctx);
  },
});
