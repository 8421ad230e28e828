import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { updateUser as updateUserService } from '../../../../services/iam/users.js';
import { userArn } from '../../../../domain/arn.js';

/**
 * iam:UpdateUser: rename (NewUserName) and/or move (NewPath). Authorized on the user's current ARN
 * and, as AWS requires for a rename or move, on the ARN it will have.
 */
export const updateUser = iamOperation('UpdateUser', {
  target: iamTarget((i) => ({ userName: i.UserName })),
  alsoAuthorizedOn: async (i, ctx, deps) => {
    if (i.NewUserName === undefined && i.NewPath === undefined) return [];
    const current = await deps.store.getUserByName(ctx.caller.accountId, i.UserName);
    return [userArn(ctx.caller.accountId, i.NewPath ?? current?.path ?? '/', i.NewUserName ?? current?.name ?? i.UserName)];
  },
  execute: async (input, ctx, deps) => {
    await updateUserService(deps, { userName: input.UserName, newUserName: input.NewUserName, newPath: input.NewPath }, ctx);
  },
});
