/**
 * The hot path's cache of IAM users read by name with their tags: the target of an IAM call that
 * names a user (its ARN's path, `iam:ResourceTag/…`, its boundary) and what GetUser answers. Kept
 * true as the principal cache is (`docs/ARCHITECTURE.md`, "The hot path"): an entry depends on the
 * user's ARN and its account, and every write that changes what it holds publishes one of them
 * (`store/change-publishing-store.ts`): rename, move, boundary and deletion (`updateUser`,
 * `deleteUser`), tags (`putTags`, `removeTags`), the password's last use (`recordUserPasswordUse`),
 * account-wide changes and `everything`. A user not found is not cached (creating it publishes
 * nothing).
 *
 * @module
 */
import type { CachedStateChange } from '../../domain/ports/change-feed.js';
import type { Store, Tag, UserRow } from '../../store/store.js';
import { dependencyToken } from './change-tokens.js';
import { DependentCache } from './dependent-cache.js';

/** A user and its tags as the store answers them. Shared between requests: never modify it. */
export interface CachedUserWithTags {
  readonly user: UserRow;
  readonly tags: Tag[];
}

/**
 * Users by account and name (case-insensitive, as IAM names are), read from the store given at
 * construction: never through a caller's transaction, whose uncommitted writes it would keep.
 *
 * @example
 * ```ts
 * const users = new UserWithTagsCache(() => store, { maxEntries: 10_000 });
 * feed.subscribe((change) => users.forget(change));
 * const found = await users.load(accountId, 'Alice');
 * ```
 */
export class UserWithTagsCache {
  readonly #entries: DependentCache<CachedUserWithTags>;
  readonly #store: () => Pick<Store, 'getUserWithTags'>;

  /** Reads `store()` (outside transactions); `maxEntries` users, 0 turns caching off (every load reads the store). Default is 10 000. */
  constructor(store: () => Pick<Store, 'getUserWithTags'>, options: { maxEntries?: number } = {}) {
    this.#store = store;
    this.#entries = new DependentCache(options.maxEntries ?? 10_000);
  }

  /** The user named `userName` in `accountId` with its tags, or `undefined` when there is none. */
  load(accountId: string, userName: string): Promise<CachedUserWithTags | undefined> {
    return this.#entries.load(`${accountId}\u0000${userName.toLowerCase()}`, async () => {
      const found = await this.#store().getUserWithTags(accountId, userName);
      return found && { value: found, dependsOn: [dependencyToken.principal(found.user.arn), dependencyToken.account(accountId)] };
    });
  }

  /** Forgets what `change` makes stale. */
  forget(change: CachedStateChange): void {
    this.#entries.forget(change);
  }

  /** Entries and hit counts, for metrics and tests. */
  get stats(): { entries: number; hits: number; misses: number } {
    return { entries: this.#entries.size, hits: this.#entries.stats.hits, misses: this.#entries.stats.misses };
  }
}
