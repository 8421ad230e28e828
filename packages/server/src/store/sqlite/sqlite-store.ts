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
import { withStoreDialect, type StoreDialect } from '../sql/translating-dialect.js';
import { sqliteAlreadyRolledBack, translateSqliteError } from './sqlite-errors.js';
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
   * How long a statement waits for another process's lock (e.g. `castellan trail verify` reading
   * while the server writes) before failing with `StoreUnavailableError`. Default is `5000` ms.
   */
  busyTimeoutMs?: number;
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
 * never fail halfway with SQLITE_BUSY; other processes wait up to `busyTimeoutMs`.
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
    try {
      database.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
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
    });
    const db = new Kysely<Database>({ dialect });
    try {
      await migrateToLatest(db);
    } catch (error) {
      await db.destroy();
      throw error;
    }
    const busyTimeoutMs = Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000));
    return new SqliteStore(db, database, options.secretBox, options.filename, memory ? undefined : `${options.filename}-wal`, sqliteDirectReader(db, statements, dialect),
      !memory && (options.auditWorker ?? true) ? busyTimeoutMs : undefined);
  }

  private readonly checkpointer: WalCheckpointer | undefined;
  private readonly batched: ReturnType<typeof batchedAppend> | undefined;
  private readonly auditWorker: AuditAppendWorker | undefined;
  private readonly lastUsedWrites: RelaxedCommits | undefined;

  /** `workerBusyTimeoutMs` is set when batched audit appends go to the worker thread. */
  private constructor(db: Kysely<Database>, database: BetterSqlite3.Database, secretBox: SecretBox, filename: string, walFile: string | undefined, direct: DirectReader,
    workerBusyTimeoutMs: number | undefined) {
    super({ db, hooks: HOOKS, secretBox, groupCommits: true, direct });
    // Appends outside a transaction are the audit log's batches (a mutation's record is appended on its `tx`).
    this.checkpointer = walFile ? new WalCheckpointer(database, filename) : undefined;
    const chainKey = new SqlContext(db, HOOKS, secretBox).auditChainKey;
    if (walFile && workerBusyTimeoutMs !== undefined) {
      this.auditWorker = sqliteAuditWorker(db, { filename, walFile, chainKey, busyTimeoutMs: workerBusyTimeoutMs, checkpointer: this.checkpointer });
      this.appendAuditEvents = this.auditWorker.append;
    } else {
      this.batched = batchedAppend(db, database, chainKey, walFile, this.checkpointer);
      this.appendAuditEvents = this.batched.append;
    }
    // Last-used data is written in the background (every 2 s): its commits do not fsync on the
    // event loop, and each write still resolves only once durable (`relaxed-commits.ts`).
    if (walFile) {
      const lastUsed = (this.lastUsedWrites = new RelaxedCommits(db, database, walFile));
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
