import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { getLoginProfile as getLoginProfileService } from '../../../../services/iam/login-profiles.js';
import { userOrCaller } from './identity-wire.js';

/** iam:GetLoginProfile on the user's ARN (the calling user's without UserName): whether a console password exists, never the password. */
export const getLoginProfile = iamOperation('GetLoginProfile', {
  target: iamTarget((i, ctx) => userOrCaller(i.UserName, ctx)),
  execute: async (input, ctx, deps) => {
    const profile = await getLoginProfileService(deps, { userName: input.UserName }, ctx);
    return { LoginProfile: { UserName: profile.userName, CreateDate: profile.createDate, PasswordResetRequired: profile.passwordResetRequired } };
  },
});
