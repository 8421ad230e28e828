import type {
  CompiledQuery,
  DatabaseConnection,
  DatabaseIntrospector,
  Dialect,
  Driver,
  Kysely,
  QueryCompiler,
  QueryResult,
  TransactionSettings,
} from 'kysely';

/** Options of `withStoreDialect`. */
export interface StoreDialectOptions {
  /** Turns a driver error into a store error (or returns it unchanged). The dialect's one mapping point. */
  translateError(error: unknown): unknown;
  /**
   * Replaces the driver's `BEGIN`. SQLite passes `begin immediate` so a transaction takes the write
   * lock up front and never fails halfway with SQLITE_BUSY on its first write. Default: the driver's.
   */
  beginStatement?: CompiledQuery;
  /**
   * Translates the error of a BEGIN, instead of `translateError`: SQLite tells a BEGIN refused by
   * another process's lock apart, since nothing of that transaction ran (`begin-retry.ts`).
   */
  translateBeginError?(error: unknown): unknown;
  /**
   * True for a ROLLBACK's error that says the transaction had already ended. SQLite rolls a
   * transaction back by itself on some errors (SQLITE_FULL, SQLITE_IOERR…); the ROLLBACK that follows
   * then fails, and without this its error would replace the one that says what happened.
   */
  alreadyRolledBack?: (error: unknown) => boolean;
  /** Replaces the dialect's introspector (which Kysely's `Migrator` uses). Default: the dialect's. */
  createIntrospector?: (db: Kysely<any>) => DatabaseIntrospector;
}

/** A dialect made by `withStoreDialect`. @internal */
export interface StoreDialect extends Dialect {
  /**
   * True while no caller holds or waits for a connection of this dialect's driver. On SQLite's
   * single connection that means no transaction is open, so a statement run on the database
   * directly, synchronously, sees only committed data and jumps ahead of nobody (`prepared-reads.ts`).
   */
  connectionsIdle(): boolean;
}

/**
 * A dialect like `inner` whose every query (including BEGIN/COMMIT and migrations) has its errors
 * passed through `translateError`, so no driver error type escapes the store.
 *
 * @internal
 */
export function withStoreDialect(inner: Dialect, options: StoreDialectOptions): StoreDialect {
  const usage = { connections: 0 };
  return {
    createAdapter: () => inner.createAdapter(),
    createQueryCompiler: () => inner.createQueryCompiler(),
    createIntrospector: (db) => (options.createIntrospector ? options.createIntrospector(db) : inner.createIntrospector(db)),
    createDriver: () => new StoreDriver(inner.createDriver(), options, usage),
    connectionsIdle: () => usage.connections === 0,
  };
}

class StoreDriver implements Driver {
  readonly #inner: Driver;
  readonly #options: StoreDialectOptions;
  readonly #unwrap = new WeakMap<DatabaseConnection, DatabaseConnection>();
  // Drivers hand out the same connection objects again (SQLite its one, pg one per pooled client),
  // so each gets its translating wrapper once instead of once per query.
  readonly #wrapped = new WeakMap<DatabaseConnection, DatabaseConnection>();
  readonly #usage: { connections: number };
  readonly #translate: (error: unknown) => unknown;

  constructor(inner: Driver, options: StoreDialectOptions, usage: { connections: number }) {
    this.#inner = inner;
    this.#options = options;
    this.#usage = usage;
    this.#translate = (error) => options.translateError(error);
  }

  async init(): Promise<void> {
    await this.#guard(() => this.#inner.init());
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    // Counted from the moment it is asked for: a caller waiting for SQLite's connection is ahead of a direct read.
    this.#usage.connections++;
    let connection: DatabaseConnection;
    try {
      connection = await this.#inner.acquireConnection();
    } catch (error) {
      this.#usage.connections--;
      throw this.#translate(error);
    }
    return this.#wrapped.get(connection) ?? this.#wrap(connection);
  }

  #wrap(connection: DatabaseConnection): DatabaseConnection {
    const translate = this.#translate;
    const wrapped: DatabaseConnection = {
      async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
        try {
          return await connection.executeQuery<R>(query);
        } catch (error) {
          throw translate(error);
        }
      },
      streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
        return connection.streamQuery<R>(query, chunkSize);
      },
    };
    this.#unwrap.set(wrapped, connection);
    this.#wrapped.set(connection, wrapped);
    return wrapped;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const translateBegin = this.#options.translateBeginError;
    const begin = this.#options.beginStatement;
    try {
      if (begin) await this.#raw(connection).executeQuery(begin);
      else await this.#inner.beginTransaction(this.#raw(connection), settings);
    } catch (error) {
      throw translateBegin ? translateBegin(error) : this.#translate(error);
    }
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await this.#guard(() => this.#inner.commitTransaction(this.#raw(connection)));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await this.#inner.rollbackTransaction(this.#raw(connection));
    } catch (error) {
      if (this.#options.alreadyRolledBack?.(error)) return;
      throw this.#options.translateError(error);
    }
  }

  async savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    if (!this.#inner.savepoint) throw new Error('savepoints are not supported by this driver');
    await this.#guard(() => this.#inner.savepoint!(this.#raw(connection), name, compile));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    if (!this.#inner.rollbackToSavepoint) throw new Error('savepoints are not supported by this driver');
    await this.#guard(() => this.#inner.rollbackToSavepoint!(this.#raw(connection), name, compile));
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    if (!this.#inner.releaseSavepoint) throw new Error('savepoints are not supported by this driver');
    await this.#guard(() => this.#inner.releaseSavepoint!(this.#raw(connection), name, compile));
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    try {
      await this.#inner.releaseConnection(this.#raw(connection));
    } finally {
      this.#usage.connections--;
    }
  }

  async destroy(): Promise<void> {
    await this.#inner.destroy();
  }

  #raw(connection: DatabaseConnection): DatabaseConnection {
    return this.#unwrap.get(connection) ?? connection;
  }

  async #guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw this.#options.translateError(error);
    }
  }
}
