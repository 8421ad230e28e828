/**
 * What changed, told to whoever keeps something derived from the store in memory (the hot path's
 * caches of access keys, principals and compiled policy sets). Every node's subscribers hear it: on
 * the same node at once after the transaction commits, and on the others through the database's
 * notification channel (PostgreSQL `LISTEN/NOTIFY`), sent inside the transaction that makes the
 * change, so it is delivered exactly when that transaction commits, whatever becomes of the node.
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

/**
 * An open transaction as a feed writes into it (a `Store` inside `transaction()`): a notification
 * sent here is delivered to the channel's listeners when the transaction commits, and never if it
 * rolls back (PostgreSQL `NOTIFY` inside a transaction).
 */
export interface NotifyingTransaction {
  notifyOnCommit(channel: string, payload: string): Promise<void>;
}

/** The channel changes travel on. */
export interface ChangeFeed {
  /**
   * Tells every subscriber on every node. Call it only after the change has committed. With
   * `othersTold` (the changes were given to `tellOthersAtCommit` in the transaction that committed
   * them), only this node's subscribers.
   */
  publish(changes: readonly CachedStateChange[], options?: { othersTold?: boolean }): Promise<void>;
  /**
   * Present on a feed whose other nodes hear changes through the store's own database: writes the
   * notifications of `changes` into `tx`, the open transaction that makes them, before it commits,
   * so the other nodes hear of them exactly when it commits (a node killed right after its COMMIT
   * has told them already) and never when it rolls back. A failure fails the transaction. After the
   * commit, `publish(changes, { othersTold: true })` tells this node.
   */
  tellOthersAtCommit?(tx: NotifyingTransaction, changes: readonly CachedStateChange[]): Promise<void>;
  /** Calls `listener` for every change published by any node, this one included. */
  subscribe(listener: (change: CachedStateChange) => void): Unsubscribe;
  /** Stops listening and releases the channel's connection. */
  close(): Promise<void>;
}
