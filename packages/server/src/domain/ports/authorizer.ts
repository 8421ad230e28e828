import type { AuthzRequest, Decision } from '@castellan/policy';
import type { RequestContext } from '../context.js';

/** Condition keys and their values, e.g. `{ 'aws:SourceIp': '10.0.0.1', 'aws:TagKeys': ['a', 'b'] }`. */
export type ConditionContext = Record<string, string | string[]>;

/** One authorization question: may `ctx.caller` perform `action` on `resource`? */
export interface AuthorizationRequest {
  /** `iam:CreateUser`. */
  action: string;
  /** The resource ARN, or `*`. */
  resource: string;
  /** The account owning the resource when it differs from the caller's. */
  resourceAccount?: string;
  /** The request's condition keys (global `aws:*` keys and the operation's own). */
  context: ConditionContext;
  /** The resource's own policy (a role's trust policy), evaluated with the caller's policies. */
  resourcePolicy?: ResourcePolicy;
  /**
   * True when `resource` is a pattern of resources not named yet (the user a form will create): the
   * engine answers whether some of them may be allowed, a denial holding for all (`AuthzRequest.resourceNotNamed`).
   */
  resourceNotNamed?: boolean;
}

/**
 * A further action on another resource that a request needs, AWS's "dependent action" (iam:PassRole
 * of the role an instance profile gets): decided with the call's condition keys plus `context`.
 */
export interface DependentAuthorization {
  action: string;
  resource: string;
  /** Condition keys of this action and its resource (the resource's tags), added to the request's global keys. */
  context?: ConditionContext;
}

/** A resource-based policy: a role's trust policy (`kind: 'trust'`) or another resource's policy. */
export interface ResourcePolicy {
  kind: 'trust' | 'resource';
  /** Names the policy in decisions, e.g. `trust:<role arn>`. */
  policyId: string;
  document: string;
}

/** The engine's answer to one {@link AuthorizationRequest}, with its reasons. */
export interface AuthorizationDecision {
  /** Allow or deny, the statements that decided, the missing context keys… */
  decision: Decision;
  /** The request as the engine evaluated it (principal with its tags, context, resource account). */
  evaluated: AuthzRequest;
  /** For a denial: the decision sealed for sts:DecodeAuthorizationMessage, when the authorizer encodes them. */
  encodedMessage?: string;
}

/**
 * Decides authorization with the caller's policies. Never throws for a denial: the caller turns a
 * denied decision into AWS's `AccessDenied` (`accessDeniedMessage` words it) and keeps the decision
 * for the audit trail.
 */
export interface Authorizer {
  authorize(ctx: RequestContext, request: AuthorizationRequest): Promise<AuthorizationDecision>;
}
