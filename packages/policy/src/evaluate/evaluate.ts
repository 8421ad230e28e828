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
 * 4. Identity-based policies must allow, then the permissions boundary and the session policies
 *    (each when present).
 * 5. Cross-account: the identity side (4) and the resource-based policy must both allow.
 * The account root is allowed in its own account unless a Deny or a guardrail says otherwise.
 */
import type { CompiledPolicy, CompiledStatement, StatementRef } from '../compile/compile-policy.js';
import { matchPrincipal, notPrincipalExcludes, PrincipalMatch } from '../compile/compile-principal.js';
import type { Decision, DecisionReason, EvaluationError } from './decision.js';
import type { AuthzRequest, PolicyLayer, PolicySet } from './request.js';
import { RequestState } from './request-state.js';

const EMPTY: readonly never[] = Object.freeze([]);

const REASONS = {
  allowIdentity: Object.freeze({ kind: 'allowed', by: 'identity' }),
  allowResource: Object.freeze({ kind: 'allowed', by: 'resource' }),
  allowBoth: Object.freeze({ kind: 'allowed', by: 'identityAndResource' }),
  allowRoot: Object.freeze({ kind: 'allowed', by: 'root' }),
} as const satisfies Record<string, DecisionReason>;
const DENY_REASONS = Object.freeze(
  Object.fromEntries(
    (['scp', 'resource', 'identity', 'boundary', 'session'] as const).map((l) => [
      l,
      { explicit: Object.freeze({ kind: 'explicitDeny', layer: l }), implicit: Object.freeze({ kind: 'implicitDeny', layer: l }) },
    ]),
  ),
) as Record<PolicyLayer, { explicit: DecisionReason; implicit: DecisionReason }>;

/** What one layer said. @internal */
interface LayerResult {
  allows: StatementRef[] | undefined;
  denies: StatementRef[] | undefined;
  /** For the resource layer: the strongest way an Allow named the caller. */
  principalMatch: PrincipalMatch;
}

/** Accumulates across layers. */
interface Run {
  readonly state: RequestState;
  readonly request: AuthzRequest;
  readonly actionLower: string;
  readonly hasBoundary: boolean;
  matched: StatementRef[] | undefined;
  errors: EvaluationError[] | undefined;
}

function evaluateLayer(policies: readonly CompiledPolicy[] | undefined, run: Run): LayerResult | undefined {
  if (!policies || policies.length === 0) return undefined;
  const result: LayerResult = { allows: undefined, denies: undefined, principalMatch: PrincipalMatch.None };
  const { state, request, actionLower } = run;
  const principal = request.principal;
  for (let p = 0; p < policies.length; p++) {
    const candidates = policies[p]!.statementsFor(actionLower);
    for (let s = 0; s < candidates.length; s++) {
      const st: CompiledStatement = candidates[s]!;
      let pm: PrincipalMatch = PrincipalMatch.Direct;
      if (st.principal) {
        pm = matchPrincipal(st.principal, principal);
        if (pm === PrincipalMatch.None) continue;
      } else if (st.notPrincipal) {
        // AWS: a Deny with NotPrincipal always applies to a principal that has a permissions boundary.
        if (!(st.deny && run.hasBoundary) && notPrincipalExcludes(st.notPrincipal, principal)) continue;
      }
      state.unresolved = false;
      if (st.matchesResource(request.resource, state) !== true) continue;
      // Every clause is evaluated (no short-circuit) so that all missing keys are reported.
      let holds = !state.unresolved;
      const conditions = st.conditions;
      for (let c = 0; c < conditions.length; c++) if (!conditions[c]!(state)) holds = false;
      if (state.unresolved) holds = false;
      if (st.brokenCondition !== undefined) {
        // Fail closed: a statement we cannot evaluate never allows, and a Deny one denies.
        (run.errors ??= []).push({ policyId: st.ref.policyId, statementIndex: st.ref.statementIndex, message: st.brokenCondition });
        holds = st.deny;
      }
      if (!holds) continue;
      (run.matched ??= []).push(st.ref);
      if (st.deny) (result.denies ??= []).push(st.ref);
      else {
        (result.allows ??= []).push(st.ref);
        if (pm > result.principalMatch) result.principalMatch = pm;
      }
    }
  }
  return result;
}

