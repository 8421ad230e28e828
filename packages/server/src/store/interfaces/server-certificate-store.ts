import type { Page, PathPageRequest } from './paging.js';

/** A server certificate, without its private key (which the store never hands back). */
export interface ServerCertificateRow {
  accountId: string;
  /** `ASCA…` */
  id: string;
  name: string;
  path: string;
  arn: string;
  body: string;
  chain?: string;
  expiration: Date;
  uploadDate: Date;
}

/** What `createServerCertificate` takes: the row plus the private key, sealed before it is written. */
export interface NewServerCertificate extends ServerCertificateRow {
  privateKey: string;
}

/**
 * Server certificates, named per account case-insensitively. The private key is sealed with the
 * store's `SecretBox` (bound to the certificate id) and no method returns it.
 */
export interface ServerCertificateStore {
  /**
   * `UploadServerCertificate`. Atomically refuses with `StoreLimitError` (quota
   * `serverCertificatesPerAccount`) when the account has `maxPerAccount` (default 20);
   * `StoreConflictError` when the name exists.
   */
  createServerCertificate(input: NewServerCertificate, options?: { maxPerAccount?: number }): Promise<ServerCertificateRow>;
  getServerCertificateByName(accountId: string, name: string): Promise<ServerCertificateRow | undefined>;
  /** `ListServerCertificates`: by case-insensitive name, then id; `pathPrefix` filters. */
  listServerCertificates(req: { accountId: string } & PathPageRequest): Promise<Page<ServerCertificateRow>>;
  /** `UpdateServerCertificate` (rename, move); `StoreConflictError` when the new name exists. */
  updateServerCertificate(id: string, patch: { name: string; path: string; arn: string }): Promise<ServerCertificateRow | undefined>;
  /** `DeleteServerCertificate` (its tags go with it); `false` if it did not exist. */
  deleteServerCertificate(id: string): Promise<boolean>;
  /** How many the account has, for GetAccountSummary. */
  countServerCertificates(accountId: string): Promise<number>;
}
