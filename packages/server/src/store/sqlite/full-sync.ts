import type BetterSqlite3 from 'better-sqlite3';

/**
 * Sets `synchronous = FULL` again after a write committed with NORMAL. A transaction the write left
 * open is rolled back first: SQLite refuses to change the level inside one, and the connection would
 * stay on NORMAL after it ended, so every later commit would skip its fsync without a word. If the
 * level still did not come back, this throws rather than let that happen silently.
 *
 * `pragma()` prepares the statement each time: SQLite applies this pragma when it is prepared, and a
 * cached statement's first run after preparing another one did not apply it again.
 */
export function restoreFullSync(database: BetterSqlite3.Database): void {
  if (database.inTransaction) database.exec('ROLLBACK');
  database.pragma('synchronous = full');
  const level = database.pragma('synchronous', { simple: true });
  if (level !== 2) throw new Error(`SQLite kept synchronous = ${String(level)} after a relaxed commit; FULL (2) could not be restored`);
}

/** Sets `synchronous = NORMAL` for a relaxed commit (prepared each time, as {@link restoreFullSync}). */
export function relaxSync(database: BetterSqlite3.Database): void {
  database.pragma('synchronous = normal');
}
