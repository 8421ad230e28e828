import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { getLoginProfile as getLoginProfileService } from '../../../../services/iam/login-profiles.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';

/** iam:GetLoginProfile on the user's ARN: whether a console password exists, never the password. */
export const getLoginProfile = iamOperation<'GetLoginProfile', ServiceDeps>('GetLoginProfile', {
  ...iamTarget('iam:GetLoginProfile', (i) => ({ userName: i.UserName })),
  readOnly: true,
  execute: async (input, ctx, deps) => {
    const profile = await getLoginProfileService(deps, { userName: input.UserName }, ctx);
    return { LoginProfile: { UserName: profile.userName, CreateDate: profile.createDate, PasswordResetRequired: profile.passwordResetRequired } };
  },
});
