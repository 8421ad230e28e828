import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { updateLoginProfile as updateLoginProfileService } from '../../../../services/iam/login-profiles.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';

/** iam:UpdateLoginProfile on the user's ARN: new password and/or PasswordResetRequired. */
export const updateLoginProfile = iamOperation<'UpdateLoginProfile', ServiceDeps>('UpdateLoginProfile', {
  ...iamTarget('iam:UpdateLoginProfile', (i) => ({ userName: i.UserName })),
  readOnly: false,
  execute: async (input, ctx, deps) => {
    await updateLoginProfileService(deps, { userName: input.UserName, password: input.Password, passwordResetRequired: input.PasswordResetRequired }, ctx);
  },
});
