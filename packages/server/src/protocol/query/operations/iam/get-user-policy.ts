import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { getInlinePolicy } from '../../../../services/iam/inline-policies.js';

/** iam:GetUserPolicy on the user ARN. */
export const getUserPolicy = iamOperation('GetUserPolicy', {
  target: iamTarget((i) => ({ userName: i.UserName })),
  execute: async (input, ctx, deps) => {
    const p = await getInlinePolicy(deps, { kind: 'user', entityName: input.UserName, policyName: input.PolicyName }, ctx);
    return { UserName: p.entityName, PolicyName: p.policyName, PolicyDocument: p.policyDocument };
  },
});
