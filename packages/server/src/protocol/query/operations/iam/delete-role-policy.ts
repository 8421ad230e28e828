import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { deleteInlinePolicy } from '../../../../services/iam/inline-policies.js';

/** iam:DeleteRolePolicy on the role ARN. */
export const deleteRolePolicy = iamOperation('DeleteRolePolicy', {
  target: iamTarget((i) => ({ roleName: i.RoleName })),
  execute: async (input, ctx, deps) => {
    await deleteInlinePolicy(deps, { kind: 'role', entityName: input.RoleName, policyName: input.PolicyName }, ctx);
  },
});
