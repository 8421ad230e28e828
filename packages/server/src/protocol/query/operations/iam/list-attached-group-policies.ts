import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { listAttachedPolicies } from '../../../../services/iam/attachments.js';
import { pageMarkers } from './identity-wire.js';

/** iam:ListAttachedGroupPolicies on the group ARN; PathPrefix filters policy paths. */
export const listAttachedGroupPolicies = iamOperation('ListAttachedGroupPolicies', {
  target: iamTarget((i) => ({ groupName: i.GroupName })),
  execute: async (input, ctx, deps) => {
    const page = await listAttachedPolicies(deps, { kind: 'group', entityName: input.GroupName, pathPrefix: input.PathPrefix, marker: input.Marker, maxItems: input.MaxItems }, ctx);
    return { AttachedPolicies: page.items.map((p) => ({ PolicyName: p.policyName, PolicyArn: p.policyArn })), ...pageMarkers(page) };
  },
});
