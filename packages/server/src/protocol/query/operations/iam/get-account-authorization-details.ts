import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { getAccountAuthorizationDetails as getAccountAuthorizationDetailsService } from '../../../../services/iam/account.js';
import type { AttachedPolicy as AttachedPolicyView, InlinePolicy } from '../../../../domain/iam-entities.js';
import type { PolicyAuthorizationDetail } from '../../../../services/iam/account.js';
import type { AttachedPolicy, ManagedPolicyDetail, PolicyDetail } from '../../../model/iam-types.js';
import { toWireTags } from './identity-wire.js';
import { toWireInstanceProfile } from './instance-profile-wire.js';

const inline = (policies: InlinePolicy[]): PolicyDetail[] => policies.map((p) => ({ PolicyName: p.name, PolicyDocument: p.document }));
const attached = (policies: AttachedPolicyView[]): AttachedPolicy[] => policies.map((a) => ({ PolicyName: a.policyName, PolicyArn: a.policyArn }));
const boundary = (arn: string | undefined) => (arn ? { PermissionsBoundary: { PermissionsBoundaryType: 'PermissionsBoundaryPolicy' as const, PermissionsBoundaryArn: arn } } : {});

/**
 * iam:GetAccountAuthorizationDetails (`*`): users, groups, roles and managed policies with every
 * policy document (URL-encoded on the wire), filtered by `Filter` and paged with one Marker.
 * Each role lists the instance profiles holding it (`InstanceProfileList`); AWS-managed policies
 * list their default version only.
 */
export const getAccountAuthorizationDetails = iamOperation('GetAccountAuthorizationDetails', {
  target: iamTarget(() => ({})),
  execute: async (input, ctx, deps) => {
    const page = await getAccountAuthorizationDetailsService(deps, { filter: input.Filter, marker: input.Marker, maxItems: input.MaxItems }, ctx);
    return {
      UserDetailList: page.users.map((u) => ({
        Path: u.user.path,
        UserName: u.user.name,
        UserId: u.user.id,
        Arn: u.user.arn,
        CreateDate: u.user.createDate,
        UserPolicyList: inline(u.inlinePolicies),
        GroupList: u.groupNames,
        AttachedManagedPolicies: attached(u.attached),
        ...boundary(u.user.permissionsBoundaryArn),
        Tags: toWireTags(u.tags),
      })),
      GroupDetailList: page.groups.map((g) => ({
        Path: g.group.path,
        GroupName: g.group.name,
        GroupId: g.group.id,
        Arn: g.group.arn,
        CreateDate: g.group.createDate,
        GroupPolicyList: inline(g.inlinePolicies),
        AttachedManagedPolicies: attached(g.attached),
      })),
      RoleDetailList: page.roles.map((r) => ({
        Path: r.role.path,
        RoleName: r.role.name,
        RoleId: r.role.id,
        Arn: r.role.arn,
        CreateDate: r.role.createDate,
        AssumeRolePolicyDocument: r.role.assumeRolePolicyDocument,
        InstanceProfileList: r.instanceProfiles.map((p) => toWireInstanceProfile(p)),
        RolePolicyList: inline(r.inlinePolicies),
        AttachedManagedPolicies: attached(r.attached),
        ...boundary(r.role.permissionsBoundaryArn),
        Tags: toWireTags(r.tags),
        RoleLastUsed: {
          ...(r.role.lastUsedDate ? { LastUsedDate: r.role.lastUsedDate } : {}),
          ...(r.role.lastUsedRegion ? { Region: r.role.lastUsedRegion } : {}),
        },
      })),
      Policies: [...page.localPolicies, ...page.awsPolicies].map(toWirePolicyDetail),
      IsTruncated: page.isTruncated,
      ...(page.marker !== undefined ? { Marker: page.marker } : {}),
    };
  },
});

function toWirePolicyDetail({ policy, versions }: PolicyAuthorizationDetail): ManagedPolicyDetail {
  return {
    PolicyName: policy.name,
    PolicyId: policy.id,
    Arn: policy.arn,
    Path: policy.path,
    DefaultVersionId: policy.defaultVersionId,
    AttachmentCount: policy.attachmentCount,
    PermissionsBoundaryUsageCount: policy.permissionsBoundaryUsageCount,
    IsAttachable: policy.isAttachable,
    ...(policy.description !== undefined ? { Description: policy.description } : {}),
    CreateDate: policy.createDate,
    UpdateDate: policy.updateDate,
    PolicyVersionList: versions.map((v) => ({ Document: v.document, VersionId: v.versionId, IsDefaultVersion: v.isDefaultVersion, CreateDate: v.createDate })),
  };
}
