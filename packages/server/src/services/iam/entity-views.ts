/**
 * Store rows to the domain views services return (`domain/iam-entities.ts`): the rows' account ids
 * and entity references stay below the service layer.
 *
 * @module
 */
import type { ServerCertificateMetadata, ServiceSpecificCredential, SigningCertificate } from '../../domain/iam-entities.js';
import type { ServerCertificateRow, ServiceSpecificCredentialRow, SigningCertificateRow } from '../../store/store.js';
import type { AttachedPolicy, Group, InlinePolicy, InstanceProfile, Page, PolicyVersion, Role, Tag, User } from '../../domain/iam-entities.js';
import type { GroupRow, InlinePolicyRow, InstanceProfileRow, Page as RowPage, PolicyAttachmentRow, PolicyVersionRow, RoleRow, Tag as TagRow, UserRow } from '../../store/store.js';

/**
 * The view of a user row. One literal, the optional fields set after: ListUsers maps 100 rows a
 * page, and a conditional spread per optional field cost more than the literal.
 */
export function toUser(row: UserRow): User {
  const user: User = { id: row.id, name: row.name, path: row.path, arn: row.arn, createDate: row.createDate };
  if (row.permissionsBoundaryArn !== undefined) user.permissionsBoundaryArn = row.permissionsBoundaryArn;
  if (row.passwordLastUsed !== undefined) user.passwordLastUsed = row.passwordLastUsed;
  return user;
}

/** The view of a group row. */
export function toGroup(row: GroupRow): Group {
  return { id: row.id, name: row.name, path: row.path, arn: row.arn, createDate: row.createDate };
}

/** The view of a role row. */
export function toRole(row: RoleRow): Role {
  return {
    id: row.id,
    name: row.name,
    path: row.path,
    arn: row.arn,
    createDate: row.createDate,
    assumeRolePolicyDocument: row.assumeRolePolicyDocument,
    ...(row.description !== undefined ? { description: row.description } : {}),
    maxSessionDuration: row.maxSessionDuration,
    ...(row.permissionsBoundaryArn !== undefined ? { permissionsBoundaryArn: row.permissionsBoundaryArn } : {}),
    ...(row.lastUsedDate !== undefined ? { lastUsedDate: row.lastUsedDate } : {}),
    ...(row.lastUsedRegion !== undefined ? { lastUsedRegion: row.lastUsedRegion } : {}),
  };
}

/** A tag as a view. */
export function toTag(row: TagRow): Tag {
  return { key: row.key, value: row.value };
}

/** Tags as views. */
export function toTags(rows: readonly TagRow[]): Tag[] {
  return rows.map(toTag);
}

/** An inline policy row's name and document. */
export function toInlinePolicy(row: InlinePolicyRow): InlinePolicy {
  return { name: row.name, document: row.document };
}

/** An attachment row's policy name and ARN. */
export function toAttachedPolicy(row: PolicyAttachmentRow): AttachedPolicy {
  return { policyName: row.policyName, policyArn: row.policyArn };
}

/** A version row with its document. */
export function toPolicyVersion(row: PolicyVersionRow): PolicyVersion {
  return { versionId: row.versionId, isDefaultVersion: row.isDefaultVersion, createDate: row.createDate, document: row.document };
}

/** A page of rows as a page of views. */
export function toPage<R, V>(page: RowPage<R>, view: (row: R) => V): Page<V> {
  return { items: page.items.map(view), isTruncated: page.isTruncated, ...(page.marker !== undefined ? { marker: page.marker } : {}) };
}

/** A server certificate row's metadata. */
export function toServerCertificateMetadata(row: ServerCertificateRow): ServerCertificateMetadata {
  return { id: row.id, name: row.name, path: row.path, arn: row.arn, uploadDate: row.uploadDate, expiration: row.expiration };
}

/** A signing certificate row, with its user's name (none for the root's). */
export function toSigningCertificate(row: SigningCertificateRow, userName: string | undefined): SigningCertificate {
  return { ...(userName !== undefined ? { userName } : {}), id: row.id, body: row.body, status: row.status, uploadDate: row.uploadDate };
}

/** A service-specific credential row, with its user's name; never its password hash. */
export function toServiceSpecificCredential(row: ServiceSpecificCredentialRow, userName: string): ServiceSpecificCredential {
  return { userName, id: row.id, serviceName: row.serviceName, serviceUserName: row.serviceUserName, status: row.status, createDate: row.createDate };
}

/** The view of an instance profile row with the roles it holds. */
export function toInstanceProfile(row: InstanceProfileRow, roles: readonly RoleRow[]): InstanceProfile {
  return { id: row.id, name: row.name, path: row.path, arn: row.arn, createDate: row.createDate, roles: roles.map(toRole) };
}
