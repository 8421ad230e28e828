import type { AccessKeyStatus } from './credential-store.js';
import type { Page, PageRequest } from './paging.js';

/** An SSH public key of a user (for CodeCommit on AWS), as uploaded. */
export interface SshPublicKeyRow {
  accountId: string;
  /** `APKA…` */
  id: string;
  userId: string;
  /** The key as uploaded (OpenSSH `ssh-rsa …` or PEM). */
  body: string;
  /** MD5 of the key's SSH wire form, colon-separated hex: unique per user. */
  fingerprint: string;
  status: AccessKeyStatus;
  uploadDate: Date;
}

/** SSH public keys of users. */
export interface SshPublicKeyStore {
  /**
   * `UploadSSHPublicKey`. Atomically refuses with `StoreLimitError` (quota `sshPublicKeysPerUser`)
   * when the user already has `maxPerUser` keys (default 5); `StoreConflictError` when the user
   * already has a key of this fingerprint; `StoreReferenceError` when the user does not exist.
   */
  createSshPublicKey(input: SshPublicKeyRow & { maxPerUser?: number }): Promise<SshPublicKeyRow>;
  /** The key by id (ids are globally unique). */
  getSshPublicKey(id: string): Promise<SshPublicKeyRow | undefined>;
  /** `ListSSHPublicKeys` of a user: ordered by upload date, then id. */
  listSshPublicKeys(req: { userId: string } & PageRequest): Promise<Page<SshPublicKeyRow>>;
  /** `UpdateSSHPublicKey`; `false` if the key does not exist. */
  updateSshPublicKeyStatus(id: string, status: AccessKeyStatus): Promise<boolean>;
  /** `DeleteSSHPublicKey`; `false` if the key does not exist. */
  deleteSshPublicKey(id: string): Promise<boolean>;
}
