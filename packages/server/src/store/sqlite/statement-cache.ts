/**
 * Prepared statements reused across queries on SQLite. Kysely's SQLite driver calls
 * `database.prepare(sql)` for every query, and preparing (parsing and planning) cost more than
 * running a hot path query itself (bench/api/profile.js). Kysely emits the same text for the same
 * query shape with different parameters, so the statements are kept by their SQL text.
 *
 * @module
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Distinct statements kept (least recently used go first). Default is 500. */
export const DEFAULT_STATEMENT_CACHE_SIZE = 500;

/**
 * The database as Kysely's `SqliteDialect` takes it, preparing each SQL text once.
 *
 * @example
 * ```ts
 * const dialect = new SqliteDialect({ database: withStatementCache(new BetterSqlite3(file)) });
 * ```
 */
export function withStatementCache(database: BetterSqlite3.Database, maxStatements = DEFAULT_STATEMENT_CACHE_SIZE): SqliteDatabase {
  const statements = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => {
      statements.clear();
      database.close();
    },
    prepare(sql: string): SqliteStatement {
      let stmt = statements.get(sql);
      // A statement still iterating (a streamed query) cannot run again until it is done.
      if (stmt && !stmt.busy) {
        statements.delete(sql);
        statements.set(sql, stmt);
        return stmt as unknown as SqliteStatement;
      }
      stmt = database.prepare(sql);
      statements.set(sql, stmt);
      if (statements.size > maxStatements) statements.delete(statements.keys().next().value!);
      return stmt as unknown as SqliteStatement;
    },
  };
}
