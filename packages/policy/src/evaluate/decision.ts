/**
 * The result of {@link evaluate}: a value that says what was decided and why.
 */
import type { StatementRef } from '../compile/compile-policy.js';
import type { PolicyLayer } from './request.js';

/** Why the decision came out as it did. */
export type DecisionReason =
  /** Allowed: by identity-based policies, by a resource-based policy alone (same account), or by both (cross-account). */
  | { readonly kind: 'allowed'; readonly by: 'identity' | 'resource' | 'identityAndResource' | 'root' }
  /** A Deny statement in this layer matched. */
  | { readonly kind: 'explicitDeny'; readonly layer: PolicyLayer }
  /** No statement in this layer allowed, and the layer had to. */
  | { readonly kind: 'implicitDeny'; readonly layer: PolicyLayer };

/** A statement that could not be evaluated; it was treated fail-closed. */
export interface EvaluationError {
  readonly policyId: string;
  readonly statementIndex: number;
  readonly message: string;
}

/** The decision for one request. */
export interface Decision {
  readonly effect: 'allow' | 'explicitDeny' | 'implicitDeny';
  /** The statements that decided: the matching Deny statements, or the Allow statements that granted. Empty for an implicit deny. */
  readonly decidedBy: readonly StatementRef[];
  /** Every statement that matched (action, resource, principal and conditions), in every layer: SimulatePrincipalPolicy's MatchedStatements. */
  readonly matched: readonly StatementRef[];
  /** Condition keys that statements matching the action and resource referenced and the request lacked: MissingContextValues. */
  readonly missingContextKeys: readonly string[];
  readonly errors: readonly EvaluationError[];
  readonly reason: DecisionReason;
}
