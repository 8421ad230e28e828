import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { untagPolicy as untagPolicyService } from '../../../../services/iam/managed-policies.js';

/** iam:UntagPolicy on the policy ARN; aws:TagKeys is the keys removed. */
export const untagPolicy = iamOperation('UntagPolicy', {
  target: iamTarget((i) => ({ policyArn: i.PolicyArn, tagKeys: i.TagKeys })),
  execute: async (input, ctx, deps) => {
    await untagPolicyService(deps, { policyArn: input.PolicyArn, tagKeys: input.TagKeys }, ctx);
  },
});
