import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { deletePolicy as deletePolicyService } from '../../../../services/iam/managed-policies.js';

/** iam:DeletePolicy on the policy ARN. */
export const deletePolicy = iamOperation('DeletePolicy', {
  target: iamTarget((i) => ({ policyArn: i.PolicyArn })),
  execute: async (input, ctx, deps) => {
    await deletePolicyService(deps, { policyArn: input.PolicyArn }, ctx);
  },
});
