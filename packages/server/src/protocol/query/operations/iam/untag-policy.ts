import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';
import { untagPolicy as untagPolicyService } from '../../../../services/iam/managed-policies.js';

/** iam:UntagPolicy on the policy ARN; aws:TagKeys is the keys removed. */
export const untagPolicy = iamOperation<'UntagPolicy', ServiceDeps>('UntagPolicy', {
  ...iamTarget('iam:UntagPolicy', (i) => ({ policyArn: i.PolicyArn, tagKeys: i.TagKeys })),
  readOnly: false,
  execute: async (input, ctx, deps) => {
    await untagPolicyService(deps, { policyArn: input.PolicyArn, tagKeys: input.TagKeys }, ctx);
  },
});
