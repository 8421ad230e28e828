import type { BeginRetry } from '../sql/begin-retry.js';
import { StoreConflictError, StoreReferenceError, StoreUnavailableError } from '../store-errors.js';

/** SQLite's answer when another connection (another process) holds the lock a statement needs. */
const isBusy = (code: string): boolean => code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_') || code === 'SQLITE_LOCKED';

const driverCode = (error: unknown): string | undefined =>
  error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;

/**
 * A `BEGIN IMMEDIATE` refused because another process holds the database's write lock: nothing of
 * its transaction ran, so it may be begun again (`sqliteBeginRetry`). Past the bound it is
 * reported as the plain `StoreUnavailableError` it is.
 */
export class SqliteBeginRefusedError extends StoreUnavailableError {}

/** The error of a BEGIN: {@link SqliteBeginRefusedError} when the lock was held, else as `translateSqliteError`. */
export function translateSqliteBeginError(error: unknown): unknown {
  const code = driverCode(error);
  if (code !== undefined && isBusy(code)) return new SqliteBeginRefusedError('the SQLite database is locked by another process', { cause: error });
  return translateSqliteError(error);
}

/** True for any store error that says another process held the lock: a refused BEGIN or a refused statement. */
export function isSqliteLocked(error: unknown): boolean {
  if (error instanceof SqliteBeginRefusedError) return true;
  const code = error instanceof StoreUnavailableError ? driverCode(error.cause) : undefined;
  return code !== undefined && isBusy(code);
}

/**
 * How the server's connection waits for another process's write lock: on a timer, for `boundMs`
 * at most. A transaction is begun again only when its BEGIN was refused; with `idempotent`, any
 * write refused by the lock is run again: last-used data (one statement or one transaction, whose
 * rows only ever move to a later time) and the audit worker's batches (refused only at their
 * `BEGIN IMMEDIATE`, and an append skips events it finds stored already).
 */
export function sqliteBeginRetry(boundMs: number, { idempotent = false } = {}): BeginRetry {
  return {
    boundMs,
    refusedByLock: idempotent ? isSqliteLocked : (error) => error instanceof SqliteBeginRefusedError,
    pastBound: (error) => new StoreUnavailableError(`the SQLite database stayed locked by another process past the busy timeout (${boundMs} ms)`, { cause: error }),
  };
}

/**
 * Translates a better-sqlite3 error into a store error; anything else is returned unchanged.
 * The one place SQLite's error codes are read. We test `code` (extended result codes, e.g.
 * `SQLITE_CONSTRAINT_UNIQUE`) rather than the class so this file does not depend on the driver.
 */
export function translateSqliteError(error: unknown): unknown {
  if (!(error instanceof Error) || !('code' in error) || typeof error.code !== 'string') return error;
  const code = error.code;
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    // "UNIQUE constraint failed: users.account_id, users.name_lower"
    const columns = /constraint failed: (.+)$/.exec(error.message)?.[1];
    const entity = columns?.split('.')[0];
    return new StoreConflictError(entity, columns, { cause: error });
  }
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return new StoreReferenceError(undefined, { cause: error });
  // A statement outside any transaction (or a worker's BEGIN) that found the lock held: the server's
  // connection does not wait for it in SQLite's busy handler, on the event loop (`begin-retry.ts`).
  if (isBusy(code)) return new StoreUnavailableError('the SQLite database is locked by another process', { cause: error });
  // The disk, not the request: a full disk, an I/O error or a folder turned read-only pass when the
  // operator acts, so the audit log keeps such a batch queued instead of quarantining its records.
  if (code === 'SQLITE_FULL' || code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN')) {
    return new StoreUnavailableError(`the SQLite database cannot be written (${code})`, { cause: error });
  }
  return error;
}

/**
 * True for the error of a ROLLBACK with no transaction open: SQLite already rolled the transaction
 * back itself (it does on SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM…), so there is nothing left to undo.
 */
export function sqliteAlreadyRolledBack(error: unknown): boolean {
  return error instanceof Error && /^cannot rollback - no transaction is active$/.test(error.message);
}
