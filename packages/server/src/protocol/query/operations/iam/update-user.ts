import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { updateUser as updateUserService } from '../../../../services/iam/users.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';

/** iam:UpdateUser on the user's current ARN: rename (NewUserName) and/or move (NewPath). */
export const updateUser = iamOperation<'UpdateUser', ServiceDeps>('UpdateUser', {
  ...iamTarget('iam:UpdateUser', (i) => ({ userName: i.UserName })),
  readOnly: false,
  execute: async (input, ctx, deps) => {
    await updateUserService(deps, { userName: input.UserName, newUserName: input.NewUserName, newPath: input.NewPath }, ctx);
  },
});
