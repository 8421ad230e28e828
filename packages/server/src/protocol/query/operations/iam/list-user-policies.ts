import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { listInlinePolicies } from '../../../../services/iam/inline-policies.js';
import { pageMarkers } from './identity-wire.js';

/** iam:ListUserPolicies on the user ARN: the inline policy names. */
export const listUserPolicies = iamOperation('ListUserPolicies', {
  target: iamTarget((i) => ({ userName: i.UserName })),
  execute: async (input, ctx, deps) => {
    const page = await listInlinePolicies(deps, { kind: 'user', entityName: input.UserName, marker: input.Marker, maxItems: input.MaxItems }, ctx);
    return { PolicyNames: page.items, ...pageMarkers(page) };
  },
});
