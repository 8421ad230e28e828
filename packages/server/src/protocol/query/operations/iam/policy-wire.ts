/**
 * What the policy operations (managed policies, versions, attachments, inline policies,
 * boundaries, roles, the simulator) share on the wire: view -> shape mappers.
 *
 * @module
 */
import type { ManagedPolicy as ManagedPolicyView, PolicyVersion as PolicyVersionView, Role as RoleView, Tag } from '../../../../domain/iam-entities.js';
import type { Policy, PolicyVersion, Role } from '../../../model/iam-types.js';
import { toWireTags } from './identity-wire.js';

/** The Policy shape (tags only when the view carries them: CreatePolicy, GetPolicy). The serializer writes members in the shape's order. */
export function toWirePolicy(p: ManagedPolicyView): Policy {
  const wire = toWireListedPolicy(p);
  if (p.description !== undefined) wire.Description = p.description;
  if (p.tags && p.tags.length > 0) wire.Tags = toWireTags(p.tags);
  return wire;
}

/**
 * The Policy shape as ListPolicies shows it: no Description and no tags, as in AWS. One literal,
 * as a page maps 100 policies (a rest copy of the view cost more).
 */
export function toWireListedPolicy(p: ManagedPolicyView): Policy {
  return {
    PolicyName: p.name,
    PolicyId: p.id,
    Arn: p.arn,
    Path: p.path,
    DefaultVersionId: p.defaultVersionId,
    AttachmentCount: p.attachmentCount,
    PermissionsBoundaryUsageCount: p.permissionsBoundaryUsageCount,
    IsAttachable: p.isAttachable,
    CreateDate: p.createDate,
    UpdateDate: p.updateDate,
  };
}

/** The PolicyVersion shape (the serializer URL-encodes the document). */
export function toWirePolicyVersion(v: PolicyVersionView): PolicyVersion {
  return {
    ...(v.document !== undefined ? { Document: v.document } : {}),
    VersionId: v.versionId,
    IsDefaultVersion: v.isDefaultVersion,
    CreateDate: v.createDate,
  };
}

/**
 * The Role shape. `detail` (GetRole, CreateRole, UpdateRoleDescription) adds the boundary, tags
 * and RoleLastUsed, which ListRoles leaves out as AWS does.
 */
export function toWireRole(row: RoleView, detail?: { tags: readonly Tag[] }): Role {
  const role: Role = {
    Path: row.path,
    RoleName: row.name,
    RoleId: row.id,
    Arn: row.arn,
    CreateDate: row.createDate,
    AssumeRolePolicyDocument: row.assumeRolePolicyDocument,
    ...(row.description !== undefined ? { Description: row.description } : {}),
    MaxSessionDuration: row.maxSessionDuration,
  };
  if (detail) {
    if (row.permissionsBoundaryArn) role.PermissionsBoundary = { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: row.permissionsBoundaryArn };
    if (detail.tags.length > 0) role.Tags = toWireTags(detail.tags);
    role.RoleLastUsed = {
      ...(row.lastUsedDate ? { LastUsedDate: row.lastUsedDate } : {}),
      ...(row.lastUsedRegion ? { Region: row.lastUsedRegion } : {}),
    };
  }
  return role;
}
