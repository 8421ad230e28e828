import type { AccessKeyOwner, AccessKeyStatus } from './credential-store.js';
import type { Page, PageRequest } from './paging.js';

/** An X.509 signing certificate of a user or of the account root. */
export interface SigningCertificateRow {
  accountId: string;
  /** 32 base32 characters. */
  id: string;
  owner: AccessKeyOwner;
  /** The PEM body as uploaded. */
  body: string;
  /** SHA-256 of the DER certificate, hex: unique per account. */
  fingerprint: string;
  status: AccessKeyStatus;
  uploadDate: Date;
}

/** Signing certificates. */
export interface SigningCertificateStore {
  /**
   * `UploadSigningCertificate`. Atomically refuses with `StoreLimitError` (quota
   * `signingCertificatesPerUser`) when the owner already has `maxPerOwner` (default 2);
   * `StoreConflictError` when the account already holds this certificate; `StoreReferenceError`
   * when the user does not exist.
   */
  createSigningCertificate(input: SigningCertificateRow & { maxPerOwner?: number }): Promise<SigningCertificateRow>;
  getSigningCertificate(id: string): Promise<SigningCertificateRow | undefined>;
  /** `ListSigningCertificates` of a user or of the root: ordered by upload date, then id. */
  listSigningCertificates(req: { accountId: string; owner: AccessKeyOwner } & PageRequest): Promise<Page<SigningCertificateRow>>;
  /** `UpdateSigningCertificate`; `false` if it does not exist. */
  updateSigningCertificateStatus(id: string, status: AccessKeyStatus): Promise<boolean>;
  /** `DeleteSigningCertificate`; `false` if it does not exist. */
  deleteSigningCertificate(id: string): Promise<boolean>;
}
