/**
 * AWS's policy evaluation logic over a {@link PolicySet}.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 *
 * 1. A matching Deny statement in any layer decides: explicit deny.
 * 2. Guardrails (SCP-like), when present, must allow.
 * 3. Same account: a resource-based policy that names the caller directly (its user ARN, its
 *    session ARN, or `*`) allows on its own, unlimited by identity policies, boundaries and session
 *    policies (a role's trust policy still needs the caller's permissions boundary to allow). One that names the role of an assumed-role session stands in for an identity-based
 *    allow: the boundary and session policies still limit it. One that names the account only
 *    delegates to the account's identity-based policies.
 *    https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
 * 4. Identity-based policies must allow, then the permissions boundary and the session policies
 *    (each when present).
 * 5. Cross-account: the identity side (4) and the resource-based policy must both allow.
 *    https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
 * The account root is allowed in its own account unless a Deny or a guardrail says otherwise.
 * A service principal (`AWSService`) is allowed only by a resource-based policy that names it.
 */
import type { CompiledStatement, StatementRef } from '../compile/compile-policy.js';
import { matchPrincipal, notPrincipalExcludes, PrincipalMatch } from '../compile/compile-principal.js';
import type { Decision, DecisionReason, EvaluationError } from './decision.js';
import type { AuthzRequest, PolicyLayer, PolicySet } from './request.js';
import { RequestState } from './request-state.js';
import { candidatesOf } from './prepared-policy-set.js';

const EMPTY: readonly never[] = Object.freeze([]);

const ALLOWED_BY = {
  identity: Object.freeze({ kind: 'allowed', by: 'identity' }),
  resource: Object.freeze({ kind: 'allowed', by: 'resource' }),
  identityAndResource: Object.freeze({ kind: 'allowed', by: 'identityAndResource' }),
  root: Object.freeze({ kind: 'allowed', by: 'root' }),
} as const satisfies Record<string, DecisionReason>;
const LAYERS: readonly PolicyLayer[] = ['scp', 'resource', 'identity', 'boundary', 'session'];
const EXPLICIT = Object.fromEntries(LAYERS.map((l) => [l, Object.freeze({ kind: 'explicitDeny', layer: l })])) as Record<PolicyLayer, DecisionReason>;
const IMPLICIT = Object.fromEntries(LAYERS.map((l) => [l, Object.freeze({ kind: 'implicitDeny', layer: l })])) as Record<PolicyLayer, DecisionReason>;

/**
 * Evaluates one layer's candidate statements; returns those that matched (Allow and Deny, in
 * order), or undefined when none did. Deny matches are flagged in the state.
 */
function evaluateLayer(candidates: readonly CompiledStatement[] | undefined, layer: PolicyLayer, state: RequestState): StatementRef[] | undefined {
  let matched: StatementRef[] | undefined;
  if (candidates === undefined) return matched;
  const request = state.request;
  const notNamed = request.resourceNotNamed === true;
  for (let s = 0; s < candidates.length; s++) {
    const st = candidates[s]!;
    let pm: PrincipalMatch = PrincipalMatch.Direct;
    if (st.principal) {
      pm = matchPrincipal(st.principal, request.principal);
      if (pm === PrincipalMatch.None) continue;
    } else if (st.notPrincipal) {
      // AWS: a Deny with NotPrincipal always applies to a principal that has a permissions boundary.
      if (!(st.deny && state.hasBoundary) && notPrincipalExcludes(st.notPrincipal, request.principal)) continue;
    }
    // A Resource or NotResource entry holding a policy variable with no value matches no resource.
    // A resource not named yet (request.resourceNotNamed): an Allow counts when it may match one of
    // the resources the pattern stands for, a Deny only when it matches them all.
    if (notNamed ? !st.appliesToUnnamed(request.resource, st.deny ? 'every' : 'some', state) : !st.matchesResource(request.resource, state)) continue;
    // Every clause is evaluated (no short-circuit) so that all missing keys are reported.
    let holds = true;
    const conditions = st.conditions;
    for (let c = 0; c < conditions.length; c++) if (!conditions[c]!(state)) holds = false;
    if (st.brokenCondition !== undefined) {
      // Fail closed: a statement that cannot be evaluated never allows, and a Deny one denies.
      (state.errors ??= []).push({ policyId: st.ref.policyId, statementIndex: st.ref.statementIndex, message: st.brokenCondition });
      holds = st.deny;
    }
    if (!holds) continue;
    (matched ??= []).push(st.ref);
    if (st.deny) {
      state.denied = true;
      state.denyLayer ??= layer;
    } else if (layer === 'resource' && pm > state.resourcePrincipalMatch) state.resourcePrincipalMatch = pm;
  }
  return matched;
}

/** Where the account field of an ARN starts and ends, or -1 when the ARN has none. */
function accountField(r: string): number {
  if (!r.startsWith('arn:')) return -1;
  let start = 0;
  for (let i = 0; i < 4; i++) {
    start = r.indexOf(':', start) + 1;
    if (start === 0) return -1;
  }
  return start;
}

function finish(state: RequestState, effect: Decision['effect'], reason: DecisionReason, decidedBy: readonly StatementRef[], matched: readonly StatementRef[]): Decision {
  return {
    effect,
    decidedBy,
    matched,
    missingContextKeys: state.missing ?? EMPTY,
    errors: state.errors ?? EMPTY,
    reason,
  };
}

