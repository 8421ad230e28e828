import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { tagPolicy as tagPolicyService } from '../../../../services/iam/managed-policies.js';
import { fromWireTags } from './identity-wire.js';

/** iam:TagPolicy on the policy ARN; the new tags are condition keys. */
export const tagPolicy = iamOperation('TagPolicy', {
  target: iamTarget((i) => ({ policyArn: i.PolicyArn, requestTags: i.Tags })),
  execute: async (input, ctx, deps) => {
    await tagPolicyService(deps, { policyArn: input.PolicyArn, tags: fromWireTags(input.Tags) }, ctx);
  },
});
