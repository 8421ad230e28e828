import { stsOperation } from '../../../define-operation.js';
import type { RequestContext } from '../../../../domain/context.js';
import { assumeRole as assumeRoleService, findRoleByArn } from '../../../../services/sts/assume-role.js';
import { authenticateWebIdentity, roleAccountOf } from '../../../../services/sts/web-identity.js';
import { sessionTagKeys, toWireCredentials } from './sts-wire.js';

/** The session tags a verified token asks for, as STS's wire tags. */
export function federatedTags(ctx: RequestContext): Array<{ Key: string; Value: string }> | undefined {
  const tags = ctx.caller.federation?.session?.tags;
  return tags ? Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) : undefined;
}

/**
 * sts:AssumeRoleWithWebIdentity. AWS accepts it unsigned: the caller is whoever the OpenID Connect
 * token proves (`tokenAuthentication`, verified by `services/sts/web-identity.ts`), then decided
 * by the role's trust policy (`Principal: { Federated: <provider ARN> }`) with the token's claims
 * as condition keys, and recorded in the role's account. Session tags and a source identity in
 * the token's AWS claims need sts:TagSession and sts:SetSourceIdentity too, as on AWS.
 */
export const assumeRoleWithWebIdentity = stsOperation('AssumeRoleWithWebIdentity', {
  tokenAuthentication: {
    accountId: (input) => {
      try {
        return roleAccountOf(input.RoleArn);
      } catch {
        return undefined;
      }
    },
    authenticate: (input, ctx, deps) => authenticateWebIdentity(deps, { roleArn: input.RoleArn, webIdentityToken: input.WebIdentityToken }, ctx.now),
  },
  resource: (input) => input.RoleArn,
  resourcePolicy: async (input, _ctx, deps) => {
    const role = await findRoleByArn(deps.store, input.RoleArn);
    return role ? { kind: 'trust', policyId: `trust:${role.arn}`, document: role.assumeRolePolicyDocument } : undefined;
  },
  alsoAuthorizedActions: (_input, ctx) => {
    const asked = ctx.caller.federation?.session;
    return [...(asked?.tags ? ['sts:TagSession'] : []), ...(asked?.sourceIdentity !== undefined ? ['sts:SetSourceIdentity'] : [])];
  },
  conditionKeys: (input, ctx) => {
    const f = ctx.caller.federation;
    return {
      ...f?.conditionKeys,
      'sts:RoleSessionName': input.RoleSessionName,
      ...(f?.session?.sourceIdentity !== undefined ? { 'sts:SourceIdentity': f.session.sourceIdentity } : {}),
      ...sessionTagKeys(federatedTags(ctx), f?.session?.transitiveTagKeys),
    };
  },
  execute: async (input, ctx, deps) => {
    const f = ctx.caller.federation!;
    const r = await assumeRoleService(
      deps,
      {
        roleArn: input.RoleArn,
        roleSessionName: input.RoleSessionName,
        durationSeconds: input.DurationSeconds,
        policy: input.Policy,
        policyArns: input.PolicyArns,
        tags: federatedTags(ctx),
        transitiveTagKeys: f.session?.transitiveTagKeys,
        sourceIdentity: f.session?.sourceIdentity,
        issuedBy: 'AssumeRoleWithWebIdentity',
      },
      ctx,
    );
    return {
      Credentials: toWireCredentials(r.credentials),
      SubjectFromWebIdentityToken: f.subject,
      AssumedRoleUser: { AssumedRoleId: r.assumedRoleUser.assumedRoleId, Arn: r.assumedRoleUser.arn },
      ...(r.packedPolicySize !== undefined ? { PackedPolicySize: r.packedPolicySize } : {}),
      Provider: f.providerArn,
      Audience: f.audience,
      ...(r.sourceIdentity !== undefined ? { SourceIdentity: r.sourceIdentity } : {}),
    };
  },
});
