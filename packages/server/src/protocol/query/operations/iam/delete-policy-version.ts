import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { deletePolicyVersion as deletePolicyVersionService } from '../../../../services/iam/policy-versions.js';

/** iam:DeletePolicyVersion on the policy ARN. */
export const deletePolicyVersion = iamOperation('DeletePolicyVersion', {
  target: iamTarget((i) => ({ policyArn: i.PolicyArn })),
  execute: async (input, ctx, deps) => {
    await deletePolicyVersionService(deps, { policyArn: input.PolicyArn, versionId: input.VersionId }, ctx);
  },
});
