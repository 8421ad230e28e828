/**
 * What AssumeRole and the federation calls (AssumeRoleWithWebIdentity, AssumeRoleWithSAML) share:
 * the role's trust policy as the resource's policy, the session a verified token asks for (its
 * tags, source identity and condition keys), the service request it maps to, and the response
 * members every role session returns.
 *
 * @module
 */
import { parseIamResourceArn } from '../../../../domain/arn.js';
import type { RequestContext } from '../../../../domain/context.js';
import type { ConditionContext, ResourcePolicy } from '../../../../domain/ports/authorizer.js';
import { iamEntityTagKeys } from '../../../../services/authorization/iam-target.js';
import { roleWithTagsOnce } from '../../../../services/request-reads.js';
import type { AssumeRoleInput, AssumeRoleResult } from '../../../../services/sts/assume-role.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';
import { roleAccountOf } from '../../../../services/sts/web-identity.js';
import type { AssumedRoleUser, Credentials, PolicyDescriptorType } from '../../../model/sts-types.js';
import { sessionTagKeys, toWireCredentials } from './sts-wire.js';

/** The role's trust policy, decided as the role's resource policy; none when the role does not exist. */
export async function roleTrustPolicy(input: { RoleArn: string }, ctx: RequestContext, deps: ServiceDeps): Promise<ResourcePolicy | undefined> {
  const found = await roleWithTagsOnce(deps, ctx, input.RoleArn);
  return found ? { kind: 'trust', policyId: `trust:${found.role.arn}`, document: found.role.assumeRolePolicyDocument } : undefined;
}

/**
 * The condition keys of the role a session call names: its tags as `aws:ResourceTag/<key>` and
 * `iam:ResourceTag/<key>`, as the Service Authorization Reference gives them to sts:AssumeRole
 * (and the `role` resource type); none when the role does not exist, so an unknown role is refused
 * as it was, telling nothing of it. sts:TagSession and sts:SetSourceIdentity are decided on the
 * same role with the same keys, and the trust policy with them too.
 */
export async function roleTagKeys(input: { RoleArn: string }, ctx: RequestContext, deps: ServiceDeps): Promise<ConditionContext> {
  const found = await roleWithTagsOnce(deps, ctx, input.RoleArn);
  return found ? iamEntityTagKeys(found.tags) : {};
}

/** CloudTrail's `AWS::IAM::*` resource entry for an IAM ARN of `type` (`role`, `saml-provider`), if it is one. */
function iamResource(arn: string, type: string, recordedType: string): Array<{ type: string; arn: string; accountId: string }> {
  const parsed = parseIamResourceArn(arn);
  return parsed?.type === type ? [{ type: recordedType, arn, accountId: parsed.accountId }] : [];
}

/**
 * The `resources` of a role session call's record: the role, as AWS's AssumeRole records list it
 * (`{"ARN": …, "accountId": …, "type": "AWS::IAM::Role"}`); AssumeRoleWithSAML's also the provider.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-integration.html
 */
export function roleSessionResources(input: { RoleArn: string; PrincipalArn?: string }): Array<{ type: string; arn: string; accountId: string }> {
  return [
    ...iamResource(input.RoleArn, 'role', 'AWS::IAM::Role'),
    ...(input.PrincipalArn !== undefined ? iamResource(input.PrincipalArn, 'saml-provider', 'AWS::IAM::SAMLProvider') : []),
  ];
}

/** The account an unverifiable federation call is recorded in: the role's, when its ARN parses. */
export function roleAccountOrNone(input: { RoleArn: string }): string | undefined {
  try {
    return roleAccountOf(input.RoleArn);
  } catch {
    return undefined;
  }
}

/** The session tags a verified token asks for, as STS's wire tags. */
export function federatedTags(ctx: RequestContext): Array<{ Key: string; Value: string }> | undefined {
  const tags = ctx.caller.federation?.session?.tags;
  return tags ? Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) : undefined;
}

/** sts:TagSession and sts:SetSourceIdentity, when the token asks for session tags or a source identity. */
export function federatedSessionActions(_input: unknown, ctx: RequestContext): string[] {
  const asked = ctx.caller.federation?.session;
  return [...(asked?.tags ? ['sts:TagSession'] : []), ...(asked?.sourceIdentity !== undefined ? ['sts:SetSourceIdentity'] : [])];
}

