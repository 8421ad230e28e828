/**
 * The hot path's cache of long-term access keys: the secret decrypted once and the principal
 * resolved once per key, so a warm key's request reads nothing from the store. Bounded (least
 * recently used go first) and kept true by the ChangeFeed: an entry depends on its key, its owner's
 * ARN and its account, and a published change to any of them (deactivation, deletion, the user's
 * rename or deletion) forgets it before the changing request answers.
 *
 * @module
 */
import type { CachedStateChange } from '../../domain/ports/change-feed.js';
import type { CredentialLookup, CredentialResolver } from '../../domain/ports/credential-resolver.js';
import { DependentCache } from '../caching/dependent-cache.js';
import { dependencyToken } from '../caching/change-tokens.js';

/** Each request gets its own principal object: the pipeline passes it on and must not share one. */
function ownCopy(found: CredentialLookup | undefined): CredentialLookup | undefined {
  return found?.status === 'active' ? { ...found, principal: { ...found.principal } } : found;
}

/**
 * Caches what `longTerm` answers for requests without a session token. Unknown keys are not
 * cached (creating a key publishes nothing); inactive ones are (reactivation publishes).
 *
 * @example
 * ```ts
 * const keys = new CachingCredentialResolver(new StoreCredentialResolver(store), { maxEntries: 10_000 });
 * feed.subscribe((change) => keys.forget(change));
 * ```
 */
export class CachingCredentialResolver implements CredentialResolver {
  readonly #longTerm: CredentialResolver;
  readonly #keys: DependentCache<CredentialLookup>;
  /** Hits answered by {@link DependentCache.get} (the cache's own count has those of `load`). */
  #hits = 0;

  /** `maxEntries` keys; 0 turns caching off. Default is 10 000. */
  constructor(longTerm: CredentialResolver, options: { maxEntries?: number } = {}) {
    this.#longTerm = longTerm;
    this.#keys = new DependentCache(options.maxEntries ?? 10_000);
  }

  // Not `async`: a warm key is answered with one settled promise, without the loader's or an async
  // function's own (the hot path resolves a key on every request).
  resolve(accessKeyId: string, sessionToken: string | undefined, at?: Date): Promise<CredentialLookup | undefined> {
    if (sessionToken !== undefined) return this.#longTerm.resolve(accessKeyId, sessionToken, at);
    const found = this.#keys.get(accessKeyId);
    if (found === undefined) return this.#load(accessKeyId, at).then(ownCopy);
    this.#hits++;
    return Promise.resolve(ownCopy(found));
  }

  #load(accessKeyId: string, at: Date | undefined): Promise<CredentialLookup | undefined> {
    return this.#keys.load(accessKeyId, async () => {
      const lookup = await this.#longTerm.resolve(accessKeyId, undefined, at);
      if (!lookup || lookup.status === 'expired') return undefined;
      const dependsOn = [dependencyToken.accessKey(accessKeyId)];
      const accountId = lookup.status === 'active' ? lookup.principal.accountId : lookup.accountId;
      if (accountId) dependsOn.push(dependencyToken.account(accountId));
      if (lookup.status === 'active') dependsOn.push(dependencyToken.principal(lookup.principal.arn));
      return { value: lookup, dependsOn };
    });
  }

  recordUse(accessKeyId: string, use: { at: Date; service: string; region: string }): void {
    this.#longTerm.recordUse?.(accessKeyId, use);
  }

  /** Forgets what `change` makes stale. */
  forget(change: CachedStateChange): void {
    // A key's entry holds its owner's ARN and status, never the owner's tags.
    if (change.scope === 'principal' && change.tagsOnly) return;
    this.#keys.forget(change);
  }

  /** Entries and hit counts, for metrics. */
  get stats(): { entries: number; hits: number; misses: number } {
    return { entries: this.#keys.size, hits: this.#keys.stats.hits + this.#hits, misses: this.#keys.stats.misses };
  }
}
