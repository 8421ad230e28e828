/**
 * sts:GetSessionToken: temporary credentials for an IAM user or the account root, with the
 * caller's own permissions. AWS requires no permission for it; sessions cannot call it.
 *
 * @module
 */
import type { RequestContext } from '../../domain/context.js';
import type { ServiceDeps } from '../service-deps.js';
import { verifySessionMfa } from './mfa.js';
import { refuseSessionCaller } from './session-callers.js';
import { expiryAfter, issueCredentials, type TemporaryCredentials } from './session-credentials.js';

/** AWS's default (12 hours), and the most a root session may last (longer asks are cut to it). */
export const USER_SESSION_DEFAULT_SECONDS = 43_200;
export const ROOT_SESSION_MAX_SECONDS = 3600;

/** GetSessionToken's parameters. */
export interface GetSessionTokenInput {
  durationSeconds?: number | undefined;
  serialNumber?: string | undefined;
  tokenCode?: string | undefined;
}

/** Issues a session for the calling user or root. */
export async function getSessionToken(deps: ServiceDeps, input: GetSessionTokenInput, ctx: RequestContext): Promise<TemporaryCredentials> {
  const caller = ctx.caller;
  refuseSessionCaller(caller, 'GetSessionToken');
  const mfaAuthenticatedAt = await verifySessionMfa(deps, input, caller, ctx.now);
  let duration = input.durationSeconds ?? USER_SESSION_DEFAULT_SECONDS;
  // AWS: "If the duration is longer than one hour, the session for AWS account owners defaults to one hour."
  if (caller.type === 'Root') duration = Math.min(duration, ROOT_SESSION_MAX_SECONDS);
  return issueCredentials(deps, {
    type: caller.type,
    accountId: caller.accountId,
    arn: caller.arn,
    principalId: caller.principalId,
    ...(caller.userName !== undefined ? { userName: caller.userName } : {}),
    issuedBy: 'GetSessionToken',
    issuer: { type: caller.type === 'Root' ? 'Root' : 'IAMUser', id: caller.principalId, arn: caller.arn, name: caller.userName ?? '' },
    issuedAt: ctx.now,
    expiresAt: expiryAfter(ctx.now, duration),
    ...(mfaAuthenticatedAt !== undefined ? { mfaAuthenticatedAt } : {}),
  });
}
