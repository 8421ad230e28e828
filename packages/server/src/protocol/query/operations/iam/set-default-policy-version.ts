import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';
import { setDefaultPolicyVersion as setDefaultPolicyVersionService } from '../../../../services/iam/policy-versions.js';

/** iam:SetDefaultPolicyVersion on the policy ARN. */
export const setDefaultPolicyVersion = iamOperation<'SetDefaultPolicyVersion', ServiceDeps>('SetDefaultPolicyVersion', {
  ...iamTarget('iam:SetDefaultPolicyVersion', (i) => ({ policyArn: i.PolicyArn })),
  readOnly: false,
  execute: async (input, ctx, deps) => {
    await setDefaultPolicyVersionService(deps, { policyArn: input.PolicyArn, versionId: input.VersionId }, ctx);
  },
});
