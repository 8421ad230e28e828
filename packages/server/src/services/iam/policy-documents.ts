/**
 * Policy documents as IAM receives them: validated with the engine for where they are attached,
 * and refused with AWS's `MalformedPolicyDocument` / `LimitExceeded` wording. Also the
 * policy-related NoSuchEntity texts and ARN checks the policy services share.
 *
 * @module
 */
import { parsePolicy, policySize, type Diagnostic, type Policy, type PolicyKind } from '@castellan/policy';
import { PARTITION, parseIamResourceArn } from '../../domain/arn.js';
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

/** The IAM resource types AWS lists when an IAM ARN names none of them. */
const IAM_RESOURCE_PATH_TEXT =
  'IAM resource path must either be "*" or start with user/, federated-user/, role/, group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, report/, access-report/.';

/**
 * AWS's wording for one error of a document. AWS gives no path and, for most structural problems,
 * only "Syntax errors in policy."; the specific texts below are the ones AWS returns (`Policy
 * statement must contain actions.`, `Resource x must be in ARN format or "*".`, ...). Sources:
 * AWS's answers recorded in getmoto/moto tests/test_iam/test_iam_policies.py and quoted in public
 * issues (cloudera-labs/cloudera.exe#112, aws/aws-cdk#22445, aws/aws-cdk#13104,
 * AWSCookbook/Security#2).
 */
function malformedMessage(d: Diagnostic, use: DocumentUse | 'resource', json: unknown): string {
  const m = d.message;
  // A trust policy that is not JSON: "This policy contains invalid Json" (AWSCookbook/Security#2,
  // aws-samples/aws-microservices-deploy-options#118; localstack/localstack#8453 checked it on AWS).
  if (use === 'trust' && /^invalid JSON/.test(m)) return 'This policy contains invalid Json';
  if (/must not specify a principal/.test(m)) return 'Policy document should not specify a principal.';
  // AWS's own (odd) text for a trust policy statement without a principal.
  if (use === 'trust' && /must contain `Principal`/.test(m)) return 'Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in policy has a statement with no principals!';
  if (use === 'trust' && /must not contain `Resource` or `NotResource`/.test(m)) return `Has prohibited field ${d.path.endsWith('NotResource') ? 'NotResource' : 'Resource'}`;
  // hashicorp/terraform-provider-aws#32872 quotes it for a trust policy action AWS refused.
  if (use === 'trust' && /may only specify `sts:` actions/.test(m)) return 'AssumeRole policy may only specify STS AssumeRole actions.';
  const principal = /^invalid principal `(.*?)`/.exec(m)?.[1];
  if (principal !== undefined) {
    const type = /\.(AWS|Service|Federated|CanonicalUser)$/.exec(d.path)?.[1] ?? 'AWS';
    return `Invalid principal in policy: "${type === 'AWS' ? 'AWS' : type.toUpperCase()}":"${principal}"`;
  }
  if (/^`Effect` must be `Allow` or `Deny`/.test(m)) {
    // A wrongly cased Allow/Deny fails AWS's "legacy parsing"; anything else is a syntax error.
    return /^(allow|deny)$/i.test(effectAt(json, d.path) ?? '') ? LEGACY : SYNTAX;
  }
  if (SYNTAX_ERRORS.some((re) => re.test(m))) return SYNTAX;
  if (/^statement must contain `Action` or `NotAction`/.test(m) || /^`(Action|NotAction)` must not be empty/.test(m)) return ACTIONS_MISSING;
  if (/^policy statement must contain `Resource` or `NotResource`/.test(m) || /^`(Resource|NotResource)` must not be empty/.test(m)) return RESOURCES_MISSING;
  if (/^statement ids must be unique/.test(m)) return 'Statement IDs (SID) in a single policy must be unique.';
  if (/^statement id `.*` must be alphanumeric$/.test(m)) return 'Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*';
  const action = /^action `(.*)` must be `\*` or `service:action`/.exec(m)?.[1];
  const actionText = action === undefined ? undefined : actionMessage(action);
  if (actionText !== undefined) return actionText;
  const resource = /^resource `(.*)` must be an ARN or `\*`$/.exec(m)?.[1];
  if (resource !== undefined) return `Resource ${resource} must be in ARN format or "*".`;
  const partition = /^partition `(.*)` is not valid for resource `(.*)`$/.exec(m);
  if (partition) return `Partition "${partition[1]}" is not valid for resource "${partition[2]}".`;
  if (/^resource `.*` must name a service/.test(m)) return 'Resource vendor must be fully qualified and cannot contain regexes.';
  if (/^resource `.*` cannot be read as an ARN/.test(m)) return LEGACY;
  const iamRegion = /^an IAM resource cannot contain a region: `(.*)`$/.exec(m)?.[1];
  if (iamRegion !== undefined) return `IAM resource ${iamRegion} cannot contain region information.`;
  const s3Region = /^an S3 resource cannot contain a region: `(.*)`$/.exec(m)?.[1];
  if (s3Region !== undefined) return `Resource ${s3Region} can not contain region information.`;
  if (/^an IAM resource `.*` must name `\*` or a path/.test(m)) return IAM_RESOURCE_PATH_TEXT;
  // A condition value an operator cannot read (a bad date, a number that is not one).
  if (/\(operator `[^`]*`\)$/.test(m) || /^`Null` takes/.test(m)) return LEGACY;
  const text = m.charAt(0).toUpperCase() + m.slice(1);
  return (d.path ? `${text} (${d.path}).` : `${text}.`).replace(/`/g, '');
}

