/**
 * A workload's instance role session, as EC2 gives an instance its role: the session name is the
 * registration id, the length the AssumeRole default bounded by the role's MaxSessionDuration.
 * The bootstrap secret is proven by `WorkloadSecretAuthenticator` (services/credentials/); the call
 * is castellan:GetWorkloadCredentials, authorized as EC2's `sts:AssumeRole` on the role (its trust
 * policy must allow `ec2.amazonaws.com`) and audited as that AssumeRole. Every failure is the same
 * AccessDenied, so a caller learns nothing about which registrations exist.
 *
 * @module
 */
import { assumedRoleArn } from '../../domain/arn.js';
import { AccessDeniedError } from '../../domain/errors.js';
import type { RoleRow, WorkloadRegistrationRow } from '../../store/store.js';
import type { ServiceDeps } from '../service-deps.js';
import { ROLE_SESSION_DEFAULT_SECONDS } from '../sts/assume-role.js';
import { expiryAfter, issueCredentials, type TemporaryCredentials } from '../sts/session-credentials.js';
import { bootstrapSecretHash } from './workload-registrations.js';

/** The service principal that assumes a workload's role, as EC2 assumes an instance's. */
export const WORKLOAD_INVOKED_BY = 'ec2.amazonaws.com';

/** A registration and the role its instance profile holds now. */
export interface WorkloadRole {
  registration: WorkloadRegistrationRow;
  role: RoleRow;
}

/** What an issuance returns. */
export interface WorkloadSession extends WorkloadRole {
  assumedRoleArn: string;
  credentials: TemporaryCredentials;
}

/** The one refusal: unknown or revoked secret, or a profile without a role. */
export function workloadRefused(): AccessDeniedError {
  return new AccessDeniedError('The workload registration is unknown, revoked, or its instance profile holds no role.');
}

/** The registration a secret proves, when it exists and is not revoked. */
export async function activeRegistration(deps: Pick<ServiceDeps, 'store'>, secret: string): Promise<WorkloadRegistrationRow | undefined> {
  if (secret === '') return undefined;
  const registration = await deps.store.getWorkloadRegistrationBySecretHash(bootstrapSecretHash(secret));
  return registration && !registration.revokedAt ? registration : undefined;
}

/** The active registration `id` of `accountId` and its profile's role now, or AccessDenied. */
export async function workloadRole(deps: Pick<ServiceDeps, 'store'>, accountId: string, id: string): Promise<WorkloadRole> {
  const registration = await deps.store.getWorkloadRegistration(id);
  if (!registration || registration.revokedAt || registration.accountId !== accountId) throw workloadRefused();
  const profile = await deps.store.getInstanceProfileByName(registration.accountId, registration.instanceProfileName);
  const [role] = profile ? await deps.store.listInstanceProfileRoles(profile.id) : [];
  if (!role) throw workloadRefused();
  return { registration, role };
}

/** Issues the role session of a workload whose role was resolved (and authorized) now. */
export async function issueWorkloadSession(deps: ServiceDeps, { registration, role }: WorkloadRole, at: { now: Date; region: string }): Promise<WorkloadSession> {
  const now = at.now;
  const duration = Math.min(ROLE_SESSION_DEFAULT_SECONDS, role.maxSessionDuration);
  const arn = assumedRoleArn(role.accountId, role.name, registration.id);
  const credentials = issueCredentials(deps, {
    type: 'AssumedRole',
    accountId: role.accountId,
    arn,
    principalId: `${role.id}:${registration.id}`,
    issuedBy: 'AssumeRole',
    issuer: { type: 'Role', id: role.id, arn: role.arn, name: role.name },
    sessionName: registration.id,
    issuedAt: now,
    expiresAt: expiryAfter(now, duration),
  });
  await deps.store.recordRoleUse([{ roleId: role.id, usedAt: now, region: at.region }]);
  return { registration, role, assumedRoleArn: arn, credentials };
}
