import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';
import { listAttachedPolicies } from '../../../../services/iam/attachments.js';
import { pageMarkers } from './identity-wire.js';

/** iam:ListAttachedGroupPolicies on the group ARN; PathPrefix filters policy paths. */
export const listAttachedGroupPolicies = iamOperation<'ListAttachedGroupPolicies', ServiceDeps>('ListAttachedGroupPolicies', {
  ...iamTarget('iam:ListAttachedGroupPolicies', (i) => ({ groupName: i.GroupName })),
  readOnly: true,
  execute: async (input, ctx, deps) => {
    const page = await listAttachedPolicies(deps, { kind: 'group', entityName: input.GroupName, pathPrefix: input.PathPrefix, marker: input.Marker, maxItems: input.MaxItems }, ctx);
    return { AttachedPolicies: page.items.map((p) => ({ PolicyName: p.policyName, PolicyArn: p.policyArn })), ...pageMarkers(page) };
  },
});
