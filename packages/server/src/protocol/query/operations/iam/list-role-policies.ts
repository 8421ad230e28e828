import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { listInlinePolicies } from '../../../../services/iam/inline-policies.js';
import { pageMarkers } from './identity-wire.js';

/** iam:ListRolePolicies on the role ARN: the inline policy names. */
export const listRolePolicies = iamOperation('ListRolePolicies', {
  target: iamTarget((i) => ({ roleName: i.RoleName })),
  execute: async (input, ctx, deps) => {
    const page = await listInlinePolicies(deps, { kind: 'role', entityName: input.RoleName, marker: input.Marker, maxItems: input.MaxItems }, ctx);
    return { PolicyNames: page.items, ...pageMarkers(page) };
  },
});
