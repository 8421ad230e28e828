import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { createPolicyVersion as createPolicyVersionService } from '../../../../services/iam/policy-versions.js';
import { toWirePolicyVersion } from './policy-wire.js';

/** iam:CreatePolicyVersion on the policy ARN. */
export const createPolicyVersion = iamOperation('CreatePolicyVersion', {
  target: iamTarget((i) => ({ policyArn: i.PolicyArn })),
  execute: async (input, ctx, deps) => {
    const v = await createPolicyVersionService(deps, { policyArn: input.PolicyArn, policyDocument: input.PolicyDocument, setAsDefault: input.SetAsDefault }, ctx);
    return { PolicyVersion: toWirePolicyVersion(v) };
  },
});
