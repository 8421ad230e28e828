/**
 * castellan:GetCallerPermissions: may the caller perform these actions on these resources? Each is
 * decided by the engine with the caller's own policies and the asking request's global condition
 * keys (its source address, MFA and its age, time, principal and session tags), so an answer is what
 * trying the action now would be, as far as the action's own request does not matter: keys only
 * that request would carry (the resource's tags, `aws:RequestTag/…`, `iam:PolicyARN`) are absent,
 * and an answer that depends on one names it. The console hides or disables what is denied and
 * leaves the rest to the server.
 *
 * A role's trust policy is evaluated with the caller's policies for the actions its own
 * authorization evaluates it for (sts:AssumeRole and the rest of {@link TRUST_POLICY_ACTIONS}), as
 * the AssumeRole call would: a user the trust policy names is answered `allow` with no identity
 * policy of its own. Only the decision is told, as a refused AssumeRole would tell it; the policy's
 * text never. Castellan stores no other resource-based policy.
 *
 * A resource with a `*` in it (`arn:aws:iam::ACCOUNT:user/*`) stands for resources not named yet,
 * the user a form will create: an Allow counts when it may match one of them (same service, account
 * and resource type), a Deny only when it matches them all, so a denial holds for every name and
 * an allow says some name may be allowed.
 */
import type { ConditionContext, AuthorizationDecision, Authorizer, ResourcePolicy } from '../../domain/ports/authorizer.js';
import type { RequestContext } from '../../domain/context.js';
import { ValidationError } from '../../domain/errors.js';

/** One question. */
export interface PermissionCheck {
  action: string;
  resource: string;
}

/** What the caller is told: what a refusal would tell it, and no more (no statement, no policy text). */
export interface PermissionAnswer extends PermissionCheck {
  decision: AuthorizationDecision;
}

/**
 * The most characters the checks' actions and resources may have together. Each resource may be an
 * ARN of 2,048, and any caller may ask (no statement need allow it): without a bound on the whole,
 * 100 such checks made a 742 KB answer. The console asks about ARNs of a few dozen characters and
 * splits its questions to stay within this.
 */
export const MAX_CHECKS_TEXT = 20_480;

/**
 * The actions whose authorization on a role evaluates the role's trust policy as its resource
 * policy: the role session calls, and sts:TagSession and sts:SetSourceIdentity, which AssumeRole
 * decides with the same policies (protocol/query/operations/sts/assume-role.ts).
 */
/** Lower case: actions match case-insensitively, as the engine matches them. */
export const TRUST_POLICY_ACTIONS: ReadonlySet<string> = new Set(['sts:assumerole', 'sts:assumerolewithsaml', 'sts:assumerolewithwebidentity', 'sts:tagsession', 'sts:setsourceidentity']);

/** An action is `service:Name`: letters, digits and the characters AWS's action names use. */
const ACTION = /^[A-Za-z0-9-]+:[A-Za-z0-9]+$/;

/**
 * Decides each check for `ctx.caller`. `regionOf` gives an action's `aws:RequestedRegion` (IAM's is
 * us-east-1 whatever the asking call's); `trustPolicyOf` the trust policy of the role an ARN names,
 * none when there is no such role (as AssumeRole reads it). The decisions are not recorded as uses
 * of the actions: `authorizer` is the engine's, without the last-accessed recording (asking is not using).
 */
export async function callerPermissions(
  authorizer: Authorizer,
  ctx: RequestContext,
  checks: readonly PermissionCheck[],
  regionOf: (action: string) => string,
  trustPolicyOf: (roleArn: string) => Promise<ResourcePolicy | undefined>,
): Promise<PermissionAnswer[]> {
  const text = checks.reduce((n, c) => n + c.action.length + c.resource.length, 0);
  if (text > MAX_CHECKS_TEXT) throw new ValidationError(`Value at 'checks' failed to satisfy constraint: Member's actions and resources must have at most ${MAX_CHECKS_TEXT} characters together`);
  checks.forEach((c, i) => {
    if (!ACTION.test(c.action)) throw new ValidationError(`Value '${c.action}' at 'checks.${i + 1}.member.action' failed to satisfy constraint: Member must be an action, service:Operation`);
    if (c.resource !== '*' && !c.resource.startsWith('arn:')) throw new ValidationError(`Value '${c.resource}' at 'checks.${i + 1}.member.resource' failed to satisfy constraint: Member must be an ARN or *`);
  });
  const keys: ConditionContext = { ...ctx.conditionKeys };
  const answers: PermissionAnswer[] = [];
  for (const check of checks) {
    const context: ConditionContext = { ...keys, 'aws:RequestedRegion': regionOf(check.action) };
    const resourceNotNamed = check.resource !== '*' && check.resource.includes('*');
    // A role not named yet has no trust policy: only a named one is read.
    const resourcePolicy = !resourceNotNamed && TRUST_POLICY_ACTIONS.has(check.action.toLowerCase()) ? await trustPolicyOf(check.resource) : undefined;
    const decision = await authorizer.authorize(ctx, { action: check.action, resource: check.resource, context, ...(resourceNotNamed ? { resourceNotNamed } : {}), ...(resourcePolicy ? { resourcePolicy } : {}) });
    answers.push({ ...check, decision });
  }
  return answers;
}
