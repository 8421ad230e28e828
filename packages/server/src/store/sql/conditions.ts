import { sql, type Expression, type SqlBool } from 'kysely';
import type { SqlDialectHooks } from './sql-context.js';

/**
 * SQL conditions shared by the listings: path prefixes and keyset paging.
 *
 * @internal
 * @module
 */

/** Whether a `PathPrefix` filters anything (`/` and empty mean everything). */
export function hasPrefix(prefix: string | undefined): prefix is string {
  return prefix !== undefined && prefix !== '' && prefix !== '/';
}

/**
 * `column` starts with `prefix`, exactly (case-sensitively, `%`/`_` in paths as themselves).
 *
 * SQLite: `substr(…) = prefix` (its LIKE ignores case). PostgreSQL: `LIKE` with the wildcards
 * escaped, which its planner estimates from the column's statistics; it can only guess at a
 * `substr` comparison (0.5% of rows), and for a prefix most of the account shares (`/` plus one
 * level, usually) that guess made it sort the whole account instead of walking the paging index
 * for one page (30 ms at 20,000 users instead of 0.1 ms).
 */
export function pathStartsWith(dialect: SqlDialectHooks['dialect'], column: string, prefix: string): Expression<SqlBool> {
  if (dialect === 'postgres') return sql<SqlBool>`${sql.ref(column)} like ${`${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`;
  return sql<SqlBool>`substr(${sql.ref(column)}, 1, ${prefix.length}) = ${prefix}`;
}

/** Row-value keyset condition: `(a, b) > (x, y)`. */
export function after(columns: [string, string], key: Array<string | number>): Expression<SqlBool> {
  return sql<SqlBool>`(${sql.ref(columns[0])}, ${sql.ref(columns[1])}) > (${key[0]}, ${key[1]})`;
}

/** Row-value keyset condition for descending pages: `(a, b) < (x, y)`. */
export function before(columns: [string, string], key: Array<string | number>): Expression<SqlBool> {
  return sql<SqlBool>`(${sql.ref(columns[0])}, ${sql.ref(columns[1])}) < (${key[0]}, ${key[1]})`;
}

/**
 * A page's row limit, `LIMIT n + 0` rather than `LIMIT n`. SQLite (3.4x) reads a `LIMIT` that is a
 * bare parameter when it prepares the statement, and then marks the statement to be prepared again
 * whenever that parameter is bound: a listing's cached statement was parsed and planned anew on
 * every call (7–60 µs of a page's CPU, bench/api/perf-lists.js). An expression is evaluated when
 * the statement runs. PostgreSQL folds it as it does the parameter.
 */
export function pageLimit(limit: number): Expression<number> {
  return sql<number>`${limit} + 0`;
}
