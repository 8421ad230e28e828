import { stsOperation } from '../../../define-operation.js';
import { assumeRole as assumeRoleService } from '../../../../services/sts/assume-role.js';
import { authenticateSaml } from '../../../../services/sts/saml.js';
import { federatedConditionKeys, federatedRecordedExtras, federatedSessionActions, federatedSessionRequest, roleAccountOrNone, roleSessionResponse, roleTrustPolicy, roleSessionResources } from './role-session.js';

/**
 * sts:AssumeRoleWithSAML. AWS accepts it unsigned: the caller is the IdP's user the SAML response
 * proves (`tokenAuthentication`, `services/sts/saml.ts`: signature, issuer, audience, recipient,
 * expiry, replay, and the Role attribute naming this role with this provider), then decided by the
 * role's trust policy (`Principal: { Federated: <saml-provider ARN> }`) with the `saml:*` keys, and
 * recorded in the role's account. The session's name, length, tags and source identity come from
 * the assertion's AWS attributes; its length from `DurationSeconds` alone (default an hour), as on
 * AWS, where the `SessionDuration` attribute bounds console sessions only.
 */
export const assumeRoleWithSAML = stsOperation('AssumeRoleWithSAML', {
  tokenAuthentication: {
    accountId: roleAccountOrNone,
    authenticate: (input, ctx, deps) => authenticateSaml(deps, { roleArn: input.RoleArn, principalArn: input.PrincipalArn, samlAssertion: input.SAMLAssertion }, ctx.now),
  },
  resource: (input) => input.RoleArn,
  resourcePolicy: roleTrustPolicy,
  recordedResources: roleSessionResources,
  recordedRequestExtras: (_input, ctx) => federatedRecordedExtras(ctx),
  alsoAuthorizedActions: federatedSessionActions,
  conditionKeys: (input, ctx, deps) => federatedConditionKeys(input, ctx, deps, ctx.caller.federation?.session?.roleSessionName),
  execute: async (input, ctx, deps) => {
    const f = ctx.caller.federation!;
    const session = { roleSessionName: f.session!.roleSessionName!, durationSeconds: input.DurationSeconds };
    const r = await assumeRoleService(deps, federatedSessionRequest(input, ctx, 'AssumeRoleWithSAML', session), ctx);
    return {
      ...roleSessionResponse(r),
      Subject: f.subject,
      SubjectType: f.subjectType ?? 'unspecified',
      Issuer: f.issuer,
      Audience: f.audience,
      NameQualifier: f.nameQualifier ?? '',
    };
  },
});
