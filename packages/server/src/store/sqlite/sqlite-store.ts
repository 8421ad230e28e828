import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, Kysely, SqliteDialect, type SqliteDatabase } from 'kysely';
import type { SecretBox } from '../../crypto/secret-box.js';
import { migrateToLatest } from '../sql/migrate.js';
import type { Database } from '../sql/schema.js';
import type { DirectReader, RowMode } from '../sql/prepared-reads.js';
import { SqlContext, type SqlDialectHooks } from '../sql/sql-context.js';
import type { AuditAppendWorker } from '../sql/audit-append-worker.js';
import { sqliteAuditWorker } from './audit-append-worker.js';
import { batchedAppend } from './batched-append.js';
import { sqlitePageReader } from './sqlite-pages.js';
import { SqlStore } from '../sql/sql-store.js';
import { retryRefusedBegin } from '../sql/begin-retry.js';
import { withStoreDialect, type StoreDialect } from '../sql/translating-dialect.js';
import { sqliteAlreadyRolledBack, sqliteBeginRetry, translateSqliteBeginError, translateSqliteError } from './sqlite-errors.js';
import { withStatementCache } from './statement-cache.js';
import { WalCheckpointer } from './wal-checkpointer.js';
import { RelaxedCommits } from './relaxed-commits.js';
import { sqlAccessKeyStore } from '../sql/access-keys.js';
import { sqlAccessActivityStore } from '../sql/access-activity.js';

/** Options of `SqliteStore.open`. */
export interface SqliteStoreOptions {
  /** The database file, created with its directory if missing; `:memory:` for `serve --ephemeral`. */
  filename: string;
  /** Encrypts secret access keys at rest. */
  secretBox: SecretBox;
  /**
   * How long a write waits for another process's write lock (a `sqlite3` shell inside a
   * transaction, a backup tool, a `castellan` command writing beside the server) before failing
   * with `StoreUnavailableError`. The wait is on a timer, never in SQLite's busy handler on the
   * event loop (`sql/begin-retry.ts`), except while the schema is migrated at open. Default is `5000` ms.
   */
  busyTimeoutMs?: number;
  /**
   * For a one-shot command (`castellan account …`, `castellan trail …`), which has no requests to
   * keep answering: every statement waits for another process's lock in SQLite's busy handler, up
   * to `busyTimeoutMs`, as SQLite does by default, so a write outside a transaction rides out the
   * server's short transactions too. Default `false`: the server's waits are on a timer (above).
   */
  blockingBusyWaits?: boolean;
  /**
   * Whether a file database's batched audit appends (outside any transaction) are chained and
   * written by a worker thread with its own connection (`audit-append-worker.ts`), off the event
   * loop. Default is `true`; an in-memory database always appends on the server's connection.
   */
  auditWorker?: boolean;
}

const HOOKS: SqlDialectHooks = Object.freeze({
  dialect: 'sqlite',
  supportsRowLocks: false,
  // INVARIANT: every transaction is BEGIN IMMEDIATE on the single connection, so an append already
  // holds the database's write lock and no other transaction runs until it commits.
  async lockAuditChain() {},
  // No prepareAuditLookup: SQLite's planner already prefers the index whose order matches ORDER BY … LIMIT.
  pageReader: sqlitePageReader,
});

