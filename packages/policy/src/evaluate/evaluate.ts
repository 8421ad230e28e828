/**
 * AWS's policy evaluation logic over a {@link PolicySet}.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 *
 * 1. A matching Deny statement in any layer decides: explicit deny.
 * 2. Guardrails (SCP-like), when present, must allow.
 * 3. Same account: a resource-based policy that names the caller directly (its user ARN, its
 *    session ARN, or `*`) allows on its own, unlimited by identity policies, boundaries and session
 *    policies. One that names the role of an assumed-role session stands in for an identity-based
 *    allow: the boundary and session policies still limit it. One that names the account only
 *    delegates to the account's identity-based policies.
 *    https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
 * 4. Identity-based policies must allow, then the permissions boundary and the session policies
 *    (each when present).
 * 5. Cross-account: the identity side (4) and the resource-based policy must both allow.
 *    https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
 * The account root is allowed in its own account unless a Deny or a guardrail says otherwise.
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
 * Evaluates one layer's candidate statements into the state; false when the layer is absent.
 * Returns the Allow statements found (undefined when none).
 */
function evaluateLayer(candidates: readonly CompiledStatement[] | undefined, layer: PolicyLayer, state: RequestState): StatementRef[] | undefined {
  let allows: StatementRef[] | undefined;
  if (candidates === undefined) return allows;
  const request = state.request;
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
    // The resource matcher reports unresolvable variables in its result (an unresolvable Resource
    // pattern does not match; an unresolvable NotResource makes the statement not apply).
    if (st.matchesResource(request.resource, state) !== true) continue;
    state.unresolved = false;
    // Every clause is evaluated (no short-circuit) so that all missing keys are reported.
    let holds = true;
    const conditions = st.conditions;
    for (let c = 0; c < conditions.length; c++) if (!conditions[c]!(state)) holds = false;
    if (state.unresolved) holds = false;
    if (st.brokenCondition !== undefined) {
      // Fail closed: a statement that cannot be evaluated never allows, and a Deny one denies.
      (state.errors ??= []).push({ policyId: st.ref.policyId, statementIndex: st.ref.statementIndex, message: st.brokenCondition });
      holds = st.deny;
    }
    if (!holds) continue;
    (state.matched ??= []).push(st.ref);
    if (st.deny) {
      (state.denies ??= []).push(st.ref);
      state.denyLayer ??= layer;
    } else {
      (allows ??= []).push(st.ref);
      if (layer === 'resource' && pm > state.resourcePrincipalMatch) state.resourcePrincipalMatch = pm;
    }
  }
  return allows;
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

function finish(state: RequestState, effect: Decision['effect'], reason: DecisionReason, decidedBy: readonly StatementRef[]): Decision {
  return {
    effect,
    decidedBy,
    matched: state.matched ?? EMPTY,
    missingContextKeys: state.missing ?? EMPTY,
    errors: state.errors ?? EMPTY,
    reason,
  };
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
  let sameAccount = true;
  let resourceAccount: string | undefined = request.resourceAccount;
  if (resourceAccount) sameAccount = resourceAccount === principal.accountId;
  else {
    const r = request.resource;
    const start = accountField(r);
    if (start > 0) {
      const end = r.indexOf(':', start);
      if (end > start) {
        sameAccount = end - start === principal.accountId.length && r.startsWith(principal.accountId, start);
        resourceAccount = sameAccount ? principal.accountId : r.slice(start, end);
      }
    }
  }
  const candidates = candidatesOf(policies, request.action.toLowerCase());
  const state = new RequestState(request, resourceAccount, candidates.boundary !== undefined);
  const scpAllows = evaluateLayer(candidates.scp, 'scp', state);
  const resourceAllows = evaluateLayer(candidates.resource, 'resource', state);
  const identityAllows = evaluateLayer(candidates.identity, 'identity', state);
  const boundaryAllows = evaluateLayer(candidates.boundary, 'boundary', state);
  const sessionAllows = evaluateLayer(candidates.session, 'session', state);

  // 1. Explicit deny anywhere.
  if (state.denies) return finish(state, 'explicitDeny', EXPLICIT[state.denyLayer!], state.denies);
  // 2. Guardrails.
  if (candidates.scp && !scpAllows) return finish(state, 'implicitDeny', IMPLICIT.scp, EMPTY);

  const resourceMatch = resourceAllows ? state.resourcePrincipalMatch : PrincipalMatch.None;
  // 3. Same account, a resource-based policy naming the caller directly.
  if (sameAccount && resourceMatch === PrincipalMatch.Direct) return finish(state, 'allow', ALLOWED_BY.resource, resourceAllows!);

  // 4. The identity side.
  if (principal.type === 'Root') {
    if (sameAccount) return finish(state, 'allow', ALLOWED_BY.root, EMPTY);
    if (resourceMatch === PrincipalMatch.None) return finish(state, 'implicitDeny', IMPLICIT.resource, EMPTY);
    return finish(state, 'allow', ALLOWED_BY.identityAndResource, resourceAllows!);
  }
  const roleGrant = sameAccount && resourceMatch === PrincipalMatch.Role;
  if (!identityAllows && !roleGrant) return finish(state, 'implicitDeny', IMPLICIT.identity, EMPTY);
  if (candidates.boundary && !boundaryAllows) return finish(state, 'implicitDeny', IMPLICIT.boundary, EMPTY);
  if (candidates.session && !sessionAllows) return finish(state, 'implicitDeny', IMPLICIT.session, EMPTY);
  if (sameAccount) {
    return identityAllows ? finish(state, 'allow', ALLOWED_BY.identity, identityAllows) : finish(state, 'allow', ALLOWED_BY.resource, resourceAllows!);
  }
  // 5. Cross-account: the resource's side must allow too.
  if (resourceMatch === PrincipalMatch.None) return finish(state, 'implicitDeny', IMPLICIT.resource, EMPTY);
  return finish(state, 'allow', ALLOWED_BY.identityAndResource, identityAllows!.concat(resourceAllows!));
}
