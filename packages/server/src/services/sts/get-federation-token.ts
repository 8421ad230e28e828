/**
 * sts:GetFederationToken: a federated user session (`arn:aws:sts::ACCOUNT:federated-user/NAME`)
 * whose permissions are the caller's intersected with the session policies passed; without
 * session policies it may do nothing, as on AWS.
 *
 * @module
 */
import { PARTITION } from '../../domain/arn.js';
import type { RequestContext } from '../../domain/context.js';
import { refuseSessionCaller } from './session-callers.js';
import type { ServiceDeps } from '../service-deps.js';
import { ROOT_SESSION_MAX_SECONDS, USER_SESSION_DEFAULT_SECONDS } from './get-session-token.js';
import { expiryAfter, issueCredentials, type TemporaryCredentials } from './session-credentials.js';
import { requireSessionPolicies, sessionGrant, type SessionGrantInput } from './session-grant.js';

/** GetFederationToken's parameters. */
export interface GetFederationTokenInput extends SessionGrantInput {
  name: string;
  durationSeconds?: number | undefined;
}

/** What GetFederationToken returns. */
export interface GetFederationTokenResult {
  credentials: TemporaryCredentials;
  federatedUser: { federatedUserId: string; arn: string };
  packedPolicySize?: number;
}

/** `arn:aws:sts::ACCOUNT:federated-user/NAME`: the ARN of a federated user session, and its resource for sts:GetFederationToken. */
export function federatedUserArn(accountId: string, name: string): string {
  return `arn:${PARTITION}:sts::${accountId}:federated-user/${name}`;
}

/** Issues a federated user session for the calling user (or root). */
export async function getFederationToken(deps: ServiceDeps, input: GetFederationTokenInput, ctx: RequestContext): Promise<GetFederationTokenResult> {
  const caller = ctx.caller;
  refuseSessionCaller(caller, 'GetFederationToken');
  const grant = sessionGrant(deps, input);
  await requireSessionPolicies(deps, grant, caller.accountId);
  let duration = input.durationSeconds ?? USER_SESSION_DEFAULT_SECONDS;
  if (caller.type === 'Root') duration = Math.min(duration, ROOT_SESSION_MAX_SECONDS);
  const arn = federatedUserArn(caller.accountId, input.name);
  const federatedUserId = `${caller.accountId}:${input.name}`;
  const credentials = issueCredentials(deps, {
    type: 'FederatedUser',
    accountId: caller.accountId,
    arn,
    principalId: federatedUserId,
    issuedBy: 'GetFederationToken',
    issuer: { type: caller.type === 'Root' ? 'Root' : 'IAMUser', id: caller.principalId, arn: caller.arn, name: caller.userName ?? '' },
    sessionName: input.name,
    issuedAt: ctx.now,
    expiresAt: expiryAfter(ctx.now, duration),
    ...(grant.policies ? { policies: grant.policies } : {}),
    ...(grant.policyArns ? { policyArns: grant.policyArns } : {}),
    ...(grant.tags ? { tags: grant.tags } : {}),
  });
  return {
    credentials,
    federatedUser: { federatedUserId, arn },
    ...(grant.packedPolicySize !== undefined ? { packedPolicySize: grant.packedPolicySize } : {}),
  };
}
