import { Kysely, PostgresDialect, sql, type PostgresPool, type PostgresPoolClient } from 'kysely';
import pg from 'pg';
import type { SecretBox } from '../../crypto/secret-box.js';
import { migrateToLatest } from '../sql/migrate.js';
import type { Database } from '../sql/schema.js';
import type { DirectReader } from '../sql/prepared-reads.js';
import type { AuditAppendWorker } from '../sql/audit-append-worker.js';
import { SqlContext, type SqlDialectHooks } from '../sql/sql-context.js';
import { SqlStore } from '../sql/sql-store.js';
import { withStoreDialect } from '../sql/translating-dialect.js';
import { AUDIT_CHAIN_LOCK_SQL, postgresAuditWorker } from './audit-append-worker.js';
import { postgresPageReader } from './postgres-pages.js';
import { translatePostgresError } from './postgres-errors.js';
import { boundedWaits, connectionName, DEFAULT_POSTGRES_TIMEOUT_MS, isPgConnectionFailure, postgresTarget, type PostgresTarget } from './postgres-connection.js';
import { PostgresSchemaIntrospector } from './postgres-schema-introspector.js';

/** Options of `PostgresStore.open`. */
export interface PostgresStoreOptions {
  /**
   * `postgres://user@host:port/database`. A `schema` query parameter (`…/test?schema=e2e_1`) selects
   * the schema when the `schema` option is absent, so a server started with only
   * `CASTELLAN_DATABASE_URL` can still be isolated. An `application_name` parameter names the
   * store's connections instead of `castellan` (`postgres-connection.ts`).
   */
  url: string;
  /**
   * The schema holding Castellan's tables, created if missing and put first on `search_path`.
   * Tests pass a fresh random one to isolate themselves. Default: the URL's `schema`, else `public`.
   */
  schema?: string;
  /** Encrypts secret access keys at rest. */
  secretBox: SecretBox;
  /** Connections in the pool. Default is `10`. */
  maxConnections?: number;
  /**
   * Milliseconds a connection attempt, a wait for a pooled connection or a query may go unanswered
   * before it fails as unavailable and its connection is closed (`postgres-connection.ts`).
   * Migrations at open are not bounded. Default is 15 s.
   */
  timeoutMs?: number;
  /** Called with errors of idle pooled connections (the next query fails and is translated). */
  onIdleError?: (error: Error) => void;
  /**
   * Whether batched audit appends (outside any transaction) are chained and written by a worker
   * thread with a connection of its own (`audit-append-worker.ts`), off the event loop. Default is `true`.
   */
  auditWorker?: boolean;
}

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const INT8_OID = 20;

// int8 (bigint: epoch-ms times, seqs, count(*)) parsed to number: every value we store is far
// below 2^53, and the row mappers expect numbers on both dialects.
const TYPES = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === INT8_OID && format !== 'binary' ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

const HOOKS: SqlDialectHooks = Object.freeze({
  dialect: 'postgres',
  supportsRowLocks: true,
  // One chain per schema: the lock key is derived from the schema name, and it is released at commit.
  async lockAuditChain(trx: Kysely<Database>) {
    await sql.raw(AUDIT_CHAIN_LOCK_SQL).execute(trx);
  },
  // SET LOCAL lasts until the lookup's transaction ends; both are cost penalties, not bans.
  async prepareAuditLookup(trx: Kysely<Database>) {
    await sql`set local enable_bitmapscan = off`.execute(trx);
    await sql`set local enable_sort = off`.execute(trx);
  },
  async notifyOnCommit(trx: Kysely<Database>, channel: string, payload: string) {
    await sql`select pg_notify(${channel}, ${payload})`.execute(trx);
  },
  pageReader: postgresPageReader,
});

/**
 * The PostgreSQL store (`pg` pool). Transactions run at READ COMMITTED: unique indexes carry the
 * uniqueness rules, quota checks lock the parent row with `SELECT … FOR UPDATE`, and audit appends
 * take a transaction-scoped advisory lock, so concurrent requests on several server nodes stay
 * correct. Schema creation and migrations are serialized across nodes by a session advisory lock
 * (`underMigrationLock`).
 *
 * @example
 * ```ts
 * const store = await PostgresStore.open({ url: process.env.CASTELLAN_DATABASE_URL!, secretBox });
 * ```
 */
export class PostgresStore extends SqlStore {
  /** The schema this store lives in. */
  readonly schema: string;

