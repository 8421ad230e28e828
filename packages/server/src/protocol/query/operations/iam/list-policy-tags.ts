import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';
import { listPolicyTags as listPolicyTagsService } from '../../../../services/iam/managed-policies.js';
import { pageMarkers, toWireTags } from './identity-wire.js';

/** iam:ListPolicyTags on the policy ARN. */
export const listPolicyTags = iamOperation<'ListPolicyTags', ServiceDeps>('ListPolicyTags', {
  ...iamTarget('iam:ListPolicyTags', (i) => ({ policyArn: i.PolicyArn })),
  readOnly: true,
  execute: async (input, ctx, deps) => {
    const page = await listPolicyTagsService(deps, { policyArn: input.PolicyArn, marker: input.Marker, maxItems: input.MaxItems }, ctx);
    return { Tags: toWireTags(page.items), ...pageMarkers(page) };
  },
});
