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

/**
 * The account password policy, as GetAccountPasswordPolicy reports it. The optional members are
 * present only when the policy sets them, as AWS leaves them out.
 */
export interface PasswordPolicy {
  minimumPasswordLength: number;
  requireSymbols: boolean;
  requireNumbers: boolean;
  requireUppercaseCharacters: boolean;
  requireLowercaseCharacters: boolean;
  allowUsersToChangePassword: boolean;
  /** True when `maxPasswordAge` is set. */
  expirePasswords: boolean;
  /** Days a password stays valid. */
  maxPasswordAge?: number;
  /** How many previous passwords a user may not reuse. */
  passwordReusePrevention?: number;
  hardExpiry?: boolean;
}

/** Where a console password stands: for sign-in and ChangePassword. */
export interface PasswordState {
  /** When the password expires under `MaxPasswordAge`; absent when passwords never expire. */
  expiresAt?: Date;
  expired: boolean;
  /** Expired under `HardExpiry`: only an administrator can set a new one. */
  hardExpired: boolean;
  /** `PasswordResetRequired`: a new password must be chosen before anything else. */
  resetRequired: boolean;
}

/** An MFA device enabled for a user (or the root user: `userName` is then absent), as ListMFADevices reports it. */
export interface MfaDevice {
  userName?: string;
  serialNumber: string;
  enableDate: Date;
}

/** A virtual MFA device, as ListVirtualMFADevices reports it; `user` and `enableDate` when assigned. */
export interface VirtualMfaDevice {
  serialNumber: string;
  /** Present when the device is enabled for an IAM user or the root user. */
  user?: User;
  enableDate?: Date;
}

/** A device just created: the only time its seed (and the QR code of its `otpauth://` URI) is handed out. */
export interface NewVirtualMfaDevice extends VirtualMfaDevice {
  /** The tags it was created with (the listing leaves tags out, as AWS's does). */
  tags?: Tag[];
  /** The base32 seed, as text. */
  base32StringSeed: string;
  /** A PNG image of the `otpauth://totp/…` URI. */
  qrCodePng: Uint8Array;
}

/** An SSH public key of a user; `body` in the encoding asked for (GetSSHPublicKey) or as uploaded. */
export interface SshPublicKey {
  userName: string;
  id: string;
  fingerprint: string;
  body: string;
  status: AccessKeyStatus;
  uploadDate: Date;
}

/** A signing certificate (`userName` absent for the root's, as for access keys). */
export interface SigningCertificate {
  userName?: string;
  id: string;
  body: string;
  status: AccessKeyStatus;
  uploadDate: Date;
}

/** A server certificate's metadata. */
export interface ServerCertificateMetadata {
  id: string;
  name: string;
  path: string;
  arn: string;
  uploadDate: Date;
  expiration: Date;
}

/** An IAM OpenID Connect provider; `url` is the issuer without `https://`, as GetOpenIDConnectProvider shows it. */
export interface OidcProvider {
  arn: string;
  url: string;
  clientIds: string[];
  thumbprints: string[];
  createDate: Date;
}

/** A server certificate with its body and chain (never its private key). */
export interface ServerCertificate extends ServerCertificateMetadata {
  body: string;
  chain?: string;
  tags: Tag[];
}

/** A service-specific credential's metadata. */
export interface ServiceSpecificCredential {
  userName: string;
  id: string;
  serviceName: string;
  serviceUserName: string;
  status: AccessKeyStatus;
  createDate: Date;
}

/** A new or reset credential: the only time its password is handed out. */
export interface ServiceSpecificCredentialWithPassword extends ServiceSpecificCredential {
  servicePassword: string;
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
