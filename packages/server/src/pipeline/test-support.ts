import type { Decision } from '@castellan/policy';
import type { RequestContext } from '../domain/context.js';
import type { AuthorizationDecision, AuthorizationRequest, Authorizer } from '../domain/ports/authorizer.js';
import type { TransactionRunner } from './transaction-runner.js';

/** Test-only pipeline parts (excluded from the build by the `test-` prefix). */

export { rootPrincipal, userPrincipal } from '../domain/test-principals.js';
export { InMemoryCredentialResolver } from '../services/credentials/test-credential-resolver.js';

/**
 * Allows the account root everything and everyone else only the listed actions; a denial is an
 * implicit deny of the identity-based policies (AWS's "because no identity-based policy allows …").
 */
export class ListAuthorizer implements Authorizer {
  readonly requests: AuthorizationRequest[] = [];
  constructor(private readonly allowed: readonly string[] = []) {}

  async authorize(ctx: RequestContext, request: AuthorizationRequest): Promise<AuthorizationDecision> {
    this.requests.push(request);
    const allowed = ctx.caller.type === 'Root' || this.allowed.includes(request.action);
    const statement = { policyId: 'test:list-authorizer', policyName: 'ListAuthorizer', policyKind: 'identity' as const, statementIndex: 0, effect: 'Allow' as const };
    const decision: Decision = allowed
      ? { effect: 'allow', decidedBy: [statement], matched: [statement], missingContextKeys: [], errors: [], reason: { kind: 'allowed', by: 'identity' } }
      : { effect: 'implicitDeny', decidedBy: [], matched: [], missingContextKeys: [], errors: [], reason: { kind: 'implicitDeny', layer: 'identity' } };
    return {
      decision,
      evaluated: {
        principal: { arn: ctx.caller.arn, accountId: ctx.caller.accountId, id: ctx.caller.principalId, tags: {} },
        action: request.action,
        resource: request.resource,
        context: request.context,
        now: ctx.now,
      },
    };
  }
}

/** Runs `fn` with the given deps and counts transactions (no real store). */
export class CountingTransactionRunner<D> implements TransactionRunner<D> {
  count = 0;
  constructor(private readonly deps: D) {}
  async run<T>(fn: (deps: D) => Promise<T>): Promise<T> {
    this.count++;
    return fn(this.deps);
  }
}

