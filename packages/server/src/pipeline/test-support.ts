import type { Decision } from '@castellan/policy';
import type { Principal, RequestContext } from '../domain/context.js';
import type { AuthorizationDecision, AuthorizationRequest, Authorizer } from '../domain/ports/authorizer.js';
import type { CredentialLookup, CredentialResolver } from '../domain/ports/credential-resolver.js';
import type { TransactionRunner } from './transaction-runner.js';

/** Test-only pipeline parts (excluded from the build by the `test-` prefix). */

/** A fixed set of access keys. */
export class InMemoryCredentialResolver implements CredentialResolver {
  readonly uses: Array<{ accessKeyId: string; service: string; region: string }> = [];
  private readonly keys = new Map<string, CredentialLookup & { sessionToken?: string }>();

  /** Adds an active key for `principal` (with a session token for temporary credentials). */
  add(accessKeyId: string, secretAccessKey: string, principal: Principal, sessionToken?: string): this {
    this.keys.set(accessKeyId, { status: 'active', secretAccessKey, principal, ...(sessionToken ? { sessionToken } : {}) });
    return this;
  }

  /** Adds a key in another state. */
  addState(accessKeyId: string, status: 'inactive' | 'expired', accountId: string): this {
    this.keys.set(accessKeyId, { status, accountId });
    return this;
  }

  async resolve(accessKeyId: string, sessionToken: string | undefined): Promise<CredentialLookup | undefined> {
    const found = this.keys.get(accessKeyId);
    if (!found) return undefined;
    if (found.status === 'active' && (found.sessionToken ?? undefined) !== sessionToken) return undefined;
    return found;
  }

  recordUse(accessKeyId: string, use: { service: string; region: string }): void {
    this.uses.push({ accessKeyId, service: use.service, region: use.region });
  }
}

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

/** The account root of a test account. */
export function rootPrincipal(accountId = '123456789012', accessKeyId = 'AKIACASTELLANTEST001'): Principal {
  return { type: 'Root', accountId, arn: `arn:aws:iam::${accountId}:root`, principalId: accountId, accessKeyId, mfaAuthenticated: false };
}

/** An IAM user of a test account. */
export function userPrincipal(name: string, accountId = '123456789012', accessKeyId = 'AKIACASTELLANUSER001'): Principal {
  return {
    type: 'IAMUser',
    accountId,
    arn: `arn:aws:iam::${accountId}:user/${name}`,
    principalId: 'AIDACASTELLANUSER0001',
    userName: name,
    accessKeyId,
    mfaAuthenticated: false,
  };
}
