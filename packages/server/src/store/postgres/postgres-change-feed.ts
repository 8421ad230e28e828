import { createHash, randomUUID } from 'node:crypto';
import pg from 'pg';
import type { CachedStateChange, ChangeFeed, NotifyingTransaction, Unsubscribe } from '../../domain/ports/change-feed.js';
import { boundedWaits, connectionName, DEFAULT_POSTGRES_TIMEOUT_MS, postgresTarget, type PostgresTarget } from './postgres-connection.js';

/** Options of `PostgresChangeFeed.open`. */
export interface PostgresChangeFeedOptions {
  /**
   * `postgres://…` of the store (a `schema` query parameter is ignored here; pass `schema`). Its
   * `application_name` parameter starts the connections' names instead of `castellan`.
   */
  url: string;
  /** The store's schema: nodes on the same schema share one channel, other schemas never hear it. */
  schema: string;
  /** Receives connection failures and listener exceptions (for logging); the feed goes on. */
  onError?: (error: unknown, context: string) => void;
  /** Backoff between reconnection attempts: first and longest wait. Default 100 ms and 5 s. */
  reconnectDelayMs?: { initial: number; max: number };
  /**
   * How often the listening connection is checked with a query (which fails after 3 s without an
   * answer), so a connection dropped without a FIN is noticed within about 5 s. Default 2 s.
   */
  heartbeatMs?: number;
  /**
   * While not listening, subscribers are told `everything` this often, so nothing cached is older
   * than this even when other nodes' notifications cannot arrive. Default 1 s.
   */
  disconnectedFlushMs?: number;
  /**
   * Bounds the publishing connections' waits (connecting, a free connection, a `pg_notify`), so a
   * stalled database fails a publish (then owed to every node) instead of holding the mutation's
   * answer. Default 15 s (`postgres-connection.ts`).
   */
  timeoutMs?: number;
}

/** One notification: who sent it (so a node skips its own) and what changed. */
interface Envelope {
  o: string;
  c: CachedStateChange[];
}

const EVERYTHING = (origin: string): string => JSON.stringify({ o: origin, c: [{ scope: 'everything' }] } satisfies Envelope);

// PostgreSQL refuses payloads of 8000 bytes or more; stay well below with the envelope around it.
const MAX_PAYLOAD_BYTES = 7_000;
// More notifications than this for one publish would flood every node: tell them less, precisely.
const MAX_NOTIFICATIONS_PER_PUBLISH = 16;

/**
 * The `ChangeFeed` of nodes sharing one PostgreSQL schema, over `LISTEN/NOTIFY`.
 *
 * A mutation's changes are sent with `pg_notify`, on a channel named after the schema, inside the
 * mutation's own transaction before its COMMIT (`tellOthersAtCommit`), so PostgreSQL delivers them
 * exactly when the change commits, even if the node dies right after; then `publish(changes,
 * { othersTold: true })` tells this node's subscribers. A plain `publish` (no transaction: an
 * ephemeral reset) tells this node at once, then sends `pg_notify` on a pooled connection of its
 * own. The other nodes hear them on a dedicated listening connection (not a pooled one: a
 * pooled connection would be handed to queries and lose its `LISTEN`). Payloads stay under
 * PostgreSQL's 8000-byte limit: changes are packed into as few notifications as fit, a single
 * change too long to fit is widened to its account, and a publish that would need more than a
 * few notifications is widened to `account` (or `everything`) changes.
 *
 * A notification is delivered only to connections listening when it commits, so a node that was
 * not connected may have missed some: after every connection but the first of `open()` (before
 * anyone subscribed), the feed tells its own subscribers `{ scope: 'everything' }`, and while it is
 * not connected it tells them so every second, so what they cache is never older than that. A plain
 * publish whose notification could not be sent is followed, once the database answers again, by an
 * `everything` notification to every node; a notification that cannot be sent inside a transaction
 * fails that transaction.
 *
 * @example
 * ```ts
 * const feed = await PostgresChangeFeed.open({ url, schema: store.schema, onError: (e) => log.warn(e) });
 * feed.subscribe((change) => cache.forget(change));
 * await store.transaction(async (tx) => {
 *   await tx.updateAccessKeyStatus(accessKeyId, 'Inactive');
 *   await feed.tellOthersAtCommit(tx, [{ scope: 'access-key', accountId, key: accessKeyId }]);
 * });
 * await feed.publish([{ scope: 'access-key', accountId, key: accessKeyId }], { othersTold: true });
 * ```
 */
