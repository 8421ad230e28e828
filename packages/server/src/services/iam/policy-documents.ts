/**
 * Policy documents as IAM receives them: validated with the engine for where they are attached,
 * and refused with AWS's `MalformedPolicyDocument` / `LimitExceeded` wording. Also the
 * policy-related NoSuchEntity texts and ARN checks the policy services share.
 *
 * @module
 */
import { parsePolicy, policySize, type Diagnostic, type Policy, type PolicyKind } from '@castellan/policy';
import { parseIamResourceArn } from '../../domain/arn.js';
import { InvalidInputError, LimitExceededError, MalformedPolicyDocumentError, NoSuchEntityError } from '../../domain/errors.js';
import { IAM_QUOTAS } from '../../domain/quotas.js';
import type { ServiceDeps } from '../service-deps.js';

/** Where a document is used, which decides its rules and its size quota. */
export type DocumentUse = 'managed' | 'inline' | 'trust' | 'boundary';

const KIND: Record<DocumentUse, PolicyKind> = { managed: 'identity', inline: 'identity', trust: 'trust', boundary: 'identity' };

/** AWS's wording for the first error of a document. */
function malformedMessage(d: Diagnostic, use: DocumentUse): string {
  if (d.message.startsWith('invalid JSON')) return 'Syntax errors in policy.';
  if (/must not specify a principal/.test(d.message)) return 'Policy document should not specify a principal.';
  if (use === 'trust' && /must contain `Principal`/.test(d.message)) return 'Missing required field Principal';
  // AWS's wording for a statement without one of its required elements.
  if (/must contain an `Effect`/.test(d.message)) return 'Missing required field Effect';
  if (/must contain `Action` or `NotAction`/.test(d.message)) return 'Missing required field Action';
  if (/must contain `Resource` or `NotResource`/.test(d.message)) return 'Missing required field Resource';
  const text = d.message.charAt(0).toUpperCase() + d.message.slice(1).replace(/`/g, '');
  return d.path ? `${text} (${d.path}).` : `${text}.`;
}

/**
 * Parses `document` for `use` or throws `MalformedPolicyDocument`; for managed and trust
 * documents also AWS's size quota (`LimitExceeded`). Inline policies are counted per entity by
 * {@link inlinePolicySize}.
 */
export function validatePolicyDocument(deps: Pick<ServiceDeps, 'catalog'>, document: string, use: DocumentUse): Policy {
  const parsed = parsePolicy(document, { kind: KIND[use], catalog: deps.catalog });
  if (!parsed.ok) {
    const first = parsed.diagnostics.find((d) => d.severity === 'error') ?? parsed.diagnostics[0]!;
    throw new MalformedPolicyDocumentError(malformedMessage(first, use));
  }
  if (use === 'managed' && policySize(document, 'managed') > IAM_QUOTAS.managedPolicyChars) {
    throw new LimitExceededError(`Cannot exceed quota for PolicySize: ${IAM_QUOTAS.managedPolicyChars}`);
  }
  if (use === 'trust' && policySize(document, 'trust') > IAM_QUOTAS.trustPolicyChars) {
    throw new LimitExceededError(`Cannot exceed quota for ACLSizePerRole: ${IAM_QUOTAS.trustPolicyChars}`);
  }
  return parsed.policy;
}

/** The size of an inline document as AWS counts it against the entity's aggregate quota. */
export function inlinePolicySize(document: string): number {
  return policySize(document, 'userInline');
}

/** NoSuchEntity for a managed policy ARN that GetPolicy-style operations cannot find. */
export function noSuchPolicy(arn: string): NoSuchEntityError {
  return new NoSuchEntityError(`Policy ${arn} was not found.`);
}

/** NoSuchEntity for a policy ARN that cannot be attached (missing, or not attachable). */
export function policyNotAttachable(arn: string): NoSuchEntityError {
  return new NoSuchEntityError(`Policy ${arn} does not exist or is not attachable.`);
}

/** Refuses an ARN that is not a managed policy ARN (`arn:aws:iam::ACCOUNT|aws:policy/…`). */
export function checkPolicyArn(arn: string, field = 'PolicyArn'): void {
  const parsed = parseIamResourceArn(arn);
  if (!parsed || parsed.type !== 'policy' || !(parsed.accountId === 'aws' || /^\d{12}$/.test(parsed.accountId))) {
    throw new InvalidInputError(`ARN ${arn} is not valid.`.replace('ARN', field === 'PolicyArn' ? 'ARN' : `${field} ARN`));
  }
}
