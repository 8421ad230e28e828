/**
 * How Castellan's PostgreSQL connections are made: what they are named, and how long they may wait.
 *
 * Names: every connection of a node carries an `application_name` (`pg_stat_activity`), so an
 * operator (or a test) can tell a node's connections from everyone else's, and each kind of
 * connection from the others: the pool's `castellan`, the audit worker's `castellan-audit`, the
 * change feed's listener and publisher, the migration lock's. A URL's own `application_name`
 * parameter (`…/castellan?application_name=node-a`) replaces the `castellan` they start with.
 *
 * Waits: a database that stops answering without closing its connections (a partition, a failover
 * whose old primary goes silent, a stalled proxy) is otherwise noticed only when TCP gives up,
 * after many minutes, and every call waits until then. Connecting, waiting for a pooled connection
 * and each query are bounded instead; past the bound the call fails as unavailable
 * (`translatePostgresError`) and the connection it waited on is closed, not reused.
 *
 * @module
 */

/** How long a connection attempt, a wait for a pooled connection or a query may go unanswered. Default 15 s. */
export const DEFAULT_POSTGRES_TIMEOUT_MS = 15_000;

/** What PostgreSQL keeps of an application name: NAMEDATALEN - 1 bytes. */
const MAX_APPLICATION_NAME_BYTES = 63;

/** A database URL split into what `pg` reads and Castellan's own parameters. */
export interface PostgresTarget {
  /** The URL for `pg`, without `schema` and `application_name` (pg would let the URL's name override ours). */
  connectionString: string;
  /** The URL's `schema` parameter, if any. */
  schema?: string;
  /** The name every connection's `application_name` starts with: the URL's, else `castellan`. */
  applicationName: string;
}

/** Splits `raw` (`postgres://…?schema=iam&application_name=node-a`) into a {@link PostgresTarget}. */
export function postgresTarget(raw: string): PostgresTarget {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    return { connectionString: raw, applicationName: 'castellan' };
  }
  const schema = parsed.searchParams.get('schema');
  const name = parsed.searchParams.get('application_name');
  parsed.searchParams.delete('schema');
  parsed.searchParams.delete('application_name');
  return {
    connectionString: schema === null && name === null ? raw : parsed.toString(),
    ...(schema !== null ? { schema } : {}),
    applicationName: name !== null && name !== '' ? name : 'castellan',
  };
}

/** The `application_name` of the connections of `role` (none: the pool's), cut as PostgreSQL cuts it. */
export function connectionName(target: PostgresTarget, role?: string): string {
  const full = role === undefined ? target.applicationName : `${target.applicationName}-${role}`;
  const bytes = Buffer.from(full);
  if (bytes.length <= MAX_APPLICATION_NAME_BYTES) return full;
  // Cut on a character boundary, as PostgreSQL does (pg_mbcliplen).
  let cut = bytes.subarray(0, MAX_APPLICATION_NAME_BYTES).toString();
  if (cut.endsWith('\uFFFD')) cut = cut.slice(0, -1);
  return cut;
}

/** What {@link boundedWaits} sets: the driver's own timers and the same limits in the database. */
export interface BoundedWaits {
  connectionTimeoutMillis: number;
  query_timeout: number;
  keepAlive: true;
  statement_timeout: number;
  lock_timeout: number;
  idle_in_transaction_session_timeout: number;
}

/**
 * `pg` pool settings bounding every wait by `timeoutMs` (module comment). `query_timeout` is a
 * timer in the driver: the database goes on running the statement, holding its locks (the audit
 * chain's among them), after the driver gave up and closed the connection. So the database is
 * given the same bound (statement, lock wait, a transaction left idle), and ends such work itself.
 */
export function boundedWaits(timeoutMs: number): BoundedWaits {
  return {
    connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs, keepAlive: true,
    statement_timeout: timeoutMs, lock_timeout: timeoutMs, idle_in_transaction_session_timeout: timeoutMs,
  };
}

/**
 * Errors `pg` raises, without a SQLSTATE, when a connection is lost or a wait is past its bound:
 * the connection is unusable (or its state unknown) and the database unavailable from here.
 */
const CONNECTION_FAILURES = new Set([
  'Connection terminated unexpectedly',
  'Connection terminated',
  'Connection terminated due to connection timeout',
  'Query read timeout',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
]);

/** Whether `error` is one of `pg`'s lost-connection or timeout errors ({@link CONNECTION_FAILURES}). */
export function isPgConnectionFailure(error: unknown): boolean {
  return error instanceof Error && (error as { code?: unknown }).code === undefined && CONNECTION_FAILURES.has(error.message);
}
