import { sql, type Expression, type SqlBool } from 'kysely';

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

/** `column` starts with `prefix`, compared as bytes (LIKE would treat `%`/`_` in paths as wildcards). */
export function pathStartsWith(column: string, prefix: string): Expression<SqlBool> {
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
