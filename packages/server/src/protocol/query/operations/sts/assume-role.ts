import { AccessDeniedError } from '../../../../domain/errors.js';
import { stsOperation } from '../../../define-operation.js';
import { assumeRole as assumeRoleService } from '../../../../services/sts/assume-role.js';
import { inheritedTags } from '../../../../services/sts/session-grant.js';
import { roleSessionResponse, roleTagKeys, roleTrustPolicy, roleSessionResources } from './role-session.js';
import { sessionTagKeys } from './sts-wire.js';

/**
 * sts:AssumeRole on the role ARN, decided with the role's trust policy as its resource policy
 * together with the caller's policies; sts:TagSession and sts:SetSourceIdentity are needed too
 * when the call sets session tags (or passes transitive ones on) or a source identity. All are
 * decided with the role's tags (`aws:ResourceTag/…`, `iam:ResourceTag/…`) when it exists. A call that
 * presents an MFA code is decided with `aws:MultiFactorAuthPresent` true (as the trust policies
 * that require MFA expect); the code itself is checked when the call executes, and a bad one
 * fails the call, so no session is issued on an unproven claim.
 */
export const assumeRole = stsOperation('AssumeRole', {
  // AWS refuses root before it looks at any policy (the trust policy would refuse it too, less clearly).
  resource: (input, ctx) => {
    if (ctx.caller.type === 'Root') throw new AccessDeniedError('Roles may not be assumed by root accounts.');
    return input.RoleArn;
  },
  resourcePolicy: roleTrustPolicy,
  recordedResources: roleSessionResources,
  // A chained call's record shows the transitive tags it inherits, as AWS's do
  // (`"incomingTransitiveTags": {"Department": "Engineering"}`, IAM User Guide, cloudtrail-integration).
  recordedRequestExtras: (_input, ctx) => {
    const inherited = inheritedTags(ctx.caller);
    return inherited.keys.length > 0 ? { IncomingTransitiveTags: inherited.tags } : undefined;
  },
  alsoAuthorizedActions: (input, ctx) => [
    ...((input.Tags?.length ?? 0) > 0 || inheritedTags(ctx.caller).keys.length > 0 ? ['sts:TagSession'] : []),
    ...(input.SourceIdentity !== undefined ? ['sts:SetSourceIdentity'] : []),
  ],
  conditionKeys: async (input, ctx, deps) => ({
    ...(await roleTagKeys(input, ctx, deps)),
    ...(input.SerialNumber !== undefined && input.TokenCode !== undefined ? { 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '0' } : {}),
    'sts:RoleSessionName': input.RoleSessionName,
    ...(input.ExternalId !== undefined ? { 'sts:ExternalId': input.ExternalId } : {}),
    ...(input.SourceIdentity !== undefined ? { 'sts:SourceIdentity': input.SourceIdentity } : {}),
    ...sessionTagKeys(input.Tags, input.TransitiveTagKeys),
  }),
  execute: async (input, ctx, deps) => {
    const r = await assumeRoleService(
      deps,
      {
        roleArn: input.RoleArn,
        roleSessionName: input.RoleSessionName,
        durationSeconds: input.DurationSeconds,
        policy: input.Policy,
        policyArns: input.PolicyArns,
        tags: input.Tags,
        transitiveTagKeys: input.TransitiveTagKeys,
        externalId: input.ExternalId,
        serialNumber: input.SerialNumber,
        tokenCode: input.TokenCode,
        sourceIdentity: input.SourceIdentity,
      },
      ctx,
    );
    return roleSessionResponse(r);
  },
});