/**
 * The SQLite store (better-sqlite3): one connection, WAL journal, foreign keys on.
 *
 * Durability: `synchronous=FULL`. In WAL mode, NORMAL may lose the last commits on power loss or
 * an OS crash (the WAL is synced only at checkpoints); FULL syncs the WAL at every commit, so a
 * write that was acknowledged survives any crash, which the server promises. The cost is one
 * fsync per commit, which is why access-key and role last-used updates are batched, and why
 * transactions ready at the same moment share one commit (`sql/group-commit.ts`), each in its own
 * savepoint and acknowledged only once that commit is durable.
 *
 * Concurrency: Kysely's SQLite driver hands its one connection to one caller at a time, and every
 * transaction starts with `BEGIN IMMEDIATE`, so transactions in this process never interleave and
 * never fail halfway with SQLITE_BUSY. Another process's write lock is not waited for in SQLite's
 * busy handler (`busy_timeout = 0` once migrated: that wait held the event loop, so every request
 * and `/healthz` with it): a refused BEGIN is begun again on a timer for up to `busyTimeoutMs`,
 * the connection free for reads meanwhile (`sql/begin-retry.ts`, `sql/group-commit.ts`). Every
 * store method that writes outside a transaction runs as a transaction of its own, and a read
 * refused by the lock (another connection recovering the WAL index) is run again on the same timer
 * (`sql/sql-store.ts`, `waitingForLocks`); last-used data and the audit log's batches are retried
 * whole the same way (the worker's connection does not wait in SQLite either: the server's
 * connection is leased to it while it writes). No statement of the store fails at once on a lock.
 *
 * @example
 * ```ts
 * const store = await SqliteStore.open({ filename: 'data/castellan.db', secretBox });
 * ```
 */
export class SqliteStore extends SqlStore {
  /** Opens (creating and migrating as needed) the database. */
  static async open(options: SqliteStoreOptions): Promise<SqliteStore> {
    const memory = options.filename === ':memory:' || options.filename === '';
    if (!memory) mkdirSync(dirname(options.filename), { recursive: true });
    const database = new BetterSqlite3(options.filename);
    const busyTimeoutMs = Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000));
    try {
      // Migrating at open, before anything is served, may wait in SQLite's busy handler; not after.
      database.pragma(`busy_timeout = ${busyTimeoutMs}`);
      if (!memory) database.pragma('journal_mode = WAL');
      database.pragma('synchronous = FULL');
      database.pragma('foreign_keys = ON');
      database.pragma('cache_size = -65536');
    } catch (error) {
      database.close();
      throw translateSqliteError(error);
    }
    const statements = withStatementCache(database);
    const dialect = withStoreDialect(new SqliteDialect({ database: statements }), {
      translateError: translateSqliteError,
      alreadyRolledBack: sqliteAlreadyRolledBack,
      beginStatement: CompiledQuery.raw('begin immediate'),
      translateBeginError: translateSqliteBeginError,
    });
    const db = new Kysely<Database>({ dialect });
    try {
      await migrateToLatest(db);
      if (!options.blockingBusyWaits) database.pragma('busy_timeout = 0');
    } catch (error) {
      await db.destroy();
      throw error;
    }
    return new SqliteStore(db, database, options.secretBox, options.filename, memory ? undefined : `${options.filename}-wal`, sqliteDirectReader(db, statements, dialect),
      busyTimeoutMs, options.blockingBusyWaits ?? false, !memory && (options.auditWorker ?? true));
  }

  private readonly checkpointer: WalCheckpointer | undefined;
  private readonly batched: ReturnType<typeof batchedAppend> | undefined;
  private readonly auditWorker: AuditAppendWorker | undefined;
  private readonly lastUsedWrites: RelaxedCommits | undefined;

  /** `useAuditWorker`: batched audit appends go to the worker thread. */
  private constructor(db: Kysely<Database>, database: BetterSqlite3.Database, secretBox: SecretBox, filename: string, walFile: string | undefined, direct: DirectReader,
    busyTimeoutMs: number, blockingBusyWaits: boolean, useAuditWorker: boolean) {
    super({
      db, secretBox, groupCommits: true, direct,
      hooks: blockingBusyWaits ? HOOKS : { ...HOOKS, beginRetry: sqliteBeginRetry(busyTimeoutMs), readRetry: sqliteBeginRetry(busyTimeoutMs, { idempotent: true }) },
    });
    // Appends outside a transaction are the audit log's batches (a mutation's record is appended on its `tx`).
    this.checkpointer = walFile ? new WalCheckpointer(database, filename) : undefined;
    const chainKey = new SqlContext(db, HOOKS, secretBox).auditChainKey;
    if (walFile && useAuditWorker) {
      // The worker does not wait in SQLite for another process's lock either: it writes while the
      // server's connection is leased to it, so that wait would hold up every read queued for the
      // connection. A batch refused at its BEGIN (nothing written) is posted again on a timer, the
      // lease released meanwhile, up to the bound; past it `StoreAuditLog` keeps it queued.
      const worker = (this.auditWorker = sqliteAuditWorker(db, { filename, walFile, chainKey, busyTimeoutMs: blockingBusyWaits ? busyTimeoutMs : 0, checkpointer: this.checkpointer }));
      const retry = blockingBusyWaits ? undefined : sqliteBeginRetry(busyTimeoutMs, { idempotent: true });
      this.appendAuditEvents = retry ? (events) => retryRefusedBegin(retry, () => worker.append(events)) : worker.append;
    } else {
      const batched = (this.batched = batchedAppend(db, database, chainKey, walFile, this.checkpointer));
      // A file's batch refused at its BEGIN IMMEDIATE (nothing written; an append skips events stored already) is begun again, as the worker's is.
      const retry = walFile && !blockingBusyWaits ? sqliteBeginRetry(busyTimeoutMs, { idempotent: true }) : undefined;
      this.appendAuditEvents = retry ? (events) => retryRefusedBegin(retry, () => batched.append(events)) : batched.append;
    }
    // Last-used data is written in the background (every 2 s): its commits do not fsync on the
    // event loop, and each write still resolves only once durable (`relaxed-commits.ts`).
    if (walFile) {
      const lastUsed = (this.lastUsedWrites = new RelaxedCommits(db, database, walFile, blockingBusyWaits ? undefined : sqliteBeginRetry(busyTimeoutMs, { idempotent: true })));
      // HOOKS, without a BeginRetry: the write runs on a held connection, and `RelaxedCommits` retries it whole.
      const on = (connection: Kysely<Database>) => new SqlContext(connection, HOOKS, secretBox, false, chainKey);
      this.recordAccessKeyUse = (batch) => lastUsed.run((connection) => sqlAccessKeyStore(on(connection)).recordAccessKeyUse(batch));
      this.recordActionUse = (batch) => lastUsed.run((connection) => sqlAccessActivityStore(on(connection)).recordActionUse(batch));
    }
  }

  override async close(): Promise<void> {
    // The workers' connections close first, so the server's is the last and removes the WAL.
    await this.auditWorker?.close();
    // An inline append in flight still flushes the WAL, which the last connection's close removes.
    await this.batched?.settled();
    await this.lastUsedWrites?.settled();
    await this.checkpointer?.close();
    await super.close();
    await this.batched?.close();
    await this.lastUsedWrites?.close();
  }
}

