/**
 * sts:AssumeRole. The pipeline has already decided the call with the role's trust policy as the
 * resource's policy and the caller's own policies (and sts:TagSession / sts:SetSourceIdentity when
 * the call sets tags or a source identity); this checks what AWS checks besides and issues the
 * session.
 *
 * @module
 */
import { assumedRoleArn, parseIamResourceArn } from '../../domain/arn.js';
import type { RequestContext } from '../../domain/context.js';
import { AccessDeniedError, ValidationError } from '../../domain/errors.js';
import type { RoleRow, Store } from '../../store/store.js';
import type { ServiceDeps } from '../service-deps.js';
import { inheritedTags, requireSessionPolicies, sessionGrant, type SessionGrantInput } from './session-grant.js';
import { expiryAfter, issueCredentials, type TemporaryCredentials } from './session-credentials.js';
import { verifySessionMfa } from './mfa.js';
import { refuseRestrictedSession, temporaryCaller } from './session-callers.js';

/** AWS's default session length for AssumeRole, and the most a session assumed with temporary credentials may last. */
export const ROLE_SESSION_DEFAULT_SECONDS = 3600;
export const ROLE_CHAINING_MAX_SECONDS = 3600;

/** AssumeRole's parameters. */
export interface AssumeRoleInput extends SessionGrantInput {
  roleArn: string;
  roleSessionName: string;
  durationSeconds?: number | undefined;
  externalId?: string | undefined;
  serialNumber?: string | undefined;
  tokenCode?: string | undefined;
  sourceIdentity?: string | undefined;
  /** A time the session must end by even if its duration would last longer (SAML's `SessionNotOnOrAfter`). */
  notAfter?: Date | undefined;
  /** The call issuing the session: AssumeRole, or a federation call whose caller is an identity provider's user. */
  issuedBy?: 'AssumeRole' | 'AssumeRoleWithWebIdentity' | 'AssumeRoleWithSAML';
}

/** What AssumeRole returns. */
export interface AssumeRoleResult {
  credentials: TemporaryCredentials;
  assumedRoleUser: { assumedRoleId: string; arn: string };
  packedPolicySize?: number;
  sourceIdentity?: string;
}

/** The role an ARN names, when it exists with exactly that ARN. */
export async function findRoleByArn(store: Store, arn: string): Promise<RoleRow | undefined> {
  const parsed = parseIamResourceArn(arn);
  if (!parsed || parsed.type !== 'role') return undefined;
  const role = await store.getRoleByName(parsed.accountId, parsed.name);
  return role && role.arn === arn ? role : undefined;
}

/** AWS's denial of sts:AssumeRole, as when the trust policy does not allow the caller. */
function notAuthorized(ctx: RequestContext, roleArn: string): AccessDeniedError {
  return new AccessDeniedError(`User: ${ctx.caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
}

/** Issues a role session. */
export async function assumeRole(deps: ServiceDeps, input: AssumeRoleInput, ctx: RequestContext): Promise<AssumeRoleResult> {
  const caller = ctx.caller;
  if (caller.type === 'Root') throw new AccessDeniedError('Roles may not be assumed by root accounts.');
  const role = await findRoleByArn(deps.store, input.roleArn);
  if (!role) throw notAuthorized(ctx, input.roleArn);
  refuseRestrictedSession(caller, 'AssumeRole');

  // Any temporary credentials count as a chain: AWS holds a GetSessionToken session (and a
  // console's switch of role) to the hour too.
  const chained = temporaryCaller(caller);
  const duration = input.durationSeconds ?? ROLE_SESSION_DEFAULT_SECONDS;
  if (chained && duration > ROLE_CHAINING_MAX_SECONDS) {
    throw new ValidationError('The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
  }
  if (duration > role.maxSessionDuration) throw new ValidationError('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');

  const grant = sessionGrant(deps, input, inheritedTags(caller));
  await requireSessionPolicies(deps, grant, role.accountId);
  // A source identity, once set, stays with every session chained from it and cannot be changed
  // (AWS: "The value that is set cannot be changed during the role session"; the text is ours).
  const inheritedSource = caller.session?.sourceIdentity;
  if (inheritedSource !== undefined && input.sourceIdentity !== undefined && input.sourceIdentity !== inheritedSource) {
    throw new AccessDeniedError(`The source identity of the calling session (${inheritedSource}) cannot be changed in a chained role session.`);
  }
  const sourceIdentity = inheritedSource ?? input.sourceIdentity;
  // A code proven now, or the MFA of the session this one is chained from.
  const mfaAuthenticatedAt = (await verifySessionMfa(deps, input, caller, ctx.now)) ?? caller.session?.mfaAuthenticatedAt ?? caller.consoleSession?.mfaAuthenticatedAt;
  const byDuration = expiryAfter(ctx.now, duration);
  const expiresAt = input.notAfter && input.notAfter < byDuration ? input.notAfter : byDuration;
  const assumedRoleId = `${role.id}:${input.roleSessionName}`;
  const arn = assumedRoleArn(role.accountId, role.name, input.roleSessionName);
  const credentials = issueCredentials(deps, {
    type: 'AssumedRole',
    accountId: role.accountId,
    arn,
    principalId: assumedRoleId,
    issuedBy: input.issuedBy ?? 'AssumeRole',
    ...(caller.federation ? { federatedProvider: caller.federation.providerArn } : {}),
    issuer: { type: 'Role', id: role.id, arn: role.arn, name: role.name },
    sessionName: input.roleSessionName,
    issuedAt: ctx.now,
    expiresAt,
    ...(grant.policies ? { policies: grant.policies } : {}),
    ...(grant.policyArns ? { policyArns: grant.policyArns } : {}),
    ...(grant.tags ? { tags: grant.tags } : {}),
    ...(grant.transitiveTagKeys ? { transitiveTagKeys: grant.transitiveTagKeys } : {}),
    ...(sourceIdentity !== undefined ? { sourceIdentity } : {}),
    ...(mfaAuthenticatedAt !== undefined ? { mfaAuthenticatedAt } : {}),
  });
  await deps.store.recordRoleUse([{ roleId: role.id, usedAt: ctx.now, region: ctx.region }]);
  return {
    credentials,
    assumedRoleUser: { assumedRoleId, arn },
    ...(grant.packedPolicySize !== undefined ? { packedPolicySize: grant.packedPolicySize } : {}),
    ...(sourceIdentity !== undefined ? { sourceIdentity } : {}),
  };
}
