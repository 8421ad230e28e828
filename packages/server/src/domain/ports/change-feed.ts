/**
 * What changed, told to whoever keeps something derived from the store in memory (the hot path's
 * caches of access keys, principals and compiled policy sets). A node publishes after its
 * transaction commits; every node's subscribers hear it: at once on the same node, and through the
 * database's notification channel on the others (PostgreSQL `LISTEN/NOTIFY`).
 *
 * @module
 */

/**
 * One change. `scope` names what a cache must forget; `key` narrows it (an access key id, a
 * principal's ARN, a policy ARN). `everything` is sent after a node reconnects to the channel and
 * may have missed changes: drop all cached state of the account (or of every account when
 * `accountId` is absent). `tagsOnly` on a principal change says only its tags changed (not its ARN,
 * keys or policies): what depends on its tags forgets it, a cached access key of it need not.
 */
export type CachedStateChange =
  | { scope: 'access-key'; accountId: string; key: string }
  | { scope: 'principal'; accountId: string; key: string; tagsOnly?: true }
  | { scope: 'policy'; accountId: string; key: string }
  | { scope: 'account'; accountId: string }
  | { scope: 'everything'; accountId?: string };

/** Unsubscribes the listener it was returned for. */
export type Unsubscribe = () => void;

/** The channel changes travel on. */
export interface ChangeFeed {
  /** Tells every subscriber on every node. Call it only after the change has committed. */
  publish(changes: readonly CachedStateChange[]): Promise<void>;
  /** Calls `listener` for every change published by any node, this one included. */
  subscribe(listener: (change: CachedStateChange) => void): Unsubscribe;
  /** Stops listening and releases the channel's connection. */
  close(): Promise<void>;
}
