import { stsOperation } from '../../../define-operation.js';
import { assumeRole as assumeRoleService, findRoleByArn } from '../../../../services/sts/assume-role.js';
import { authenticateSaml } from '../../../../services/sts/saml.js';
import { roleAccountOf } from '../../../../services/sts/web-identity.js';
import { federatedTags } from './assume-role-with-web-identity.js';
import { sessionTagKeys, toWireCredentials } from './sts-wire.js';

/**
 * sts:AssumeRoleWithSAML. AWS accepts it unsigned: the caller is the IdP's user the SAML response
 * proves (`tokenAuthentication`, `services/sts/saml.ts`: signature, issuer, audience, recipient,
 * expiry, replay, and the Role attribute naming this role with this provider), then decided by the
 * role's trust policy (`Principal: { Federated: <saml-provider ARN> }`) with the `saml:*` keys, and
 * recorded in the role's account. The session's name, length, tags and source identity come from
 * the assertion's AWS attributes; `DurationSeconds` wins over `SessionDuration`.
 */
export const assumeRoleWithSAML = stsOperation('AssumeRoleWithSAML', {
  tokenAuthentication: {
    accountId: (input) => {
      try {
        return roleAccountOf(input.RoleArn);
      } catch {
        return undefined;
      }
    },
    authenticate: (input, ctx, deps) => authenticateSaml(deps, { roleArn: input.RoleArn, principalArn: input.PrincipalArn, samlAssertion: input.SAMLAssertion }, ctx.now),
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
  conditionKeys: (_input, ctx) => {
    const f = ctx.caller.federation;
    return {
      ...f?.conditionKeys,
      ...(f?.session?.roleSessionName !== undefined ? { 'sts:RoleSessionName': f.session.roleSessionName } : {}),
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
        roleSessionName: f.session!.roleSessionName!,
        durationSeconds: input.DurationSeconds ?? f.session?.durationSeconds,
        policy: input.Policy,
        policyArns: input.PolicyArns,
        tags: federatedTags(ctx),
        transitiveTagKeys: f.session?.transitiveTagKeys,
        sourceIdentity: f.session?.sourceIdentity,
        issuedBy: 'AssumeRoleWithSAML',
      },
      ctx,
    );
    return {
      Credentials: toWireCredentials(r.credentials),
      AssumedRoleUser: { AssumedRoleId: r.assumedRoleUser.assumedRoleId, Arn: r.assumedRoleUser.arn },
      ...(r.packedPolicySize !== undefined ? { PackedPolicySize: r.packedPolicySize } : {}),
      Subject: f.subject,
      SubjectType: f.subjectType ?? 'unspecified',
      Issuer: f.issuer,
      Audience: f.audience,
      NameQualifier: f.nameQualifier ?? '',
      ...(r.sourceIdentity !== undefined ? { SourceIdentity: r.sourceIdentity } : {}),
    };
  },
});
