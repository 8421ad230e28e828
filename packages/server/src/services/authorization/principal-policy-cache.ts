/**
 * The hot path's cache of principals with their policies: an IAM user's own and its groups' inline
 * and attached policies, boundary, tags and the account's password-policy grant; a role's policies,
 * boundary and tags; managed policies named by session tokens. Bounded (least recently used go
 * first) and kept true by the ChangeFeed: each entry depends on the ARNs, policies and account it
 * was built from, and a published change to any of them forgets it.
 *
 * @module
 */
import type { CachedStateChange } from '../../domain/ports/change-feed.js';
import { DependentCache } from '../caching/dependent-cache.js';
import { dependencyToken } from '../caching/change-tokens.js';
import type { PolicyReader } from '../service-deps.js';
import { isAwsManagedPolicyArn } from '../iam/aws-managed-policies.js';
import { managedPolicySources, rolePoliciesWithDependencies, userPoliciesWithDependencies, type LoadedPolicy, type PrincipalPolicies } from './principal-policies.js';

/**
 * Cached principal policies.
 *
 * @example
 * ```ts
 * const principals = new PrincipalPolicyCache({ maxEntries: 10_000 });
 * feed.subscribe((change) => principals.forget(change));
 * const authorizer = new PolicyAuthorizer({ ...deps, principalCache: principals });
 * ```
 */
export class PrincipalPolicyCache {
  readonly #entries: DependentCache<PrincipalPolicies>;
  readonly #managed: DependentCache<LoadedPolicy | null>;

  /** `maxEntries` principals (and as many session managed policies); 0 turns caching off. Default is 10 000. */
  constructor(options: { maxEntries?: number } = {}) {
    const max = options.maxEntries ?? 10_000;
    this.#entries = new DependentCache(max);
    this.#managed = new DependentCache(max);
  }

  /** An IAM user's policies; `undefined` if the user is gone. The answer is shared: never modify it. */
  user(reader: PolicyReader, userId: string): Promise<PrincipalPolicies | undefined> {
    return this.#entries.load(`user:${userId}`, () => userPoliciesWithDependencies(reader, userId));
  }

  /** A role's policies; `undefined` if the role is gone. The answer is shared: never modify it. */
  role(reader: PolicyReader, roleId: string): Promise<PrincipalPolicies | undefined> {
    return this.#entries.load(`role:${roleId}`, () => rolePoliciesWithDependencies(reader, roleId));
  }

  /** Managed policies by ARN (session policy ARNs), as `managedPolicySources` answers them. */
  async managed(reader: PolicyReader, arns: readonly string[], kind: 'session'): Promise<Map<string, LoadedPolicy>> {
    const out = new Map<string, LoadedPolicy>();
    for (const arn of new Set(arns)) {
      const found = await this.#managed.load(`${kind}:${arn}`, async () => {
        const p = (await managedPolicySources(reader, [arn], kind)).get(arn);
        // A missing customer policy is not cached (creating it publishes nothing); AWS's never change.
        if (!p && !isAwsManagedPolicyArn(arn)) return undefined;
        return { value: p ?? null, dependsOn: [dependencyToken.policy(arn), ...accountOf(arn)] };
      });
      if (found) out.set(arn, found);
    }
    return out;
  }

  /** Forgets what `change` makes stale. */
  forget(change: CachedStateChange): void {
    this.#entries.forget(change);
    this.#managed.forget(change);
  }

  /** Entries and hit counts, for metrics. */
  get stats(): { entries: number; hits: number; misses: number } {
    return { entries: this.#entries.size, hits: this.#entries.stats.hits, misses: this.#entries.stats.misses };
  }
}

/** The account token of a customer policy ARN (`arn:aws:iam::123456789012:policy/…`). */
function accountOf(arn: string): string[] {
  const account = arn.split(':')[4];
  return account && /^\d{12}$/.test(account) ? [dependencyToken.account(account)] : [];
}
