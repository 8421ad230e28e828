import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { getPolicyVersion as getPolicyVersionService } from '../../../../services/iam/policy-versions.js';
import { toWirePolicyVersion } from './policy-wire.js';

/** iam:GetPolicyVersion on the policy ARN. */
export const getPolicyVersion = iamOperation('GetPolicyVersion', {
  target: iamTarget((i) => ({ policyArn: i.PolicyArn })),
  execute: async (input, ctx, deps) => {
    return { PolicyVersion: toWirePolicyVersion(await getPolicyVersionService(deps, { policyArn: input.PolicyArn, versionId: input.VersionId }, ctx)) };
  },
});
