import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { updateAccountPasswordPolicy as updateAccountPasswordPolicyService } from '../../../../services/iam/password-policy.js';

/** iam:UpdateAccountPasswordPolicy (no resource-level permissions): replaces the whole policy. */
export const updateAccountPasswordPolicy = iamOperation('UpdateAccountPasswordPolicy', {
  target: iamTarget(() => ({})),
  execute: async (input, ctx, deps) => {
    await updateAccountPasswordPolicyService(deps, {
      minimumPasswordLength: input.MinimumPasswordLength,
      requireSymbols: input.RequireSymbols,
      requireNumbers: input.RequireNumbers,
      requireUppercaseCharacters: input.RequireUppercaseCharacters,
      requireLowercaseCharacters: input.RequireLowercaseCharacters,
      allowUsersToChangePassword: input.AllowUsersToChangePassword,
      maxPasswordAge: input.MaxPasswordAge,
      passwordReusePrevention: input.PasswordReusePrevention,
      hardExpiry: input.HardExpiry,
    }, ctx);
  },
});
