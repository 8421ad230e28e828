import { StoreConflictError, StoreReferenceError, StoreUnavailableError } from '../store-errors.js';
import { isPgConnectionFailure } from './postgres-connection.js';

/** Node socket errors that mean the server cannot be reached. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', 'EPIPE']);

/**
 * Translates a `pg` error into a store error; anything else is returned unchanged. The one place
 * PostgreSQL's SQLSTATEs are read: 23505 unique_violation, 23503 foreign_key_violation, class 08
 * (connection exception), 57P0x (shutdown), class 53 (insufficient resources: disk full, out of
 * memory, too many connections) and 25006 (a read-only transaction: a standby, or a primary
 * demoted in a failover) mean unavailable: they pass without the request changing. So do the
 * database's own ends of a wait past the bound it was given (`boundedWaits`): 57014 (a statement
 * past `statement_timeout`, or cancelled by an operator), 55P03 (a lock wait past `lock_timeout`)
 * and 25P03 (a transaction left idle past its timeout, its connection ended). So do `pg`'s
 * own errors of a lost connection or an unanswered wait, which carry no SQLSTATE
 * (`isPgConnectionFailure`): the audit log then keeps the batch queued rather than writing its
 * records one by one and quarantining them.
 */
export function translatePostgresError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  if (isPgConnectionFailure(error)) return new StoreUnavailableError('PostgreSQL is unreachable', { cause: error });
  const { code, table, constraint } = error as Error & { code?: unknown; table?: unknown; constraint?: unknown };
  if (typeof code !== 'string') return error;
  const tableName = typeof table === 'string' ? table : undefined;
  const constraintName = typeof constraint === 'string' ? constraint : undefined;
  if (code === '23505') return new StoreConflictError(tableName, constraintName, { cause: error });
  if (code === '23503') return new StoreReferenceError(constraintName, { cause: error });
  if (code.startsWith('08') || code.startsWith('57P') || UNREACHABLE.has(code)) {
    return new StoreUnavailableError('PostgreSQL is unreachable', { cause: error });
  }
  if (code === '57014' || code === '55P03' || code === '25P03') {
    return new StoreUnavailableError(`PostgreSQL ended a wait past its bound (SQLSTATE ${code})`, { cause: error });
  }
  if (code.startsWith('53') || code === '25006') {
    return new StoreUnavailableError(`PostgreSQL cannot take writes (SQLSTATE ${code})`, { cause: error });
  }
  return error;
}
