import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';
import { deletePolicyVersion as deletePolicyVersionService } from '../../../../services/iam/policy-versions.js';

/** iam:DeletePolicyVersion on the policy ARN. */
export const deletePolicyVersion = iamOperation<'DeletePolicyVersion', ServiceDeps>('DeletePolicyVersion', {
  ...iamTarget('iam:DeletePolicyVersion', (i) => ({ policyArn: i.PolicyArn })),
  readOnly: false,
  execute: async (input, ctx, deps) => {
    await deletePolicyVersionService(deps, { policyArn: input.PolicyArn, versionId: input.VersionId }, ctx);
  },
});
