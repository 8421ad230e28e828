/**
 * Human-readable explanations of decisions, and AWS's AccessDenied message text.
 */
import type { StatementRef } from '../compile/compile-policy.js';
import type { Decision } from './decision.js';
import type { AuthzRequest, PolicyLayer } from './request.js';

const LAYER_WORDS: Record<PolicyLayer, string> = {
  scp: 'service control policy',
  resource: 'resource-based policy',
  identity: 'identity-based policy',
  boundary: 'permissions boundary',
  session: 'session policy',
};
const LAYER_WITH_ARTICLE: Record<PolicyLayer, string> = {
  scp: 'a service control policy',
  resource: 'a resource-based policy',
  identity: 'an identity-based policy',
  boundary: 'a permissions boundary',
  session: 'a session policy',
};

/** `policy "ReadOnly" (ANPA…) statement 2 "DenyLogs" (Deny)`. */
export function describeStatement(ref: StatementRef): string {
  const policy = ref.policyName ? `${ref.policyKind} policy "${ref.policyName}" (${ref.policyId})` : `${ref.policyKind} policy ${ref.policyId}`;
  const where = ref.span ? ` at line ${ref.span.start.line}` : '';
  return `${policy} statement ${ref.statementIndex}${ref.sid ? ` "${ref.sid}"` : ''}${where} (${ref.effect})`;
}

/**
 * Explains a decision in a few lines of plain text: the outcome, the layer responsible, the
 * statements behind it, and missing context keys or evaluation errors.
 */
export function explain(decision: Decision): string {
  const lines: string[] = [];
  const r = decision.reason;
  if (r.kind === 'allowed') {
    const by = { identity: 'identity-based policies', resource: 'a resource-based policy', identityAndResource: 'identity-based and resource-based policies (cross-account)', root: 'the account root user' }[r.by];
    lines.push(`Allowed by ${by}.`);
  } else if (r.kind === 'explicitDeny') {
    lines.push(`Explicitly denied by a Deny statement in ${LAYER_WITH_ARTICLE[r.layer]}.`);
  } else {
    lines.push(r.layer === 'resource' ? 'Implicitly denied: no resource-based policy allows this cross-account request.' : `Implicitly denied: no ${LAYER_WORDS[r.layer]} allows this request.`);
  }
  for (const ref of decision.decidedBy) lines.push(`  decided by ${describeStatement(ref)}`);
  // Statements that matched without deciding (an identity Allow cut short by a boundary, say).
  for (const ref of decision.matched) if (!decision.decidedBy.includes(ref)) lines.push(`  also matched ${describeStatement(ref)}`);
  if (decision.missingContextKeys.length > 0) lines.push(`  condition keys missing from the request: ${decision.missingContextKeys.join(', ')}`);
  for (const e of decision.errors) lines.push(`  error in policy ${e.policyId} statement ${e.statementIndex}: ${e.message} (treated as not allowing, and as denying for Deny)`);
  return lines.join('\n');
}

/**
 * AWS's AccessDenied message for a denied request, e.g. `User: arn:… is not authorized to perform:
 * iam:CreateUser on resource: arn:… because no identity-based policy allows the iam:CreateUser action`.
 */
export function accessDeniedMessage(request: AuthzRequest, decision: Decision): string {
  const head = `User: ${request.principal.arn} is not authorized to perform: ${request.action} on resource: ${request.resource}`;
  const r = decision.reason;
  if (r.kind === 'explicitDeny') return `${head} with an explicit deny in ${LAYER_WITH_ARTICLE[r.layer]}`;
  if (r.kind === 'implicitDeny') return `${head} because no ${LAYER_WORDS[r.layer]} allows the ${request.action} action`;
  return head;
}
