import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { putInlinePolicy } from '../../../../services/iam/inline-policies.js';

/** iam:PutUserPolicy on the user ARN. */
export const putUserPolicy = iamOperation('PutUserPolicy', {
  target: iamTarget((i) => ({ userName: i.UserName })),
  execute: async (input, ctx, deps) => {
    await putInlinePolicy(deps, { kind: 'user', entityName: input.UserName, policyName: input.PolicyName, policyDocument: input.PolicyDocument }, ctx);
  },
});
