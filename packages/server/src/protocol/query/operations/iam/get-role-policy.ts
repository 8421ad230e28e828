import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { getInlinePolicy } from '../../../../services/iam/inline-policies.js';

/** iam:GetRolePolicy on the role ARN. */
export const getRolePolicy = iamOperation('GetRolePolicy', {
  target: iamTarget((i) => ({ roleName: i.RoleName })),
  execute: async (input, ctx, deps) => {
    const p = await getInlinePolicy(deps, { kind: 'role', entityName: input.RoleName, policyName: input.PolicyName }, ctx);
    return { RoleName: p.entityName, PolicyName: p.policyName, PolicyDocument: p.policyDocument };
  },
});