export class PostgresChangeFeed implements ChangeFeed {
  readonly #origin = randomUUID();
  readonly #listeners = new Set<(change: CachedStateChange) => void>();
  readonly #options: PostgresChangeFeedOptions;
  readonly #channel: string;
  readonly #target: PostgresTarget;
  readonly #publisher: pg.Pool;
  #client: pg.Client | undefined;
  #closed = false;
  #reconnectTimer: NodeJS.Timeout | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  #flushWhileDisconnected: NodeJS.Timeout | undefined;
  #attempt = 0;
  #connections = 0;
  /** Set when a notification could not be sent: the next successful send is `everything` first. */
  #owesEverything = false;
  readonly #firstConnection: Promise<void>;

  /** Opens the feed and waits for its listening connection; throws when PostgreSQL cannot be reached now. */
  static async open(options: PostgresChangeFeedOptions): Promise<PostgresChangeFeed> {
    const feed = new PostgresChangeFeed(options);
    try {
      await feed.#firstConnection;
    } catch (error) {
      await feed.close();
      throw error;
    }
    return feed;
  }

  /**
   * Starts connecting at once, without waiting (the composition root builds it synchronously); a
   * first attempt that fails is retried with backoff, as a lost connection is.
   */
  constructor(options: PostgresChangeFeedOptions) {
    this.#options = options;
    this.#channel = changeChannel(options.schema);
    this.#target = postgresTarget(options.url);
    this.#publisher = new pg.Pool({
      connectionString: this.#target.connectionString, max: 2, application_name: connectionName(this.#target, 'change-feed-publish'),
      ...boundedWaits(options.timeoutMs ?? DEFAULT_POSTGRES_TIMEOUT_MS),
    });
    this.#publisher.on('error', (error) => this.#report(error, 'idle publishing connection failed'));
    this.#startFlushing();
    this.#firstConnection = this.#connect();
    this.#firstConnection.catch((error: unknown) => {
      this.#report(error, 'connecting the change feed failed; retrying');
      this.#scheduleReconnect();
    });
  }

  /** The channel's name (for tests and operators: `LISTEN "<name>"`). */
  get channel(): string {
    return this.#channel;
  }

  /** Whether the listening connection is up (other nodes' changes arrive). */
  get connected(): boolean {
    return this.#client !== undefined;
  }

  /** How many times the listening connection was established again after it was lost. */
  get reconnections(): number {
    return Math.max(0, this.#connections - 1);
  }

  /** The application name of this feed's listening connection in `pg_stat_activity`. */
  get applicationName(): string {
    return connectionName(this.#target, `change-feed-${this.#origin}`);
  }

  /**
   * The mutations' path (`change-publishing-store.ts`): the notifications, packed as `publish` packs
   * them, are sent with `pg_notify` on the transaction's own connection, so PostgreSQL delivers them
   * when it commits and never when it rolls back. A failure fails the transaction, so nothing is
   * committed that the other nodes are not told of.
   */
  async tellOthersAtCommit(tx: NotifyingTransaction, changes: readonly CachedStateChange[]): Promise<void> {
    if (changes.length === 0 || this.#closed) return;
    for (const payload of notificationPayloads(this.#origin, changes)) await tx.notifyOnCommit(this.#channel, payload);
  }

  async publish(changes: readonly CachedStateChange[], options: { othersTold?: boolean } = {}): Promise<void> {
    if (changes.length === 0 || this.#closed) return;
    for (const change of changes) this.#deliver(change);
    if (options.othersTold) return;
    const payloads = notificationPayloads(this.#origin, changes);
    try {
      if (this.#owesEverything) {
        await this.#notify(EVERYTHING(this.#origin));
        this.#owesEverything = false;
      }
      for (const payload of payloads) await this.#notify(payload);
    } catch (error) {
      // The change committed; other nodes must still learn of it. Telling them everything later
      // covers this publish whatever it held.
      this.#owesEverything = true;
      this.#report(error, 'sending a change notification failed; every node will be told to drop everything');
      this.#scheduleOwedNotification();
    }
  }

  subscribe(listener: (change: CachedStateChange) => void): Unsubscribe {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#reconnectTimer);
    clearInterval(this.#heartbeat);
    clearInterval(this.#flushWhileDisconnected);
    const client = this.#client;
    this.#client = undefined;
    this.#listeners.clear();
    await Promise.allSettled([client?.end(), this.#publisher.end()]);
  }

  async #notify(payload: string): Promise<void> {
    await this.#publisher.query('select pg_notify($1, $2)', [this.#channel, payload]);
  }

  #deliver(change: CachedStateChange): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(change);
      } catch (error) {
        this.#report(error, 'a change listener threw');
      }
    }
  }

  #report(error: unknown, context: string): void {
    if (!this.#closed) this.#options.onError?.(error, context);
  }

  async #connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.#target.connectionString,
      application_name: this.applicationName,
      keepAlive: true,
      query_timeout: 3_000,
    });
    client.on('notification', (message) => {
      if (message.channel !== this.#channel || message.payload === undefined) return;
      const envelope = parseEnvelope(message.payload);
      if (!envelope) return this.#report(new Error('unreadable change notification'), 'ignored a notification');
      if (envelope.o === this.#origin) return; // delivered at once when published
      for (const change of envelope.c) this.#deliver(change);
    });
    client.on('error', (error) => this.#lost(client, error));
    client.on('end', () => this.#lost(client, new Error('the listening connection ended')));
    try {
      await client.connect();
      await client.query(`listen "${this.#channel}"`);
    } catch (error) {
      client.removeAllListeners('end');
      client.on('error', () => {});
      await client.end().catch(() => {});
      throw error;
    }
    if (this.#closed) {
      await client.end().catch(() => {});
      return;
    }
    this.#client = client;
    this.#attempt = 0;
    this.#connections++;
    clearInterval(this.#flushWhileDisconnected);
    this.#flushWhileDisconnected = undefined;
    // Whatever was published before this connection listened is lost to it: forget everything.
    // (On the first connection of `open()` no one has subscribed yet.)
    this.#deliver({ scope: 'everything' });
    clearInterval(this.#heartbeat);
    // A connection dropped without a FIN (a partition, a killed host) is noticed by a failing query.
    this.#heartbeat = setInterval(() => {
      client.query('select 1').catch((error: unknown) => this.#lost(client, error));
    }, this.#options.heartbeatMs ?? 2_000);
    this.#heartbeat.unref();
  }

  /** The listening connection failed: drop it and reconnect with backoff. */
  #lost(client: pg.Client, error: unknown): void {
    if (this.#closed || this.#client !== client) return;
    this.#client = undefined;
    clearInterval(this.#heartbeat);
    client.removeAllListeners('end');
    client.on('error', () => {});
    client.end().catch(() => {});
    this.#report(error, 'the change feed lost its connection; reconnecting');
    this.#startFlushing();
    this.#scheduleReconnect();
  }

  /** Until listening again: tell subscribers `everything` at each interval (see the option). */
  #startFlushing(): void {
    if (this.#flushWhileDisconnected) return;
    this.#flushWhileDisconnected = setInterval(() => this.#deliver({ scope: 'everything' }), this.#options.disconnectedFlushMs ?? 1_000);
    this.#flushWhileDisconnected.unref();
  }

  #scheduleReconnect(): void {
    if (this.#closed || this.#reconnectTimer) return;
    const { initial, max } = this.#options.reconnectDelayMs ?? { initial: 100, max: 5_000 };
    const delay = Math.min(max, initial * 2 ** this.#attempt) * (0.5 + Math.random() / 2);
    this.#attempt++;
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = undefined;
      void this.#connect().then(
        () => {},
        (error: unknown) => {
          this.#report(error, 'reconnecting the change feed failed');
          this.#scheduleReconnect();
        },
      );
    }, delay);
    this.#reconnectTimer.unref();
  }

  #scheduleOwedNotification(): void {
    if (this.#closed) return;
    const timer = setTimeout(() => {
      if (!this.#owesEverything || this.#closed) return;
      this.#notify(EVERYTHING(this.#origin)).then(
        () => { this.#owesEverything = false; },
        () => this.#scheduleOwedNotification(),
      );
    }, 1_000);
    timer.unref();
  }
}

/** The channel of a schema: a quoted identifier under PostgreSQL's 63-byte limit, the same on every node. */
export function changeChannel(schema: string): string {
  return `castellan_changes_${createHash('sha256').update(schema).digest('hex').slice(0, 40)}`;
}

/**
 * The notifications that carry `changes`, each under the payload limit: packed in order; a change
 * too long on its own widened to its account; too many notifications widened to the accounts
 * involved, or to everything.
 *
 * @internal exported for its test
 */
export function notificationPayloads(origin: string, changes: readonly CachedStateChange[], maxBytes = MAX_PAYLOAD_BYTES): string[] {
  const fits = (c: CachedStateChange[]): boolean => Buffer.byteLength(JSON.stringify({ o: origin, c })) <= maxBytes;
  const pack = (list: readonly CachedStateChange[]): string[] => {
    const out: string[] = [];
    let batch: CachedStateChange[] = [];
    for (const original of list) {
      const change = fits([original]) ? original : widen(original);
      if (fits([...batch, change])) batch.push(change);
      else {
        out.push(JSON.stringify({ o: origin, c: batch }));
        batch = [change];
      }
    }
    if (batch.length > 0) out.push(JSON.stringify({ o: origin, c: batch }));
    return out;
  };
  const precise = pack(changes);
  if (precise.length <= MAX_NOTIFICATIONS_PER_PUBLISH) return precise;
  const accounts = [...new Set(changes.map((c) => ('accountId' in c ? c.accountId : undefined)))];
  const widened: CachedStateChange[] = accounts.includes(undefined)
    ? [{ scope: 'everything' }]
    : accounts.map((accountId) => ({ scope: 'account', accountId: accountId! }));
  const coarse = pack(widened);
  return coarse.length <= MAX_NOTIFICATIONS_PER_PUBLISH ? coarse : [JSON.stringify({ o: origin, c: [{ scope: 'everything' }] })];
}

function widen(change: CachedStateChange): CachedStateChange {
  return change.scope === 'everything' || change.accountId === undefined || change.accountId.length > 64
    ? { scope: 'everything' }
    : { scope: 'account', accountId: change.accountId };
}

const SCOPES = new Set(['access-key', 'principal', 'policy', 'account', 'everything']);

function parseEnvelope(payload: string): Envelope | undefined {
  try {
    const value = JSON.parse(payload) as Partial<Envelope>;
    if (typeof value.o !== 'string' || !Array.isArray(value.c)) return undefined;
    if (!value.c.every((c) => typeof c === 'object' && c !== null && SCOPES.has((c as { scope?: string }).scope ?? ''))) return undefined;
    return value as Envelope;
  } catch {
    return undefined;
  }
}
