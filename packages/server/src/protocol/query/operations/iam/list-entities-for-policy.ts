import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { listEntitiesForPolicy as listEntitiesForPolicyService } from '../../../../services/iam/attachments.js';

/** iam:ListEntitiesForPolicy on the policy ARN: EntityFilter, PathPrefix, PolicyUsageFilter, paging. */
export const listEntitiesForPolicy = iamOperation('ListEntitiesForPolicy', {
  target: iamTarget((i) => ({ policyArn: i.PolicyArn })),
  execute: async (input, ctx, deps) => {
    const r = await listEntitiesForPolicyService(deps, { policyArn: input.PolicyArn, entityFilter: input.EntityFilter, pathPrefix: input.PathPrefix, policyUsageFilter: input.PolicyUsageFilter, marker: input.Marker, maxItems: input.MaxItems }, ctx);
    return {
      PolicyGroups: r.groups.map((g) => ({ GroupName: g.name, GroupId: g.id })),
      PolicyUsers: r.users.map((u) => ({ UserName: u.name, UserId: u.id })),
      PolicyRoles: r.roles.map((x) => ({ RoleName: x.name, RoleId: x.id })),
      IsTruncated: r.isTruncated,
      ...(r.isTruncated && r.marker !== undefined ? { Marker: r.marker } : {}),
    };
  },
});
