import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { listPolicyTags as listPolicyTagsService } from '../../../../services/iam/managed-policies.js';
import { pageMarkers, toWireTags } from './identity-wire.js';

/** iam:ListPolicyTags on the policy ARN. */
export const listPolicyTags = iamOperation('ListPolicyTags', {
  target: iamTarget((i) => ({ policyArn: i.PolicyArn })),
  execute: async (input, ctx, deps) => {
    const page = await listPolicyTagsService(deps, { policyArn: input.PolicyArn, marker: input.Marker, maxItems: input.MaxItems }, ctx);
    return { Tags: toWireTags(page.items), ...pageMarkers(page) };
  },
});
