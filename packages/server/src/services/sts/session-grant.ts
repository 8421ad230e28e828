/**
 * What a caller asks a new session to carry besides its issuer's permissions: session policies
 * (`Policy`, `PolicyArns`) and session tags (`Tags`, `TransitiveTagKeys`), validated as STS does
 * and measured against the space a session may pack them in (`PackedPolicySize`).
 *
 * @module
 */
import { deflateRawSync } from 'node:zlib';
import { parsePolicy } from '@castellan/policy';
import { PARTITION, parseIamResourceArn } from '../../domain/arn.js';
import type { Principal } from '../../domain/context.js';
import { InvalidParameterValueError, MalformedPolicyDocumentError, PackedPolicyTooLargeError } from '../../domain/errors.js';
import { malformedPolicyText } from '../iam/policy-documents.js';
import { findPolicy } from '../iam/managed-policies.js';
import type { PolicyReader, ServiceDeps } from '../service-deps.js';

/**
 * The packed space, in compressed bytes, that session policies may take, and as much again for
 * session tags (see `sessionGrant`). AWS does not publish its figure; this one lets the largest
 * plain-text session policy (2,048 characters) pass and refuses what AWS's documentation says may
 * not fit (many long tags).
 */
export const PACKED_POLICY_BYTES = 2048;
/** AWS: up to 10 managed session policies. */
export const MAX_SESSION_POLICY_ARNS = 10;

/** The session parameters of AssumeRole and GetFederationToken. */
export interface SessionGrantInput {
  policy?: string | undefined;
  policyArns?: ReadonlyArray<{ arn?: string | undefined }> | undefined;
  tags?: ReadonlyArray<{ Key: string; Value: string }> | undefined;
  transitiveTagKeys?: readonly string[] | undefined;
}

/** The validated grant, ready to seal into a session. */
export interface SessionGrant {
  policies?: string[];
  policyArns?: string[];
  tags?: Record<string, string>;
  transitiveTagKeys?: string[];
  /** Percent of the packed space used, when the session carries policies or tags (inherited ones included). */
  packedPolicySize?: number;
}

/** The tags a calling session passes on (its transitive ones), with their keys. */
export function inheritedTags(caller: Principal): { tags: Record<string, string>; keys: string[] } {
  const s = caller.session;
  const tags: Record<string, string> = {};
  const keys: string[] = [];
  for (const k of s?.transitiveTagKeys ?? []) {
    const v = s?.tags?.[k];
    if (v !== undefined) {
      tags[k] = v;
      keys.push(k);
    }
  }
  return { tags, keys };
}

/** Validates the session parameters; `inherited` are the transitive tags of a calling session. */
export function sessionGrant(deps: Pick<ServiceDeps, 'catalog'>, input: SessionGrantInput, inherited: { tags: Record<string, string>; keys: string[] } = { tags: {}, keys: [] }): SessionGrant {
  const grant: SessionGrant = {};
  if (input.policy !== undefined) {
    const parsed = parsePolicy(input.policy, { kind: 'session', catalog: deps.catalog, partition: PARTITION });
    if (!parsed.ok) throw new MalformedPolicyDocumentError(malformedPolicyText(input.policy, parsed.diagnostics, 'inline'));
    grant.policies = [input.policy];
  }
  const arns = (input.policyArns ?? []).map((d) => d.arn ?? '');
  if (arns.length > MAX_SESSION_POLICY_ARNS) {
    throw new InvalidParameterValueError(`The number of managed session policies must not exceed ${MAX_SESSION_POLICY_ARNS}.`);
  }
  for (const arn of arns) {
    const parsed = parseIamResourceArn(arn);
    if (!parsed || parsed.type !== 'policy') throw new InvalidParameterValueError(`Invalid policy ARN: ${arn}`);
  }
  if (arns.length > 0) grant.policyArns = [...new Set(arns)];

  const tags: Record<string, string> = {};
  const seen = new Map<string, string>();
  for (const t of input.tags ?? []) {
    const lower = t.Key.toLowerCase();
    // Session tags follow IAM's tag rules ("Passing session tags in AWS STS", IAM User Guide), which
    // reserve the aws: prefix. AWS does not document the code or text: STS's InvalidParameterValue, Castellan's words.
    if (lower.startsWith('aws:')) throw new InvalidParameterValueError(`The session tag key ${t.Key} is not valid: keys that start with "aws:" are reserved for AWS use.`);
    if (seen.has(lower)) throw new InvalidParameterValueError(`Duplicate tag keys found. Please note that Tag keys are case insensitive.`);
    seen.set(lower, t.Key);
    tags[t.Key] = t.Value;
  }
  // AWS: "If you pass a session tag with the same key as an inherited tag, the operation fails",
  // whatever its value (keys compare case-insensitively).
  for (const [k, v] of Object.entries(inherited.tags)) {
    if (seen.has(k.toLowerCase())) {
      throw new InvalidParameterValueError(`One or more session tags conflict with the transitive session tags of the calling session: ${k}.`);
    }
    tags[k] = v;
  }
  const transitive = new Set(inherited.keys);
  for (const k of input.transitiveTagKeys ?? []) {
    const key = seen.get(k.toLowerCase());
    if (key === undefined) throw new InvalidParameterValueError(`The transitive tag key ${k} is not among the session tags.`);
    transitive.add(key);
  }
  if (Object.keys(tags).length > 0) grant.tags = tags;
  if (transitive.size > 0) grant.transitiveTagKeys = [...transitive];

  // AWS documents PackedPolicySize as the session policies and session tags combined, but its
  // errors name one part ("Packed policy consumes N% of allotted space, please use smaller
  // policy." or "Packed size of session tags consumes N% of allotted space.", the latter in
  // aws-actions/configure-aws-credentials#1803). Castellan measures each part against its own
  // space, refuses the part over 100% with that part's text, and reports the fuller part.
  const policies = input.policy !== undefined || arns.length > 0 ? packedPercent([input.policy ?? '', arns]) : undefined;
  // Inherited transitive tags are packed too, even when the caller passes no tags of its own: a
  // chained AssumeRole carrying them reports a PackedPolicySize on AWS (aws/containers-roadmap#2413).
  const tagged = grant.tags !== undefined ? packedPercent(grant.tags) : undefined;
  if (policies !== undefined && policies > 100) throw new PackedPolicyTooLargeError(`Packed policy consumes ${policies}% of allotted space, please use smaller policy.`);
  if (tagged !== undefined && tagged > 100) throw new PackedPolicyTooLargeError(`Packed size of session tags consumes ${tagged}% of allotted space.`);
  if (policies !== undefined || tagged !== undefined) grant.packedPolicySize = Math.max(policies ?? 0, tagged ?? 0);
  return grant;
}

/** The percentage of the packed space `value` takes, compressed. */
function packedPercent(value: unknown): number {
  return Math.ceil((deflateRawSync(JSON.stringify(value)).length * 100) / PACKED_POLICY_BYTES);
}

/**
 * Refuses managed session policies (`PolicyArns`) that do not exist in `accountId` (the role's,
 * or the federating user's) or among AWS's, when the session is asked for rather than at each use.
 * InvalidParameterValue with IAM's wording for a missing policy: AWS's STS text is not documented.
 */
export async function requireSessionPolicies(deps: PolicyReader, grant: SessionGrant, accountId: string): Promise<void> {
  for (const arn of grant.policyArns ?? []) {
    if (!(await findPolicy(deps, accountId, arn))) throw new InvalidParameterValueError(`Policy ${arn} does not exist or is not attachable.`);
  }
}
