/**
 * A workload registered against an instance profile: the only thing that may exchange its
 * bootstrap secret (stored as a SHA-256 hash, never in clear) for the profile's role session.
 */
export interface WorkloadRegistrationRow {
  id: string;
  accountId: string;
  instanceProfileName: string;
  /** Hex SHA-256 of the bootstrap secret. */
  secretHash: string;
  createDate: Date;
  revokedAt?: Date;
}

/** Workload registrations. */
export interface WorkloadRegistrationStore {
  /** Throws `StoreConflictError` if the id or the secret hash exists. */
  createWorkloadRegistration(row: Omit<WorkloadRegistrationRow, 'revokedAt'>): Promise<WorkloadRegistrationRow>;
  /** The registration a bootstrap secret hash belongs to, revoked or not. */
  getWorkloadRegistrationBySecretHash(secretHash: string): Promise<WorkloadRegistrationRow | undefined>;
  /** The registration `id`, revoked or not. */
  getWorkloadRegistration(id: string): Promise<WorkloadRegistrationRow | undefined>;
  /** Every registration, oldest first. */
  listWorkloadRegistrations(): Promise<WorkloadRegistrationRow[]>;
  /** Marks it revoked at `now`; `false` if it does not exist or was already revoked. */
  revokeWorkloadRegistration(id: string, now: Date): Promise<boolean>;
}
