import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { updateUser as updateUserService } from '../../../../services/iam/users.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';
import { userArn } from '../../../../domain/arn.js';

/**
 * iam:UpdateUser: rename (NewUserName) and/or move (NewPath). Authorized on the user's current ARN
 * and, as AWS requires for a rename or move, on the ARN it will have.
 */
export const updateUser = iamOperation<'UpdateUser', ServiceDeps>('UpdateUser', {
  ...iamTarget('iam:UpdateUser', (i) => ({ userName: i.UserName })),
  alsoAuthorizedOn: async (i, ctx, deps) => {
    if (i.NewUserName === undefined && i.NewPath === undefined) return [];
    const current = await deps.store.getUserByName(ctx.caller.accountId, i.UserName);
    return [userArn(ctx.caller.accountId, i.NewPath ?? current?.path ?? '/', i.NewUserName ?? current?.name ?? i.UserName)];
  },
  readOnly: false,
  execute: async (input, ctx, deps) => {
    await updateUserService(deps, { userName: input.UserName, newUserName: input.NewUserName, newPath: input.NewPath }, ctx);
  },
});
