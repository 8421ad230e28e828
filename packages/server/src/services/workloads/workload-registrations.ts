/**
 * Workload registrations: a workload bound to an instance profile, proven by a bootstrap secret
 * that is shown once and stored only as its SHA-256 (a 256-bit random secret needs no slow hash).
 *
 * @module
 */
import { createHash } from 'node:crypto';
import type { Ids } from '../../domain/context.js';
import { AwsError, NoSuchEntityError } from '../../domain/errors.js';
import type { Store, WorkloadRegistrationRow } from '../../store/store.js';
import { noSuchInstanceProfile, requireInstanceProfile } from '../iam/instance-profiles.js';

/** A new registration and its secret (never stored in clear). */
export interface RegisteredWorkload {
  registration: WorkloadRegistrationRow;
  bootstrapSecret: string;
}

/** The prefix of bootstrap secrets, so a leaked one is recognisable by secret scanners. */
export const BOOTSTRAP_SECRET_PREFIX = 'cwls_';

/** Hex SHA-256 of a bootstrap secret, as stored. */
export function bootstrapSecretHash(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/** Registers a workload against the instance profile `instanceProfileName` (NoSuchEntity if absent). */
export async function registerWorkload(
  deps: { store: Store; ids: Pick<Ids, 'randomBytes'> },
  input: { accountId: string; instanceProfileName: string; now: Date },
): Promise<RegisteredWorkload> {
  const bootstrapSecret = BOOTSTRAP_SECRET_PREFIX + Buffer.from(deps.ids.randomBytes(32)).toString('base64url');
  const registration = await deps.store.transaction(async (tx) => {
    const profile = await requireInstanceProfile(tx, input.accountId, input.instanceProfileName);
    // DeleteInstanceProfile revokes the profile's registrations under this lock: none is added
    // after it, to be served by a later profile of the same name.
    if (!(await tx.lockForUpdate({ kind: 'instanceProfile', id: profile.id }))) throw noSuchInstanceProfile(input.instanceProfileName);
    return tx.createWorkloadRegistration({
      id: `wl-${hex(deps.ids.randomBytes(8))}`,
      accountId: input.accountId,
      instanceProfileName: profile.name,
      secretHash: bootstrapSecretHash(bootstrapSecret),
      createDate: input.now,
    });
  });
  return { registration, bootstrapSecret };
}

/** A registration as callers see it: everything but its secret's hash. */
export type WorkloadSummary = Omit<WorkloadRegistrationRow, 'secretHash'>;

/** The registration is already revoked (castellan:RevokeWorkload answers `ConflictException`). */
export class WorkloadAlreadyRevokedError extends AwsError { readonly code = 'ConflictException'; }

/** The registrations of one account, oldest first. */
export async function listAccountWorkloads(store: Pick<Store, 'listWorkloadRegistrations'>, accountId: string): Promise<WorkloadRegistrationRow[]> {
  return (await store.listWorkloadRegistrations()).filter((r) => r.accountId === accountId);
}

/**
 * Revokes registration `id` of `accountId`. Another account's registration is reported missing, as
 * IAM reports another account's entities, so an id reveals nothing across accounts.
 */
export async function revokeAccountWorkload(store: Pick<Store, 'getWorkloadRegistration' | 'revokeWorkloadRegistration'>, accountId: string, id: string, now: Date): Promise<void> {
  const registration = await store.getWorkloadRegistration(id);
  if (!registration || registration.accountId !== accountId) throw new NoSuchEntityError(`The workload registration ${id} cannot be found.`);
  if (registration.revokedAt || !(await store.revokeWorkloadRegistration(id, now))) throw new WorkloadAlreadyRevokedError(`The workload registration ${id} is already revoked.`);
}
