import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { listInlinePolicies } from '../../../../services/iam/inline-policies.js';
import { pageMarkers } from './identity-wire.js';

/** iam:ListGroupPolicies on the group ARN: the inline policy names. */
export const listGroupPolicies = iamOperation('ListGroupPolicies', {
  target: iamTarget((i) => ({ groupName: i.GroupName })),
  execute: async (input, ctx, deps) => {
    const page = await listInlinePolicies(deps, { kind: 'group', entityName: input.GroupName, marker: input.Marker, maxItems: input.MaxItems }, ctx);
    return { PolicyNames: page.items, ...pageMarkers(page) };
  },
});
