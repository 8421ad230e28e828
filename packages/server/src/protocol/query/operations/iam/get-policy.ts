import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { getPolicy as getPolicyService } from '../../../../services/iam/managed-policies.js';
import { toWirePolicy } from './policy-wire.js';

/** iam:GetPolicy on the policy ARN (AWS-managed ones included). */
export const getPolicy = iamOperation('GetPolicy', {
  target: iamTarget((i) => ({ policyArn: i.PolicyArn })),
  execute: async (input, ctx, deps) => {
    return { Policy: toWirePolicy(await getPolicyService(deps, { policyArn: input.PolicyArn }, ctx)) };
  },
});
