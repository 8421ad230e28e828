import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { updateLoginProfile as updateLoginProfileService } from '../../../../services/iam/login-profiles.js';

/** iam:UpdateLoginProfile on the user's ARN: new password and/or PasswordResetRequired. */
export const updateLoginProfile = iamOperation('UpdateLoginProfile', {
  target: iamTarget((i) => ({ userName: i.UserName })),
  execute: async (input, ctx, deps) => {
    await updateLoginProfileService(deps, { userName: input.UserName, password: input.Password, passwordResetRequired: input.PasswordResetRequired }, ctx);
  },
});
