import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';
import { listAttachedPolicies } from '../../../../services/iam/attachments.js';
import { pageMarkers } from './identity-wire.js';

/** iam:ListAttachedRolePolicies on the role ARN; PathPrefix filters policy paths. */
export const listAttachedRolePolicies = iamOperation<'ListAttachedRolePolicies', ServiceDeps>('ListAttachedRolePolicies', {
  ...iamTarget('iam:ListAttachedRolePolicies', (i) => ({ roleName: i.RoleName })),
  readOnly: true,
  execute: async (input, ctx, deps) => {
    const page = await listAttachedPolicies(deps, { kind: 'role', entityName: input.RoleName, pathPrefix: input.PathPrefix, marker: input.Marker, maxItems: input.MaxItems }, ctx);
    return { AttachedPolicies: page.items.map((p) => ({ PolicyName: p.policyName, PolicyArn: p.policyArn })), ...pageMarkers(page) };
  },
});