/** The statements of two lists in order, without copying when one is empty. */
function join(a: readonly StatementRef[] | undefined, b: readonly StatementRef[] | undefined): readonly StatementRef[] | undefined {
  if (!a) return b;
  if (!b) return a;
  return a.concat(b);
}

/**
 * Decides a request against a policy set, synchronously and without I/O. Pass a set from
 * {@link preparePolicySet} when the same policies decide many requests.
 *
 * @example
 * ```ts
 * const d = evaluate({ principal: { arn, accountId }, action: 'iam:CreateUser', resource: userArn, context: {}, now }, { identity: [compiled] });
 * if (d.effect !== 'allow') throw new AccessDeniedError(accessDeniedMessage(request, d));
 * ```
 */
export function evaluate(request: AuthzRequest, policies: PolicySet): Decision {
  const principal = request.principal;
  // The resource's account: given, or the ARN's account field; none means the caller's account.
  let resourceAccount: string | undefined = request.resourceAccount || undefined;
  if (resourceAccount === undefined) {
    const r = request.resource;
    const start = accountField(r);
    if (start > 0) {
      const end = r.indexOf(':', start);
      if (end > start) resourceAccount = r.slice(start, end);
    }
  }
  const sameAccount = resourceAccount === undefined || resourceAccount === principal.accountId;
  const candidates = candidatesOf(policies, request.action);
  const state = new RequestState(request, resourceAccount, candidates.boundary !== undefined);
  const scp = evaluateLayer(candidates.scp, 'scp', state);
  const resource = evaluateLayer(candidates.resource, 'resource', state);
  const identity = evaluateLayer(candidates.identity, 'identity', state);
  const boundary = evaluateLayer(candidates.boundary, 'boundary', state);
  const session = evaluateLayer(candidates.session, 'session', state);
  const matched = join(join(join(scp, resource), join(identity, boundary)), session) ?? EMPTY;

  // 1. Explicit deny anywhere.
  if (state.denied) return finish(state, 'explicitDeny', EXPLICIT[state.denyLayer!], matched.filter((r) => r.effect === 'Deny'), matched);
  // Without a Deny, every matched statement is an Allow.
  // 2. Guardrails.
  if (candidates.scp && !scp) return finish(state, 'implicitDeny', IMPLICIT.scp, EMPTY, matched);

  const resourceMatch = resource ? state.resourcePrincipalMatch : PrincipalMatch.None;
  // A service principal has no account and no identity-based policies: the resource-based policy
  // that names it decides alone, whichever account owns the resource.
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-services
  if (principal.type === 'AWSService') {
    if (resourceMatch === PrincipalMatch.Direct) return finish(state, 'allow', ALLOWED_BY.resource, resource!, matched);
    return finish(state, 'implicitDeny', IMPLICIT.resource, EMPTY, matched);
  }
  const trust = policies.resource !== undefined && policies.resource.some((p) => p.kind === 'trust');
  // 3. Same account, a resource-based policy naming the caller directly. Except that a role's trust
  // policy naming the caller does not lift the caller's permissions boundary: "If a permissions
  // boundary is set for the user, then it must allow the sts:AssumeRole action."
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_update-role-trust-policy.html
  if (sameAccount && resourceMatch === PrincipalMatch.Direct) {
    if (trust && candidates.boundary && !boundary) return finish(state, 'implicitDeny', IMPLICIT.boundary, EMPTY, matched);
    return finish(state, 'allow', ALLOWED_BY.resource, resource!, matched);
  }

  // A role's trust policy must itself allow AssumeRole, even in the role's own account: unlike
  // other resource-based policies, the caller's identity policies alone are not enough.
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
  const trustMissing = resourceMatch === PrincipalMatch.None && trust;

  // 4. The identity side.
  if (principal.type === 'Root') {
    if (sameAccount && !trustMissing) return finish(state, 'allow', ALLOWED_BY.root, EMPTY, matched);
    if (resourceMatch === PrincipalMatch.None) return finish(state, 'implicitDeny', IMPLICIT.resource, EMPTY, matched);
    return finish(state, 'allow', ALLOWED_BY.identityAndResource, resource!, matched);
  }
  const roleGrant = sameAccount && resourceMatch === PrincipalMatch.Role;
  if (!identity && !roleGrant) return finish(state, 'implicitDeny', IMPLICIT.identity, EMPTY, matched);
  if (candidates.boundary && !boundary) return finish(state, 'implicitDeny', IMPLICIT.boundary, EMPTY, matched);
  if (candidates.session && !session) return finish(state, 'implicitDeny', IMPLICIT.session, EMPTY, matched);
  if (sameAccount && !trustMissing) return identity ? finish(state, 'allow', ALLOWED_BY.identity, identity, matched) : finish(state, 'allow', ALLOWED_BY.resource, resource!, matched);
  // 5. Cross-account: the resource's side must allow too.
  if (resourceMatch === PrincipalMatch.None) return finish(state, 'implicitDeny', IMPLICIT.resource, EMPTY, matched);
  return finish(state, 'allow', ALLOWED_BY.identityAndResource, identity!.concat(resource!), matched);
}
