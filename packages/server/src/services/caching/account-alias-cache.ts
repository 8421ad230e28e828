/**
 * The account alias each account's root is recorded by (CloudTrail's `userName` of a `Root`
 * identity), for principals that are not built from a cached access key: root's console sessions and
 * the sessions root obtained with GetSessionToken. Read once per account, not per call, and kept true
 * as the access-key cache is: `createAccountAlias` and `deleteAccountAlias` publish an `account`
 * change (`store/change-publishing-store.ts`), which forgets the account's entry, as does
 * `everything`. An account without an alias is remembered too (creating one publishes).
 *
 * @module
 */
import type { CachedStateChange } from '../../domain/ports/change-feed.js';
import type { Store } from '../../store/store.js';
import { dependencyToken } from './change-tokens.js';
import { DependentCache } from './dependent-cache.js';

/** An entry: the alias, or none (an object, so "no alias" is cached too). */
interface AliasEntry {
  readonly alias: string | undefined;
}

/**
 * Aliases by account, read from the store given at construction (outside any transaction).
 *
 * @example
 * ```ts
 * const aliases = new AccountAliasCache(() => store);
 * feed.subscribe((change) => aliases.forget(change));
 * const alias = await aliases.alias(accountId);
 * ```
 */
export class AccountAliasCache {
  readonly #entries: DependentCache<AliasEntry>;
  readonly #store: () => Pick<Store, 'listAccountAliases'>;

  /** `maxEntries` accounts; 0 turns caching off (every call reads the store). Default is 10 000. */
  constructor(store: () => Pick<Store, 'listAccountAliases'>, options: { maxEntries?: number } = {}) {
    this.#store = store;
    this.#entries = new DependentCache(options.maxEntries ?? 10_000);
  }

  /** The alias of `accountId`, or `undefined` when it has none. */
  async alias(accountId: string): Promise<string | undefined> {
    const entry = await this.#entries.load(accountId, async () => {
      const [alias] = await this.#store().listAccountAliases(accountId);
      return { value: { alias }, dependsOn: [dependencyToken.account(accountId)] };
    });
    return entry?.alias;
  }

  /** Forgets what `change` makes stale. */
  forget(change: CachedStateChange): void {
    this.#entries.forget(change);
  }
}
