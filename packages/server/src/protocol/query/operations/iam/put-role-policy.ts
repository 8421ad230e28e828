import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { putInlinePolicy } from '../../../../services/iam/inline-policies.js';

/** iam:PutRolePolicy on the role ARN. */
export const putRolePolicy = iamOperation('PutRolePolicy', {
  target: iamTarget((i) => ({ roleName: i.RoleName })),
  execute: async (input, ctx, deps) => {
    await putInlinePolicy(deps, { kind: 'role', entityName: input.RoleName, policyName: input.PolicyName, policyDocument: input.PolicyDocument }, ctx);
  },
});