/** The account that owns the resource: given, or the ARN's account field. */
function resourceAccountOf(request: AuthzRequest): string | undefined {
  if (request.resourceAccount) return request.resourceAccount;
  const r = request.resource;
  if (!r.startsWith('arn:')) return undefined;
  let start = 0;
  for (let i = 0; i < 4; i++) {
    start = r.indexOf(':', start) + 1;
    if (start === 0) return undefined;
  }
  const end = r.indexOf(':', start);
  if (end < 0) return undefined;
  return end > start ? r.slice(start, end) : undefined;
}

/**
 * Decides a request against a policy set, synchronously and without I/O.
 *
 * @example
 * ```ts
 * const d = evaluate({ principal: { arn, accountId }, action: 'iam:CreateUser', resource: userArn, context: {}, now }, { identity: [compiled] });
 * if (d.effect !== 'allow') throw new AccessDeniedError(accessDeniedMessage(request, d));
 * ```
 */
export function evaluate(request: AuthzRequest, policies: PolicySet): Decision {
  const resourceAccount = resourceAccountOf(request);
  const state = new RequestState(request, resourceAccount);
  const run: Run = {
    state,
    request,
    actionLower: request.action.toLowerCase(),
    hasBoundary: !!policies.boundary && policies.boundary.length > 0,
    matched: undefined,
    errors: undefined,
  };
  const scp = evaluateLayer(policies.scp, run);
  const resource = evaluateLayer(policies.resource, run);
  const identity = evaluateLayer(policies.identity, run);
  const boundary = evaluateLayer(policies.boundary, run);
  const session = evaluateLayer(policies.session, run);

  const decide = (effect: Decision['effect'], reason: DecisionReason, decidedBy: readonly StatementRef[]): Decision => ({
    effect,
    decidedBy,
    matched: run.matched ?? EMPTY,
    missingContextKeys: state.missing ?? EMPTY,
    errors: run.errors ?? EMPTY,
    reason,
  });

  // 1. Explicit deny anywhere.
  const layers: [PolicyLayer, LayerResult | undefined][] = [
    ['scp', scp],
    ['resource', resource],
    ['identity', identity],
    ['boundary', boundary],
    ['session', session],
  ];
  let denies: StatementRef[] | undefined;
  let denyLayer: PolicyLayer | undefined;
  for (const [layer, r] of layers) {
    if (r?.denies) {
      denyLayer ??= layer;
      denies = denies ? denies.concat(r.denies) : r.denies;
    }
  }
  if (denies) return decide('explicitDeny', DENY_REASONS[denyLayer!].explicit, denies);

  // 2. Guardrails.
  if (scp && !scp.allows) return decide('implicitDeny', DENY_REASONS.scp.implicit, EMPTY);

  const principal = request.principal;
  const sameAccount = resourceAccount === undefined || resourceAccount === principal.accountId;
  const resourceMatch = resource?.allows ? resource.principalMatch : PrincipalMatch.None;
  const isRoot = principal.type === 'Root';

  // 3. Same account, resource-based policy naming the caller directly.
  if (sameAccount && resourceMatch === PrincipalMatch.Direct) return decide('allow', REASONS.allowResource, resource!.allows!);

  // 4. Identity side.
  if (isRoot) {
    if (sameAccount) return decide('allow', REASONS.allowRoot, EMPTY);
    if (resourceMatch === PrincipalMatch.None) return decide('implicitDeny', DENY_REASONS.resource.implicit, EMPTY);
    return decide('allow', REASONS.allowBoth, resource!.allows!);
  }
  const roleGrant = sameAccount && resourceMatch === PrincipalMatch.Role;
  if (!identity?.allows && !roleGrant) return decide('implicitDeny', DENY_REASONS.identity.implicit, EMPTY);
  if (boundary && !boundary.allows) return decide('implicitDeny', DENY_REASONS.boundary.implicit, EMPTY);
  if (session && !session.allows) return decide('implicitDeny', DENY_REASONS.session.implicit, EMPTY);

  if (sameAccount) {
    if (identity?.allows) return decide('allow', REASONS.allowIdentity, identity.allows);
    return decide('allow', REASONS.allowResource, resource!.allows!);
  }
  // 5. Cross-account: the resource's account must agree.
  if (resourceMatch === PrincipalMatch.None) return decide('implicitDeny', DENY_REASONS.resource.implicit, EMPTY);
  return decide('allow', REASONS.allowBoth, identity!.allows!.concat(resource!.allows!));
}
