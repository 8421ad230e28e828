import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { listAttachedPolicies } from '../../../../services/iam/attachments.js';
import { pageMarkers } from './identity-wire.js';

/** iam:ListAttachedRolePolicies on the role ARN; PathPrefix filters policy paths. */
export const listAttachedRolePolicies = iamOperation('ListAttachedRolePolicies', {
  target: iamTarget((i) => ({ roleName: i.RoleName })),
  execute: async (input, ctx, deps) => {
    const page = await listAttachedPolicies(deps, { kind: 'role', entityName: input.RoleName, pathPrefix: input.PathPrefix, marker: input.Marker, maxItems: input.MaxItems }, ctx);
    return { AttachedPolicies: page.items.map((p) => ({ PolicyName: p.policyName, PolicyArn: p.policyArn })), ...pageMarkers(page) };
  },
});
