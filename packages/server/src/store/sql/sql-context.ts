import type { Kysely } from 'kysely';
import type { SecretBox } from '../../crypto/secret-box.js';
import { AUDIT_CHAIN_KEY_PURPOSE } from '../chain-hash.js';
import { retryRefusedBegin, type BeginRetry } from './begin-retry.js';
import type { PageReader } from './prepared-pages.js';
import type { DirectReader } from './prepared-reads.js';
import type { Database } from './schema.js';

/** What a dialect adds to the shared implementation: capability flags, locking and page reading. @internal */
export interface SqlDialectHooks {
  /** Which database. */
  readonly dialect: 'sqlite' | 'postgres';
  /**
   * Whether `SELECT … FOR UPDATE` exists. SQLite has no row locks and needs none: its transactions
   * run one at a time (`BEGIN IMMEDIATE` on a single connection).
   */
  readonly supportsRowLocks: boolean;
  /** Serializes audit appends until `trx` commits (PostgreSQL: an advisory transaction lock). */
  lockAuditChain(trx: Kysely<Database>): Promise<void>;
  /**
   * Run inside the transaction of an audit lookup, before its queries. Every lookup shape has an
   * index whose order is the answer's order, so walking it backwards and stopping after `limit`
   * rows is always the best plan; PostgreSQL's planner may pick a bitmap scan plus sort when its
   * statistics lag behind a bulk insert (seconds of work over a million rows), so it is told not to.
   * Absent (SQLite): the lookup runs without a transaction. A lookup inside a caller's transaction
   * leaves those planner settings in force until that transaction ends (slower plans, same results).
   */
  prepareAuditLookup?(trx: Kysely<Database>): Promise<void>;
  /**
   * Sends a notification on `channel` from transaction `trx`, delivered when it commits (PostgreSQL:
   * `pg_notify`). Absent (SQLite): a database file has one process, and nothing to notify.
   */
  notifyOnCommit?(trx: Kysely<Database>, channel: string, payload: string): Promise<void>;
  /** How a listing's page is made JSON by the database and read back (`prepared-pages.ts`). */
  readonly pageReader: PageReader;
  /**
   * SQLite: a transaction whose BEGIN finds another process's write lock is begun again on a timer
   * (`begin-retry.ts`) rather than waited for on the event loop. Absent: BEGIN is not retried. A
   * context bound to a connection someone holds must not have it (the pauses would keep holding it).
   */
  readonly beginRetry?: BeginRetry;
  /**
   * SQLite: a read outside a transaction refused by another connection's lock (`SQLITE_BUSY_RECOVERY`)
   * is run again on the same timer (`sql-store.ts`, `waitingForLocks`). Absent: it fails at once.
   */
  readonly readRetry?: BeginRetry;
}

/** The parent rows that quotas and services' check-then-act rules lock. @internal */
export type LockableTable = 'accounts' | 'users' | 'groups' | 'roles' | 'managed_policies' | 'mfa_devices' | 'server_certificates' | 'instance_profiles' | 'oidc_providers' | 'saml_providers';

/** A count query as the `count` helper takes it. */
interface CountQuery {
  executeTakeFirstOrThrow(): Promise<{ n: number | string | bigint }>;
}

/**
 * What every aggregate's SQL works over: the Kysely instance (the pool, or one open transaction),
 * the dialect's hooks, the box that seals secrets and the audit chain's key derived from it.
 * Immutable; a transaction gets its own.
 *
 * @internal
 */
export class SqlContext {
  /** The key of the audit hash chain, derived from the master key (`chain-hash.ts`). */
  readonly auditChainKey: Buffer;

  constructor(
    readonly db: Kysely<Database>,
    readonly hooks: SqlDialectHooks,
    readonly secretBox: SecretBox,
    /** True inside `transaction()`: `atomic` then joins instead of starting another. */
    readonly inTransaction = false,
    auditChainKey?: Buffer,
    /**
     * The dialect's fast path for `PreparedRead`s outside transactions. Only the store's own
     * context has it: a transaction's context (or one bound to a held connection) reads through `db`.
     */
    readonly direct?: DirectReader,
  ) {
    this.auditChainKey = auditChainKey ?? secretBox.deriveKey(AUDIT_CHAIN_KEY_PURPOSE);
  }

  /** The context of transaction `trx`. */
  withTransaction(trx: Kysely<Database>): SqlContext {
    return new SqlContext(trx, this.hooks, this.secretBox, true, this.auditChainKey);
  }

  /** Runs `fn` in this transaction, or in a new one: a multi-statement method is atomic either way. */
  atomic<T>(fn: (tx: SqlContext) => Promise<T>): Promise<T> {
    if (this.inTransaction) return fn(this);
    return retryRefusedBegin(this.hooks.beginRetry, () => this.db.transaction().execute((trx) => fn(this.withTransaction(trx))));
  }

  /**
   * A store method's write made outside any transaction (a console sign-in's failure count, a
   * lease, a password's last use): where the dialect waits for another process's lock on a timer
   * (SQLite's `beginRetry`), it runs as a transaction of its own, so its refused BEGIN is begun
   * again instead of the write failing at once; elsewhere, and inside a transaction, as it is.
   * (The SQLite store runs every write of its own methods as a transaction anyway, `sql-store.ts`'s
   * `waitingForLocks`; this keeps a method that writes safe on a context bound otherwise.)
   */
  write<T>(fn: (ctx: SqlContext) => Promise<T>): Promise<T> {
    if (this.inTransaction || !this.hooks.beginRetry) return fn(this);
    return this.atomic(fn);
  }

  /**
   * Locks one row by primary key `id` until commit (a plain existence check where rows cannot be
   * locked: see `SqlDialectHooks.supportsRowLocks`). Call it inside `atomic`, before counting.
   */
  async lockRow(table: LockableTable, id: string): Promise<boolean> {
    let query = this.db.selectFrom(table).select('id').where('id', '=', id);
    if (this.hooks.supportsRowLocks) query = query.forUpdate();
    return (await query.executeTakeFirst()) !== undefined;
  }

  /** The `n` of a `count(*) as n` query, as a number on both dialects. */
  async count(query: CountQuery): Promise<number> {
    return Number((await query.executeTakeFirstOrThrow()).n);
  }
}
