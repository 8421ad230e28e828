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

/** Engine diagnostics that AWS reports with the catch-all "Syntax errors in policy." */
const SYNTAX_ERRORS = [
  /^invalid JSON/,
  /^policy document must be a JSON object/,
  /^duplicate element/,
  /^unknown element/,
  /^the policy language version must be/,
  /^`Id` must be a string/,
  /^policy document must contain a `Statement`/,
  /^`Statement` must contain at least one statement/,
  /^each `\w+` value must be a string/,
  /^`\w+` must be a string or an array of strings/,
  /^each statement must be a JSON object/,
  /^`Sid` must be a string/,
  /^statement must contain an `Effect`/,
  /^statement must not contain both/,
  /^`Condition` must be an object/,
  /^unknown condition operator/,
  /^unknown set operator/,
  /^`[^`]*` is not a condition operator/,
  /^duplicate condition operator/,
  /^condition operator `[^`]*` must map/,
  /^condition values must be strings/,
];

/**
 * AWS's wording for the first error of a document. AWS gives no path and, for most structural
 * problems, only "Syntax errors in policy."; the specific texts below are the ones AWS returns
 * (`Policy statement must contain actions.`, `Resource x must be in ARN format or "*".`, ...).
 */
function malformedMessage(d: Diagnostic, use: DocumentUse | 'resource', json: unknown): string {
  const m = d.message;
  if (/must not specify a principal/.test(m)) return 'Policy document should not specify a principal.';
  // AWS's own (odd) text for a trust policy statement without a principal.
  if (use === 'trust' && /must contain `Principal`/.test(m)) return 'Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in policy has a statement with no principals!';
  if (use === 'trust' && /must not contain `Resource` or `NotResource`/.test(m)) return `Has prohibited field ${d.path.endsWith('NotResource') ? 'NotResource' : 'Resource'}`;
  const principal = /^invalid principal `(.*?)`/.exec(m)?.[1];
  if (principal !== undefined) {
    const type = /\.(AWS|Service|Federated|CanonicalUser)$/.exec(d.path)?.[1] ?? 'AWS';
    return `Invalid principal in policy: "${type === 'AWS' ? 'AWS' : type.toUpperCase()}":"${principal}"`;
  }
  if (/^`Effect` must be `Allow` or `Deny`/.test(m)) {
    // A wrongly cased Allow/Deny fails AWS's "legacy parsing"; anything else is a syntax error.
    return /^(allow|deny)$/i.test(effectAt(json, d.path) ?? '') ? 'The policy failed legacy parsing' : 'Syntax errors in policy.';
  }
  if (SYNTAX_ERRORS.some((re) => re.test(m))) return 'Syntax errors in policy.';
  if (/^statement must contain `Action` or `NotAction`/.test(m) || /^`(Action|NotAction)` must not be empty/.test(m)) return 'Policy statement must contain actions.';
  if (/^policy statement must contain `Resource` or `NotResource`/.test(m) || /^`(Resource|NotResource)` must not be empty/.test(m)) return 'Policy statement must contain resources.';
  if (/^statement ids must be unique/.test(m)) return 'Statement IDs (SID) in a single policy must be unique.';
  if (/^statement id `.*` must be alphanumeric$/.test(m)) return 'Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*';
  const action = /^action `(.*)` must be `\*` or `service:action`/.exec(m)?.[1];
  const actionText = action === undefined ? undefined : actionMessage(action);
  if (actionText !== undefined) return actionText;
  const resource = /^resource `(.*)` must be an ARN or `\*`$/.exec(m)?.[1];
  if (resource !== undefined) return `Resource ${resource} must be in ARN format or "*".`;
  // A condition value an operator cannot read (a bad date, a number that is not one).
  if (/\(operator `[^`]*`\)$/.test(m) || /^`Null` takes/.test(m)) return 'The policy failed legacy parsing';
  const text = m.charAt(0).toUpperCase() + m.slice(1);
  return (d.path ? `${text} (${d.path}).` : `${text}.`).replace(/`/g, '');
}

/** AWS's text for an action that is not `vendor:name`, or undefined when only its name is odd. */
function actionMessage(action: string): string | undefined {
  const colons = action.split(':').length - 1;
  if (colons === 0) return 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.';
  if (colons > 1) return 'Actions/Condition can contain only one colon.';
  const vendor = action.slice(0, action.indexOf(':'));
  if (/[*?]/.test(vendor)) return 'Action vendors (e.g., aws, ec2, etc.) must not contain wildcards';
  if (!/^[a-zA-Z0-9.-]+$/.test(vendor)) return `Vendor ${vendor} is not valid`;
  // The vendor is fine and the name has characters the engine refuses: keep its own text.
  return undefined;
}

/** The `Effect` value at a diagnostic's path (`Statement[2].Effect` or `Statement.Effect`), if a string. */
function effectAt(json: unknown, path: string): string | undefined {
  const m = /^Statement(?:\[(\d+)\])?\.Effect$/.exec(path);
  if (!m || typeof json !== 'object' || json === null) return undefined;
  const statements = (json as Record<string, unknown>)['Statement'];
  const statement = m[1] === undefined ? statements : Array.isArray(statements) ? statements[Number(m[1])] : undefined;
  const effect = typeof statement === 'object' && statement !== null ? (statement as Record<string, unknown>)['Effect'] : undefined;
  return typeof effect === 'string' ? effect : undefined;
}

/** The document as plain JSON, or undefined when it is not JSON. */
function readJson(document: string): unknown {
  try {
    return JSON.parse(document) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Parses `document` for `use` or throws `MalformedPolicyDocument`; for managed and trust
 * documents also AWS's size quota (`LimitExceeded`). Inline policies are counted per entity by
 * {@link inlinePolicySize}.
 */
export function validatePolicyDocument(deps: Pick<ServiceDeps, 'catalog'>, document: string, use: DocumentUse): Policy {
  const json = readJson(document);
  // Managed policies need the current language version; AWS checks this before anything else.
  if (use === 'managed' && typeof json === 'object' && json !== null && !Array.isArray(json)) {
    const version = (json as Record<string, unknown>)['Version'];
    if (version === undefined || version === '2008-10-17') throw new MalformedPolicyDocumentError('Policy document must be version 2012-10-17 or greater.');
  }
  const parsed = parsePolicy(document, { kind: KIND[use], catalog: deps.catalog });
  if (!parsed.ok) {
    const first = parsed.diagnostics.find((d) => d.severity === 'error') ?? parsed.diagnostics[0]!;
    throw new MalformedPolicyDocumentError(malformedMessage(first, use, json));
  }
  if (use === 'managed' && policySize(document, 'managed') > IAM_QUOTAS.managedPolicyChars) {
    throw new LimitExceededError(`Cannot exceed quota for PolicySize: ${IAM_QUOTAS.managedPolicyChars}`);
  }
  if (use === 'trust' && policySize(document, 'trust') > IAM_QUOTAS.trustPolicyChars) {
    throw new LimitExceededError(`Cannot exceed quota for ACLSizePerRole: ${IAM_QUOTAS.trustPolicyChars}`);
  }
  return parsed.policy;
}

/** AWS's MalformedPolicyDocument text for a document the engine refused (its first error). */
export function malformedPolicyText(document: string, diagnostics: readonly Diagnostic[], use: DocumentUse | 'resource'): string {
  const first = diagnostics.find((d) => d.severity === 'error') ?? diagnostics[0];
  return first ? malformedMessage(first, use, readJson(document)) : 'Syntax errors in policy.';
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
