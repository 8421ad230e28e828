import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';
import { deletePolicy as deletePolicyService } from '../../../../services/iam/managed-policies.js';

/** iam:DeletePolicy on the policy ARN. */
export const deletePolicy = iamOperation<'DeletePolicy', ServiceDeps>('DeletePolicy', {
  ...iamTarget('iam:DeletePolicy', (i) => ({ policyArn: i.PolicyArn })),
  readOnly: false,
  execute: async (input, ctx, deps) => {
    await deletePolicyService(deps, { policyArn: input.PolicyArn }, ctx);
  },
});