/** The token's condition keys, with the session's name, source identity and tags, and the role's tags. */
export async function federatedConditionKeys(input: { RoleArn: string }, ctx: RequestContext, deps: ServiceDeps, roleSessionName: string | undefined): Promise<ConditionContext> {
  const f = ctx.caller.federation;
  return {
    ...(await roleTagKeys(input, ctx, deps)),
    ...f?.conditionKeys,
    ...(roleSessionName !== undefined ? { 'sts:RoleSessionName': roleSessionName } : {}),
    ...(f?.session?.sourceIdentity !== undefined ? { 'sts:SourceIdentity': f.session.sourceIdentity } : {}),
    ...sessionTagKeys(federatedTags(ctx), f?.session?.transitiveTagKeys),
  };
}

/**
 * What a federation call's record shows of the session its verified token asked for, beside the
 * call's own parameters, as AWS's AssumeRoleWithSAML and AssumeRoleWithWebIdentity records do
 * (`sAMLAssertionID`, `roleSessionName` from a SAML assertion, `sourceIdentity`, `principalTags`,
 * `transitiveTagKeys`; IAM User Guide, "Logging IAM and AWS STS API calls with AWS CloudTrail").
 * The token itself stays hidden.
 */
export function federatedRecordedExtras(ctx: RequestContext): Record<string, unknown> | undefined {
  const f = ctx.caller.federation;
  if (!f) return undefined;
  const asked = f.session;
  const extras: Record<string, unknown> = {
    ...(f.assertionId !== undefined ? { SAMLAssertionID: f.assertionId } : {}),
    ...(f.kind === 'SAML' && asked?.roleSessionName !== undefined ? { RoleSessionName: asked.roleSessionName } : {}),
    ...(asked?.sourceIdentity !== undefined ? { SourceIdentity: asked.sourceIdentity } : {}),
    ...(asked?.tags ? { PrincipalTags: { ...asked.tags } } : {}),
    ...(asked?.transitiveTagKeys ? { TransitiveTagKeys: [...asked.transitiveTagKeys] } : {}),
  };
  return Object.keys(extras).length > 0 ? extras : undefined;
}

/** The wire members every federation call takes besides its token. */
interface FederatedSessionParams {
  RoleArn: string;
  DurationSeconds?: number;
  Policy?: string;
  PolicyArns?: PolicyDescriptorType[];
}

/** The role session a verified federation call asks for: the call's role and policies, the token's tags and source identity. */
export function federatedSessionRequest(
  input: FederatedSessionParams,
  ctx: RequestContext,
  issuedBy: 'AssumeRoleWithWebIdentity' | 'AssumeRoleWithSAML',
  session: { roleSessionName: string; durationSeconds: number | undefined },
): AssumeRoleInput {
  const asked = ctx.caller.federation?.session;
  return {
    roleArn: input.RoleArn,
    roleSessionName: session.roleSessionName,
    durationSeconds: session.durationSeconds,
    policy: input.Policy,
    policyArns: input.PolicyArns,
    tags: federatedTags(ctx),
    transitiveTagKeys: asked?.transitiveTagKeys,
    sourceIdentity: asked?.sourceIdentity,
    notAfter: asked?.notAfter,
    issuedBy,
  };
}

/** The response members of every role session: credentials, the assumed-role user, packed size and source identity. */
export function roleSessionResponse(r: AssumeRoleResult): {
  Credentials: Credentials;
  AssumedRoleUser: AssumedRoleUser;
  PackedPolicySize?: number;
  SourceIdentity?: string;
} {
  return {
    Credentials: toWireCredentials(r.credentials),
    AssumedRoleUser: { AssumedRoleId: r.assumedRoleUser.assumedRoleId, Arn: r.assumedRoleUser.arn },
    ...(r.packedPolicySize !== undefined ? { PackedPolicySize: r.packedPolicySize } : {}),
    ...(r.sourceIdentity !== undefined ? { SourceIdentity: r.sourceIdentity } : {}),
  };
}
