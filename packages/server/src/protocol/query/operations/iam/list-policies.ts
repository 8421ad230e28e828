import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { listPolicies as listPoliciesService } from '../../../../services/iam/managed-policies.js';
import { pageMarkers } from './identity-wire.js';
import { toWireListedPolicy } from './policy-wire.js';

/**
 * iam:ListPolicies (no resource-level permissions): Scope, OnlyAttached, PathPrefix, PolicyUsageFilter,
 * paging. Like AWS it leaves out Description (and tags), which only GetPolicy returns.
 */
export const listPolicies = iamOperation('ListPolicies', {
  // AWS names no ARN here: its refusal reads "on resource: policy path /" (the PathPrefix), so
  // only a policy whose Resource is `*` (or a wildcard matching that text) allows the call.
  target: iamTarget((input) => ({ arn: `policy path ${input.PathPrefix ?? '/'}` })),
  execute: async (input, ctx, deps) => {
    const page = await listPoliciesService(deps, { scope: input.Scope, onlyAttached: input.OnlyAttached, pathPrefix: input.PathPrefix, policyUsageFilter: input.PolicyUsageFilter, marker: input.Marker, maxItems: input.MaxItems }, ctx);
    return { Policies: page.items.map(toWireListedPolicy), ...pageMarkers(page) };
  },
});
