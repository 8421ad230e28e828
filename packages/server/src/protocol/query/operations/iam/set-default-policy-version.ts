import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { setDefaultPolicyVersion as setDefaultPolicyVersionService } from '../../../../services/iam/policy-versions.js';

/** iam:SetDefaultPolicyVersion on the policy ARN. */
export const setDefaultPolicyVersion = iamOperation('SetDefaultPolicyVersion', {
  target: iamTarget((i) => ({ policyArn: i.PolicyArn })),
  execute: async (input, ctx, deps) => {
    await setDefaultPolicyVersionService(deps, { policyArn: input.PolicyArn, versionId: input.VersionId }, ctx);
  },
});
