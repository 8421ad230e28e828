import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { deleteAccountPasswordPolicy as deleteAccountPasswordPolicyService } from '../../../../services/iam/password-policy.js';

/** iam:DeleteAccountPasswordPolicy (no resource-level permissions): AWS's default rules apply again. */
export const deleteAccountPasswordPolicy = iamOperation('DeleteAccountPasswordPolicy', {
  target: iamTarget(() => ({})),
  execute: async (input, ctx, deps) => {
    await deleteAccountPasswordPolicyService(deps, input, ctx);
  },
});
