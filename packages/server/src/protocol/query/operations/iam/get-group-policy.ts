import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { getInlinePolicy } from '../../../../services/iam/inline-policies.js';

/** iam:GetGroupPolicy on the group ARN. */
export const getGroupPolicy = iamOperation('GetGroupPolicy', {
  target: iamTarget((i) => ({ groupName: i.GroupName })),
  execute: async (input, ctx, deps) => {
    const p = await getInlinePolicy(deps, { kind: 'group', entityName: input.GroupName, policyName: input.PolicyName }, ctx);
    return { GroupName: p.entityName, PolicyName: p.policyName, PolicyDocument: p.policyDocument };
  },
});
