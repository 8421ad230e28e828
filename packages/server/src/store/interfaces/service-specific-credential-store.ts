import type { AccessKeyStatus } from './credential-store.js';

/** A service-specific credential (a user name and password for one AWS service) of a user. */
export interface ServiceSpecificCredentialRow {
  accountId: string;
  /** `ACCA…` */
  id: string;
  userId: string;
  /** E.g. `codecommit.amazonaws.com`. */
  serviceName: string;
  /** `<user name>-at-<account id>`. */
  serviceUserName: string;
  /** The argon2id PHC string; the password is never stored. */
  passwordHash: string;
  status: AccessKeyStatus;
  createDate: Date;
}

/** Service-specific credentials of users. */
export interface ServiceSpecificCredentialStore {
  /**
   * `CreateServiceSpecificCredential`. Atomically refuses with `StoreLimitError` (quota
   * `serviceSpecificCredentialsPerService`) when the user already has `maxPerService` (default 2)
   * for that service; `StoreReferenceError` when the user does not exist.
   */
  createServiceSpecificCredential(input: ServiceSpecificCredentialRow & { maxPerService?: number }): Promise<ServiceSpecificCredentialRow>;
  getServiceSpecificCredential(id: string): Promise<ServiceSpecificCredentialRow | undefined>;
  /** `ListServiceSpecificCredentials` of a user (all of them: AWS does not page this list), by creation then id. */
  listServiceSpecificCredentials(req: { userId: string; serviceName?: string }): Promise<ServiceSpecificCredentialRow[]>;
  /** `UpdateServiceSpecificCredential` / `ResetServiceSpecificCredential`. */
  updateServiceSpecificCredential(id: string, patch: { status?: AccessKeyStatus; passwordHash?: string }): Promise<ServiceSpecificCredentialRow | undefined>;
  /** `DeleteServiceSpecificCredential`; `false` if it did not exist. */
  deleteServiceSpecificCredential(id: string): Promise<boolean>;
}
