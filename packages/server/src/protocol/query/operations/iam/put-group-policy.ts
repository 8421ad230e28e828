import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { putInlinePolicy } from '../../../../services/iam/inline-policies.js';

/** iam:PutGroupPolicy on the group ARN. */
export const putGroupPolicy = iamOperation('PutGroupPolicy', {
  target: iamTarget((i) => ({ groupName: i.GroupName })),
  execute: async (input, ctx, deps) => {
    await putInlinePolicy(deps, { kind: 'group', entityName: input.GroupName, policyName: input.PolicyName, policyDocument: input.PolicyDocument }, ctx);
  },
});
