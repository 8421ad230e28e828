/**
 * Authenticates `castellan agent`'s credential exchange: `Authorization: Bearer <bootstrap secret>`
 * (`cwls_…`, the workload's only credential, as an EC2 instance's identity is its host) on a call to
 * castellan:GetWorkloadCredentials, and nothing else. The caller is EC2's service principal acting
 * for the registration (`AWSService` `ec2.amazonaws.com`, its ARN the registration's), so the role's
 * trust policy decides, as it does for an instance role. An unknown or revoked secret is the
 * exchange's one AccessDenied.
 *
 * @module
 */
import { workloadArn } from '../../domain/arn.js';
import { AccessDeniedError } from '../../domain/errors.js';
import type { Authentication, AuthenticationAttempt, Authenticator } from '../../domain/ports/authenticator.js';
import type { InboundRequest } from '../../domain/ports/inbound-request.js';
import type { WorkloadRegistrationRow } from '../../store/store.js';
import { BOOTSTRAP_SECRET_PREFIX } from '../workloads/workload-registrations.js';
import { WORKLOAD_INVOKED_BY, workloadRefused } from '../workloads/workload-credentials.js';

/** The one operation a bootstrap secret authenticates (`X-Amz-Target` suffix). */
export const WORKLOAD_CREDENTIALS_OPERATION = 'GetWorkloadCredentials';

const BEARER = `Bearer ${BOOTSTRAP_SECRET_PREFIX}`;

/** What the authenticator reads. */
export interface WorkloadSecretAuthenticatorDeps {
  /** The registration a secret proves, when it exists and is not revoked. */
  activeRegistration(secret: string): Promise<WorkloadRegistrationRow | undefined>;
}

/** The bootstrap-secret authenticator (`AuthenticationMethod` `metadata-token`). */
export class WorkloadSecretAuthenticator implements Authenticator {
  constructor(private readonly deps: WorkloadSecretAuthenticatorDeps) {}

  recognizes(request: InboundRequest): boolean {
    return request.header('authorization')?.startsWith(BEARER) === true;
  }

  async authenticate(attempt: AuthenticationAttempt): Promise<Authentication> {
    const target = attempt.request.header('x-amz-target') ?? '';
    attempt.claim({ service: 'castellan' });
    if (!attempt.services.includes('castellan') || target.slice(target.lastIndexOf('.') + 1) !== WORKLOAD_CREDENTIALS_OPERATION) {
      throw new AccessDeniedError(`A workload's bootstrap secret authenticates only ${WORKLOAD_CREDENTIALS_OPERATION}.`);
    }
    const secret = (attempt.request.header('authorization') ?? '').slice('Bearer '.length).trim();
    const registration = await this.deps.activeRegistration(secret);
    if (!registration) throw workloadRefused();
    attempt.claim({ accountId: registration.accountId });
    return {
      principal: { type: 'AWSService', accountId: registration.accountId, arn: workloadArn(registration.accountId, registration.id), principalId: WORKLOAD_INVOKED_BY, mfaAuthenticated: false },
      facts: { method: 'metadata-token', temporaryCredentials: false },
    };
  }
}
