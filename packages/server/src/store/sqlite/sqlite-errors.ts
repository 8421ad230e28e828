import { StoreConflictError, StoreReferenceError, StoreUnavailableError } from '../store-errors.js';

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
  if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_') || code === 'SQLITE_LOCKED') {
    return new StoreUnavailableError('the SQLite database stayed locked by another process past the busy timeout', { cause: error });
  }
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
