import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';
import { tagPolicy as tagPolicyService } from '../../../../services/iam/managed-policies.js';
import { fromWireTags } from './identity-wire.js';

/** iam:TagPolicy on the policy ARN; the new tags are condition keys. */
export const tagPolicy = iamOperation<'TagPolicy', ServiceDeps>('TagPolicy', {
  ...iamTarget('iam:TagPolicy', (i) => ({ policyArn: i.PolicyArn, requestTags: i.Tags })),
  readOnly: false,
  execute: async (input, ctx, deps) => {
    await tagPolicyService(deps, { policyArn: input.PolicyArn, tags: fromWireTags(input.Tags) }, ctx);
  },
});
