import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { createLoginProfile as createLoginProfileService } from '../../../../services/iam/login-profiles.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';

/** iam:CreateLoginProfile on the user's ARN. The password is hashed (argon2id) and never echoed. */
export const createLoginProfile = iamOperation<'CreateLoginProfile', ServiceDeps>('CreateLoginProfile', {
  ...iamTarget('iam:CreateLoginProfile', (i) => ({ userName: i.UserName })),
  readOnly: false,
  execute: async (input, ctx, deps) => {
    const profile = await createLoginProfileService(
      deps,
      { userName: input.UserName, password: input.Password, passwordResetRequired: input.PasswordResetRequired },
      ctx,
    );
    return { LoginProfile: { UserName: profile.userName, CreateDate: profile.createDate, PasswordResetRequired: profile.passwordResetRequired } };
  },
});
