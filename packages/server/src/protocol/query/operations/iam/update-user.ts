import { iamOperation } from '../../../define-operation.js';
import { renamedEntityArns } from '../../../../services/authorization/entity-targets.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { updateUser as updateUserService } from '../../../../services/iam/users.js';

/**
 * iam:UpdateUser: rename (NewUserName) and/or move (NewPath). Authorized on the user's current ARN
 * and, as AWS requires for a rename or move, on the ARN it will have.
 */
export const updateUser = iamOperation('UpdateUser', {
  target: iamTarget((i) => ({ userName: i.UserName })),
  alsoAuthorizedOn: (i, ctx, deps) => renamedEntityArns(deps, { kind: 'user', name: i.UserName, newName: i.NewUserName, newPath: i.NewPath }, ctx),
  execute: async (input, ctx, deps) => {
    await updateUserService(deps, { userName: input.UserName, newUserName: input.NewUserName, newPath: input.NewPath }, ctx);
  },
});
