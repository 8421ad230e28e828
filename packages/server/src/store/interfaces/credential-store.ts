import type { Page, PageRequest } from './paging.js';

/** Who owns an access key: an IAM user, or the account's root user. */
export type AccessKeyOwner = { kind: 'user'; userId: string } | { kind: 'root' };

/** `Active` keys authenticate; `Inactive` ones fail with `InvalidClientTokenId`. */
export type AccessKeyStatus = 'Active' | 'Inactive';

/** A long-term access key, without its secret. */
export interface AccessKeyRow {
  accountId: string;
  /** `AKIA…` (or any printable bootstrap id for the root key). */
  accessKeyId: string;
  owner: AccessKeyOwner;
  status: AccessKeyStatus;
  createDate: Date;
  lastUsedDate?: Date;
  lastUsedServiceName?: string;
  lastUsedRegion?: string;
}

/** An access key with its decrypted secret: only for SigV4 verification, never for output. */
export interface AccessKeyWithSecret extends AccessKeyRow {
  secretAccessKey: string;
}

/** One use of an access key, for the batched last-used writer. */
export interface AccessKeyUse {
  accessKeyId: string;
  usedAt: Date;
  /** E.g. `iam`, `sts`. */
  serviceName: string;
  region: string;
}

/** A console password. */
export interface LoginProfileRow {
  accountId: string;
  userId: string;
  /** The argon2id PHC string (`$argon2id$…`); the password itself is never stored. */
  passwordHash: string;
  passwordResetRequired: boolean;
  createDate: Date;
  /** When the current password was set (`MaxPasswordAge` counts from here). */
  passwordChangedDate: Date;
}

/**
 * Access keys.
 *
 * Secrets at rest: the store is given a `SecretBox` and encrypts secret access keys itself
 * (AES-256-GCM, bound to the key id), so callers pass and receive plaintext and no code path can
 * write a plaintext secret to the database. Only `getAccessKeyWithSecret` decrypts.
 */
export interface AccessKeyStore {
  /**
   * `CreateAccessKey` (and the bootstrap root key). Atomically refuses with `StoreLimitError`
   * (quota `accessKeysPerUser`) when the owner already has `maxPerOwner` keys; default `2`, as
   * AWS's quota for users and the root user. Throws `StoreConflictError` if the id exists.
   */
  createAccessKey(input: {
    accountId: string;
    accessKeyId: string;
    owner: AccessKeyOwner;
    secretAccessKey: string;
    status: AccessKeyStatus;
    createDate: Date;
    maxPerOwner?: number;
  }): Promise<AccessKeyRow>;
  /** The key without its secret (ids are globally unique; the row says the account). */
  getAccessKey(accessKeyId: string): Promise<AccessKeyRow | undefined>;
  /** The key and its decrypted secret, for signature verification only. */
  getAccessKeyWithSecret(accessKeyId: string): Promise<AccessKeyWithSecret | undefined>;
  /** `ListAccessKeys` of a user or of the root: ordered by creation, then id. */
  listAccessKeys(req: { accountId: string; owner: AccessKeyOwner } & PageRequest): Promise<Page<AccessKeyRow>>;
  /** `UpdateAccessKey`; `false` if the key does not exist. */
  updateAccessKeyStatus(accessKeyId: string, status: AccessKeyStatus): Promise<boolean>;
  /** `DeleteAccessKey`; `false` if the key does not exist. */
  deleteAccessKey(accessKeyId: string): Promise<boolean>;
  /**
   * Records key uses in one write (the server buffers uses and flushes them every few seconds and
   * at shutdown, instead of a write per request). Per key the latest use wins, and a stored date
   * never goes back; unknown (deleted) keys are ignored.
   */
  recordAccessKeyUse(batch: AccessKeyUse[]): Promise<void>;
}

/** Console passwords (login profiles) of users. */
export interface LoginProfileStore {
  /**
   * `CreateLoginProfile`: `StoreConflictError` if the user already has one. `passwordChangedDate`
   * defaults to `createDate`.
   */
  createLoginProfile(input: Omit<LoginProfileRow, 'passwordChangedDate'> & { passwordChangedDate?: Date }): Promise<LoginProfileRow>;
  /** `GetLoginProfile`. */
  getLoginProfile(userId: string): Promise<LoginProfileRow | undefined>;
  /** `UpdateLoginProfile`, `ChangePassword`: a new hash comes with the date it was set. */
  updateLoginProfile(
    userId: string,
    patch: { passwordHash?: string; passwordChangedDate?: Date; passwordResetRequired?: boolean },
  ): Promise<LoginProfileRow | undefined>;
  /** `DeleteLoginProfile`; `false` if there was none. */
  deleteLoginProfile(userId: string): Promise<boolean>;
  /**
   * Remembers a password just set (its argon2id hash) and forgets all but the newest `keep`
   * (`PasswordReusePrevention` is at most 24). History is deleted with the user.
   */
  addPasswordHistory(input: { userId: string; passwordHash: string; setDate: Date; keep: number }): Promise<void>;
  /** The newest `limit` remembered hashes of the user's passwords, newest first. */
  listPasswordHistory(userId: string, limit: number): Promise<string[]>;
}

/** Access keys and login profiles. */
export interface CredentialStore extends AccessKeyStore, LoginProfileStore {}
