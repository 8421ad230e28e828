import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { createLoginProfile as createLoginProfileService } from '../../../../services/iam/login-profiles.js';
import { userOrCaller } from './identity-wire.js';

/** iam:CreateLoginProfile on the user's ARN (the calling user's without UserName). The password is hashed (argon2id) and never echoed. */
export const createLoginProfile = iamOperation('CreateLoginProfile', {
  target: iamTarget((i, ctx) => userOrCaller(i.UserName, ctx)),
  execute: async (input, ctx, deps) => {
    const profile = await createLoginProfileService(
      deps,
      { userName: input.UserName, password: input.Password, passwordResetRequired: input.PasswordResetRequired },
      ctx,
    );
    return { LoginProfile: { UserName: profile.userName, CreateDate: profile.createDate, PasswordResetRequired: profile.passwordResetRequired } };
  },
});