const SYNTAX = 'Syntax errors in policy.';
const LEGACY = 'The policy failed legacy parsing';
const ACTIONS_MISSING = 'Policy statement must contain actions.';
const RESOURCES_MISSING = 'Policy statement must contain resources.';

/**
 * The stage in which AWS finds a problem, by its text: of several problems AWS reports one of the
 * earliest stage, whatever the statements' order. Syntax, then legacy parsing (an `Effect` in the
 * wrong case, a condition value or ARN it cannot read), then Sids, then a missing Action, then
 * the format of resources, then action vendors, then a missing Resource, then the rest (principals).
 * The order is AWS's answers to documents with two problems, recorded in getmoto/moto
 * tests/test_iam/test_iam_policies.py (e.g. `Action: "invalid"` without a Resource answers the
 * vendor text; `Action: "s:3:x"` with `Resource: "sdfsadf"` answers the ARN text; a Sid repeated in
 * a statement with no Action answers the Sid text).
 */
function stage(text: string): number {
  if (text === SYNTAX || text === 'This policy contains invalid Json') return 0;
  if (text === LEGACY) return 1;
  if (text.startsWith('Statement IDs (SID)')) return 2;
  if (text === ACTIONS_MISSING) return 3;
  if (/^(Resource .* must be in ARN format|Partition "|Resource vendor|IAM resource|Resource .* can not contain region)/.test(text)) return 4;
  if (/^(Actions\/Condition|Vendor .* is not valid|Action vendors)/.test(text)) return 5;
  if (text === RESOURCES_MISSING) return 6;
  return 7;
}

/** The one error AWS reports for a document: the first of the earliest stage. */
function firstMalformedText(diagnostics: readonly Diagnostic[], use: DocumentUse | 'resource', json: unknown): string {
  let best: { text: string; stage: number } | undefined;
  for (const d of diagnostics) {
    if (d.severity !== 'error') continue;
    const text = malformedMessage(d, use, json);
    const st = stage(text);
    if (!best || st < best.stage) best = { text, stage: st };
  }
  return best?.text ?? SYNTAX;
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
  const parsed = parsePolicy(document, { kind: KIND[use], catalog: deps.catalog, partition: PARTITION });
  if (!parsed.ok) throw new MalformedPolicyDocumentError(firstMalformedText(parsed.diagnostics, use, json));
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
  return firstMalformedText(diagnostics, use, readJson(document));
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
