import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { deleteLoginProfile as deleteLoginProfileService } from '../../../../services/iam/login-profiles.js';

/** iam:DeleteLoginProfile on the user's ARN. */
export const deleteLoginProfile = iamOperation('DeleteLoginProfile', {
  target: iamTarget((i) => ({ userName: i.UserName })),
  execute: async (input, ctx, deps) => {
    await deleteLoginProfileService(deps, { userName: input.UserName }, ctx);
  },
});
