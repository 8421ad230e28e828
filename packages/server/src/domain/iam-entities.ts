/**
 * IAM entities as the services hand them to the wire: plain views, camelCase, without the store's
 * bookkeeping (account ids, entity references). The protocol maps these to AWS's shapes; it never
 * sees a store row.
 *
 * @module
 */

/** One page of a listing; `marker` (present only when truncated) fetches the next. */
export interface Page<T> {
  items: T[];
  isTruncated: boolean;
  marker?: string;
}

/** One tag. */
export interface Tag {
  key: string;
  value: string;
}

/** An IAM user. */
export interface User {
  /** `AIDA…` */
  id: string;
  name: string;
  path: string;
  arn: string;
  createDate: Date;
  permissionsBoundaryArn?: string;
  /** When the user last signed in with their password. */
  passwordLastUsed?: Date;
}

/** An IAM group. */
export interface Group {
  /** `AGPA…` */
  id: string;
  name: string;
  path: string;
  arn: string;
  createDate: Date;
}

/** An IAM role. */
export interface Role {
  /** `AROA…` */
  id: string;
  name: string;
  path: string;
  arn: string;
  createDate: Date;
  /** The trust policy, as JSON text (not URL-encoded). */
  assumeRolePolicyDocument: string;
  description?: string;
  /** Seconds, 3600–43200. */
  maxSessionDuration: number;
  permissionsBoundaryArn?: string;
  lastUsedDate?: Date;
  lastUsedRegion?: string;
}

/** A managed policy (customer or AWS) as GetPolicy/ListPolicies describe it. */
export interface ManagedPolicy {
  name: string;
  id: string;
  arn: string;
  path: string;
  defaultVersionId: string;
  attachmentCount: number;
  permissionsBoundaryUsageCount: number;
  isAttachable: boolean;
  description?: string | undefined;
  createDate: Date;
  updateDate: Date;
  tags?: Tag[];
}

/** One version of a managed policy. */
export interface PolicyVersion {
  versionId: string;
  isDefaultVersion: boolean;
  createDate: Date;
  /** The JSON text (the protocol serializer URL-encodes it). ListPolicyVersions leaves it out, as AWS. */
  document?: string;
}

/** An inline policy of a user, group or role. */
export interface InlinePolicy {
  name: string;
  /** JSON text (not URL-encoded). */
  document: string;
}

/** A managed policy attached to a user, group or role. */
export interface AttachedPolicy {
  policyName: string;
  policyArn: string;
}

/** `Active` keys authenticate; `Inactive` ones fail authentication. */
export type AccessKeyStatus = 'Active' | 'Inactive';

/** A key's metadata with the name of its user (`undefined` for the root's keys, as AWS leaves it out). */
export interface AccessKey {
  userName?: string;
  accessKeyId: string;
  status: AccessKeyStatus;
  createDate: Date;
}

/** A new key: the only time its secret is ever handed out. */
export interface NewAccessKey extends AccessKey {
  secretAccessKey: string;
}

/** GetAccessKeyLastUsed's answer. AWS reports `N/A` for service and region of a key never used. */
export interface AccessKeyLastUsed {
  userName?: string;
  lastUsedDate?: Date;
  serviceName: string;
  region: string;
}

/** A login profile with the name of its user, as the LoginProfile shape reports it. */
export interface LoginProfile {
  userName: string;
  createDate: Date;
  passwordResetRequired: boolean;
}

/** An instance profile with the role it holds (zero or one), as AWS's InstanceProfile shape lists it. */
export interface InstanceProfile {
  /** `AIPA…` */
  id: string;
  name: string;
  path: string;
  arn: string;
  createDate: Date;
  roles: Role[];
}
