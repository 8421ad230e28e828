/**
 * The {@link ChangeFeed} of a single node (SQLite, or one PostgreSQL node): changes reach this
 * process's subscribers synchronously inside `publish`, so when a mutation's response is sent its
 * node's caches have already forgotten what it changed.
 *
 * @module
 */
import type { CachedStateChange, ChangeFeed, Unsubscribe } from '../domain/ports/change-feed.js';

/**
 * In-process change feed.
 *
 * @example
 * ```ts
 * const feed = new LocalChangeFeed();
 * const stop = feed.subscribe((change) => caches.forget(change));
 * await feed.publish([{ scope: 'access-key', accountId, key: 'AKIA…' }]);
 * ```
 */
export class LocalChangeFeed implements ChangeFeed {
  readonly #listeners = new Set<(change: CachedStateChange) => void>();
  readonly #onError: (error: unknown) => void;

  /** `onError` receives a listener's exception; the other listeners still hear the change. */
  constructor(options: { onError?: (error: unknown) => void } = {}) {
    this.#onError = options.onError ?? (() => {});
  }

  publish(changes: readonly CachedStateChange[]): Promise<void> {
    for (const change of changes) {
      for (const listener of this.#listeners) {
        try {
          listener(change);
        } catch (err) {
          this.#onError(err);
        }
      }
    }
    return Promise.resolve();
  }

  subscribe(listener: (change: CachedStateChange) => void): Unsubscribe {
    // A wrapper per subscription, so subscribing the same function twice needs two unsubscribes.
    const own = (change: CachedStateChange): void => listener(change);
    this.#listeners.add(own);
    return () => {
      this.#listeners.delete(own);
    };
  }

  close(): Promise<void> {
    this.#listeners.clear();
    return Promise.resolve();
  }
}
