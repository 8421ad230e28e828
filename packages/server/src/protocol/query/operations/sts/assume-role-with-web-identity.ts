import { stsOperation } from '../../../define-operation.js';
import { assumeRole as assumeRoleService } from '../../../../services/sts/assume-role.js';
import { authenticateWebIdentity } from '../../../../services/sts/web-identity.js';
import { federatedConditionKeys, federatedRecordedExtras, federatedSessionActions, federatedSessionRequest, roleAccountOrNone, roleSessionResponse, roleTrustPolicy, roleSessionResources } from './role-session.js';

/**
 * sts:AssumeRoleWithWebIdentity. AWS accepts it unsigned: the caller is whoever the OpenID Connect
 * token proves (`tokenAuthentication`, verified by `services/sts/web-identity.ts`), then decided
 * by the role's trust policy (`Principal: { Federated: <provider ARN> }`) with the token's claims
 * as condition keys, and recorded in the role's account. Session tags and a source identity in
 * the token's AWS claims need sts:TagSession and sts:SetSourceIdentity too, as on AWS.
 */
export const assumeRoleWithWebIdentity = stsOperation('AssumeRoleWithWebIdentity', {
  tokenAuthentication: {
    accountId: roleAccountOrNone,
    authenticate: (input, ctx, deps) => authenticateWebIdentity(deps, { roleArn: input.RoleArn, webIdentityToken: input.WebIdentityToken }, ctx.now),
  },
  resource: (input) => input.RoleArn,
  resourcePolicy: roleTrustPolicy,
  recordedResources: roleSessionResources,
  recordedRequestExtras: (_input, ctx) => federatedRecordedExtras(ctx),
  alsoAuthorizedActions: federatedSessionActions,
  conditionKeys: (input, ctx, deps) => federatedConditionKeys(input, ctx, deps, input.RoleSessionName),
  execute: async (input, ctx, deps) => {
    const f = ctx.caller.federation!;
    const session = { roleSessionName: input.RoleSessionName, durationSeconds: input.DurationSeconds };
    const r = await assumeRoleService(deps, federatedSessionRequest(input, ctx, 'AssumeRoleWithWebIdentity', session), ctx);
    return { ...roleSessionResponse(r), SubjectFromWebIdentityToken: f.subject, Provider: f.providerArn, Audience: f.audience };
  },
});