/**
 * Prepared reads on the cached statement, synchronously, while nobody holds or awaits the single
 * connection: no transaction is open then, so the read sees committed data only, as it would
 * through Kysely, and runs before anything queued after it. Otherwise a read of objects declines
 * and queues for the connection through Kysely; a read of one column (a listing's page of JSON
 * texts) queues for the connection itself and then runs the same way, since Kysely's driver would
 * build row objects.
 */
function sqliteDirectReader(db: Kysely<Database>, statements: SqliteDatabase, dialect: StoreDialect): DirectReader {
  const run = (sql: string, parameters: unknown[], rowMode: RowMode | undefined): unknown[] => {
    try {
      const statement = statements.prepare(sql) as unknown as BetterSqlite3.Statement;
      if (rowMode === undefined) return statement.all(parameters);
      // Pluck mode is the cached statement's own setting: on for this run only, so whoever runs
      // the same SQL next gets objects again.
      statement.pluck(true);
      try {
        return statement.all(parameters);
      } finally {
        statement.pluck(false);
      }
    } catch (error) {
      throw translateSqliteError(error);
    }
  };
  return {
    read(query, parameters, rowMode) {
      if (dialect.connectionsIdle()) return run(query.query.sql, parameters, rowMode);
      if (rowMode === undefined) return undefined;
      // Holding the connection (no transaction is open on it meanwhile), the statement runs directly.
      return db.connection().execute(async () => run(query.query.sql, parameters, rowMode));
    },
  };
}
