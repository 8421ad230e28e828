import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { getPolicy as getPolicyService } from '../../../../services/iam/managed-policies.js';
import { toWireTags } from './identity-wire.js';
import { toWirePolicy } from './policy-wire.js';

/**
 * iam:GetPolicy on the policy ARN (AWS-managed ones included). AWS always answers `Tags`, an empty
 * list for a policy without tags (unlike CreatePolicy and ListPolicies, which leave it out).
 */
export const getPolicy = iamOperation('GetPolicy', {
  target: iamTarget((i) => ({ policyArn: i.PolicyArn })),
  execute: async (input, ctx, deps) => {
    const policy = await getPolicyService(deps, { policyArn: input.PolicyArn }, ctx);
    return { Policy: { ...toWirePolicy(policy), Tags: toWireTags(policy.tags ?? []) } };
  },
});
