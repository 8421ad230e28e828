import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { deleteInlinePolicy } from '../../../../services/iam/inline-policies.js';

/** iam:DeleteUserPolicy on the user ARN. */
export const deleteUserPolicy = iamOperation('DeleteUserPolicy', {
  target: iamTarget((i) => ({ userName: i.UserName })),
  execute: async (input, ctx, deps) => {
    await deleteInlinePolicy(deps, { kind: 'user', entityName: input.UserName, policyName: input.PolicyName }, ctx);
  },
});
