import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { getAccountPasswordPolicy as getAccountPasswordPolicyService } from '../../../../services/iam/password-policy.js';
import { toWirePasswordPolicy } from './password-policy-wire.js';

/** iam:GetAccountPasswordPolicy (no resource-level permissions): NoSuchEntity while the account has none. */
export const getAccountPasswordPolicy = iamOperation('GetAccountPasswordPolicy', {
  target: iamTarget(() => ({})),
  execute: async (input, ctx, deps) => ({ PasswordPolicy: toWirePasswordPolicy(await getAccountPasswordPolicyService(deps, input, ctx)) }),
});