  /** Connects, creates the schema if needed, and migrates it. */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const target = postgresTarget(options.url);
    const schema = postgresSchemaOf(options.url, options.schema);
    const timeoutMs = options.timeoutMs ?? DEFAULT_POSTGRES_TIMEOUT_MS;
    const poolSettings = { connectionString: target.connectionString, options: `-c search_path="${schema}"`, types: TYPES };
    // Migrations may run long on a large database: they get a pool of their own, unbounded.
    await underMigrationLock(target, schema, async () => {
      const migratePool = new pg.Pool({ ...poolSettings, max: 2, application_name: connectionName(target, 'migrate') });
      migratePool.on('error', () => {}); // an idle connection's failure surfaces through the next query
      const migrator = new Kysely<Database>({ dialect: storeDialect(droppingLostConnections(migratePool)) });
      try {
        await sql`create schema if not exists ${sql.id(schema)}`.execute(migrator);
        await migrateToLatest(migrator, schema);
      } finally {
        await migrator.destroy();
      }
    });
    const pool = new pg.Pool({ ...poolSettings, max: options.maxConnections ?? 10, application_name: connectionName(target), ...boundedWaits(timeoutMs) });
    pool.on('error', (error) => options.onIdleError?.(error));
    const db = new Kysely<Database>({ dialect: storeDialect(droppingLostConnections(pool)) });
    return new PostgresStore(db, options.secretBox, schema, postgresDirectReader(pool),
      options.auditWorker ?? true ? { url: target.connectionString, applicationName: connectionName(target, 'audit'), timeoutMs } : undefined);
  }

  private readonly auditWorker: AuditAppendWorker | undefined;

  /** `worker` (its connection: the URL for `pg`, its name, its waits' bound) is set when batched audit appends go to the worker thread. */
  private constructor(db: Kysely<Database>, secretBox: SecretBox, schema: string, direct: DirectReader,
    worker: { url: string; applicationName: string; timeoutMs: number } | undefined) {
    super({ db, hooks: HOOKS, secretBox, direct });
    this.schema = schema;
    if (worker !== undefined) {
      this.auditWorker = postgresAuditWorker({ ...worker, schema, chainKey: new SqlContext(db, HOOKS, secretBox).auditChainKey });
      this.appendAuditEvents = this.auditWorker.append;
    }
  }

  override async close(): Promise<void> {
    // The worker's batches in flight are written before the pool closes.
    await this.auditWorker?.close();
    await super.close();
  }
}

/** Kysely's PostgreSQL dialect on `pool`, with the store's error translation. */
function storeDialect(pool: ConstructorParameters<typeof PostgresDialect>[0]['pool']) {
  return withStoreDialect(new PostgresDialect({ pool }), {
    translateError: translatePostgresError,
    createIntrospector: (db) => new PostgresSchemaIntrospector(db),
  });
}

/**
 * `pool` as Kysely's pool, closing a connection whose query failed as lost or unanswered
 * (`isPgConnectionFailure`) instead of returning it to the pool. `pg` keeps a connection whose
 * query timed out and hands it out again, its stalled query still in front of the next one; and
 * once one query of a transaction failed so, its ROLLBACK fails at once rather than waiting as long.
 *
 * Every connection also listens for its own `'error'` event, for as long as it lives. pg-pool
 * listens only while a connection is idle and stops at checkout; a connection held by a
 * transaction that the database ends (57P01 at a restart, a failover or `pg_terminate_backend`,
 * then the socket's end) emits it when no query is running (between two statements), or when the
 * statement that got the 57P01 has failed and the ROLLBACK is queued; with no listener, an
 * unhandled `'error'` ends the process. Heard here, the error fails the transaction's next
 * statement and its ROLLBACK as unavailable (`translatePostgresError`); the database rolled the
 * transaction back when it ended the session, and the connection is closed at release.
 */
function droppingLostConnections(pool: pg.Pool): PostgresPool {
  const wrapped = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  return {
    async connect() {
      const client = await pool.connect();
      let client$ = wrapped.get(client);
      if (!client$) {
        let lost: Error | undefined;
        client.on('error', (error) => {
          lost ??= error;
        });
        const query = (...args: unknown[]): unknown => {
          if (lost) return Promise.reject(lost);
          const result = (client.query as (...a: unknown[]) => unknown)(...args);
          if (result instanceof Promise) {
            result.catch((error: unknown) => {
              if (isPgConnectionFailure(error)) lost = error as Error;
            });
          }
          return result;
        };
        client$ = {
          query: query as PostgresPoolClient['query'],
          release: (destroy?: boolean) => client.release(lost ?? (destroy ? true : undefined)),
        };
        wrapped.set(client, client$);
      }
      return client$;
    },
    end: () => pool.end(),
  };
}

/**
 * Prepared reads on the pool as named statements: each pooled connection parses and plans a
 * read's SQL once and then only binds and executes it (one round trip, as before).
 */
function postgresDirectReader(pool: pg.Pool): DirectReader {
  return {
    read: (query, parameters, rowMode) =>
      pool.query({ name: query.name, text: query.query.sql, values: parameters, ...(rowMode ? { rowMode: 'array' } : {}) }).then(
        (result) => (rowMode === 'column' ? result.rows.map((row: unknown[]) => row[0]) : result.rows),
        (error: unknown) => {
          throw translatePostgresError(error);
        },
      ),
  };
}

/**
 * Runs `fn` holding a session-level advisory lock named after the schema, on a connection of its
 * own, so nodes starting at once create and migrate a schema one after the other. Kysely's
 * migrator locks only once its bookkeeping tables exist, and `CREATE SCHEMA/TABLE IF NOT EXISTS`
 * run concurrently can still fail on PostgreSQL's catalog unique indexes.
 */
async function underMigrationLock(target: PostgresTarget, schema: string, fn: () => Promise<void>): Promise<void> {
  const client = new pg.Client({ connectionString: target.connectionString, application_name: connectionName(target, 'migrate') });
  client.on('error', () => {}); // a failure surfaces through the query that hits it
  await client.connect();
  try {
    await client.query('select pg_advisory_lock(hashtext($1))', [`castellan.migrate.${schema}`]);
    await fn();
  } finally {
    // Ending the session releases the lock, also when fn failed.
    await client.end().catch(() => {});
  }
}

/**
 * The schema a store at `url` uses: `schema`, else the URL's `schema` parameter, else `public`.
 * Throws when it is not a plain identifier.
 */
export function postgresSchemaOf(url: string, schema?: string): string {
  const chosen = schema ?? postgresTarget(url).schema ?? 'public';
  if (!SCHEMA_NAME.test(chosen)) throw new Error(`invalid PostgreSQL schema name \`${chosen}\``);
  return chosen;
}
