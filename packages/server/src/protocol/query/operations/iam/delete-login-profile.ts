import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { deleteLoginProfile as deleteLoginProfileService } from '../../../../services/iam/login-profiles.js';
import { userOrCaller } from './identity-wire.js';

/** iam:DeleteLoginProfile on the user's ARN (the calling user's without UserName). */
export const deleteLoginProfile = iamOperation('DeleteLoginProfile', {
  target: iamTarget((i, ctx) => userOrCaller(i.UserName, ctx)),
  execute: async (input, ctx, deps) => {
    await deleteLoginProfileService(deps, { userName: input.UserName }, ctx);
  },
});
