import type { RequestContext } from '../domain/context.js';

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
}

/**
 * Decides authorization with the caller's policies. Resolves `{ allowed: true }` or throws
 * `AccessDeniedError` with AWS's message ("User: arn:… is not authorized to perform: iam:CreateUser
 * on resource: arn:… because no identity-based policy allows the iam:CreateUser action").
 */
export interface Authorizer {
  authorize(ctx: RequestContext, request: AuthorizationRequest): Promise<{ allowed: true }>;
}
