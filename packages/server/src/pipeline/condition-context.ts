import type { Principal, RequestContext } from '../domain/context.js';
import type { AuthenticationFacts } from '../domain/ports/authenticator.js';
import type { ConditionContext } from '../domain/ports/authorizer.js';
import { principalArnOf } from '../domain/principal-arn.js';

/** What the request context does not carry but global condition keys need. */
export interface TransportFacts {
  /** True when the client's connection (or the trusted proxy's) used TLS. */
  secureTransport: boolean;
}

/** `aws:PrincipalType` values (IAM global condition context keys reference). */
function principalType(p: Principal): string {
  switch (p.type) {
    case 'Root':
      return 'Account';
    case 'IAMUser':
      return 'User';
    case 'AssumedRole':
      return 'AssumedRole';
    case 'FederatedUser':
      return 'FederatedUser';
    default:
      return p.type;
  }
}

/**
 * The global `aws:*` condition keys of a request, built from the caller and the facts its
 * authentication established, as AWS sets them: keys that do not apply are absent (not empty),
 * e.g. `aws:username` only for IAM users and `aws:MultiFactorAuthPresent`/`aws:TokenIssueTime`
 * only for temporary credentials. The principal's own tags are left to the authorizer, which loads
 * them with the caller's policies; session tags are here.
 */
export function buildConditionContext(ctx: RequestContext, facts: AuthenticationFacts, transport: TransportFacts): ConditionContext {
  const p = ctx.caller;
  const second = Math.floor(ctx.now.getTime() / 1000);
  if (second !== currentSecond.second) currentSecond = { second, iso: isoSeconds(ctx.now), epoch: String(second) };
  const out: ConditionContext = {
    'aws:SourceIp': ctx.sourceIp,
    'aws:CurrentTime': currentSecond.iso,
    'aws:EpochTime': currentSecond.epoch,
    'aws:SecureTransport': String(transport.secureTransport),
    'aws:UserAgent': ctx.userAgent,
    'aws:PrincipalArn': principalArnOf(p),
    'aws:PrincipalAccount': p.accountId,
    'aws:userid': p.principalId,
    'aws:PrincipalType': principalType(p),
    'aws:RequestedRegion': ctx.region,
    'aws:ViaAWSService': 'false',
    'aws:PrincipalIsAWSService': 'false',
  };
  if (p.type === 'IAMUser' && p.userName) out['aws:username'] = p.userName;
  if (facts.temporaryCredentials) {
    out['aws:MultiFactorAuthPresent'] = String(facts.mfaAuthenticatedAt !== undefined);
    if (facts.tokenIssuedAt) out['aws:TokenIssueTime'] = isoSeconds(facts.tokenIssuedAt);
  }
  if (facts.mfaAuthenticatedAt) {
    out['aws:MultiFactorAuthAge'] = String(Math.max(0, Math.floor((ctx.now.getTime() - facts.mfaAuthenticatedAt.getTime()) / 1000)));
  }
  if (facts.sourceIdentity !== undefined) out['aws:SourceIdentity'] = facts.sourceIdentity;
  if (facts.sessionTags) for (const [k, v] of Object.entries(facts.sessionTags)) out[`aws:PrincipalTag/${k}`] = v;
  return out;
}

/** `aws:CurrentTime` and `aws:EpochTime` of the last second a request was made in: calls in the same second share them. */
let currentSecond = { second: Number.NaN, iso: '', epoch: '' };

/** ISO 8601 without milliseconds, as AWS writes date condition keys. */
function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
