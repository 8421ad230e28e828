import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { createLoginProfile as createLoginProfileService } from '../../../../services/iam/login-profiles.js';

/** iam:CreateLoginProfile on the user's ARN. The password is hashed (argon2id) and never echoed. */
export const createLoginProfile = iamOperation('CreateLoginProfile', {
  target: iamTarget((i) => ({ userName: i.UserName })),
  execute: async (input, ctx, deps) => {
    const profile = await createLoginProfileService(
      deps,
      { userName: input.UserName, password: input.Password, passwordResetRequired: input.PasswordResetRequired },
      ctx,
    );
    return { LoginProfile: { UserName: profile.userName, CreateDate: profile.createDate, PasswordResetRequired: profile.passwordResetRequired } };
  },
});
