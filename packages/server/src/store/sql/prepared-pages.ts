/**
 * A listing's page read as arrays of column values, prepared (`prepared-reads.ts`). On SQLite the
 * page is better-sqlite3's raw rows. On PostgreSQL it is one `json` value, the page's rows as
 * arrays aggregated by the database: `pg` parses a result row by row and field by field, slicing
 * a Buffer and decoding a string per value, and a page of 100 rows cost more than 2 µs a row that
 * way (its parsing and the garbage of its slices), where one JSON text of the page is decoded once
 * and parsed by `JSON.parse` (bench/api/profile-lists.js).
 *
 * @internal
 * @module
 */
import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import { PreparedRead } from './prepared-reads.js';
import type { Database } from './schema.js';
import type { SqlContext } from './sql-context.js';

/** What a page query selects and how it is ordered. */
export interface PageShape {
  /** The selected columns' names (unqualified, as the query's result names them), in the order of a row's values. */
  readonly columns: readonly string[];
  /** The columns the query orders by, ascending, as the query names them (they need not be selected). */
  readonly order: readonly string[];
}

// A query of `Database` selecting anything: the page's builder types its own rows.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type PageQuery = SelectQueryBuilder<Database, any, any>;

/** A page read by `build` from positional `args` (its query ordered and limited), prepared once per dialect. @internal */
export class PreparedPage<Args extends unknown[]> {
  readonly #rows: PreparedRead<Args, unknown>;
  readonly #json: PreparedRead<Args, unknown>;

  constructor(arity: Args['length'], shape: PageShape, build: (db: Kysely<Database>, ...args: Args) => PageQuery) {
    this.#rows = new PreparedRead(arity, build);
    this.#json = new PreparedRead(arity, (db, ...args: Args) => jsonPage(db, build(db, ...args), shape));
  }

  /** The page's rows, each the array of its selected values in `shape.columns`' order. */
  async rows(ctx: SqlContext, ...args: Args): Promise<unknown[][]> {
    if (ctx.hooks.dialect !== 'postgres') return this.#rows.arrays(ctx, ...args);
    const [row] = await this.#json.arrays(ctx, ...args);
    return row![0] as unknown[][];
  }
}

/**
 * `query`'s rows as one JSON array of arrays, in its order: the sort key is selected under names
 * of its own and the aggregate orders by it (an aggregate's input order is unspecified otherwise).
 * `coalesce`: `json_agg` of no rows is null.
 */
function jsonPage(db: Kysely<Database>, query: PageQuery, { columns, order }: PageShape) {
  const keyed = query.select(order.map((column, i) => sql.ref(column).as(`page_key_${i}`)));
  const values = sql.join(columns.map((column) => sql.ref(`page.${column}`)));
  const keys = sql.join(order.map((_, i) => sql.ref(`page.page_key_${i}`)));
  return db.selectFrom(keyed.as('page')).select(sql<unknown[][]>`coalesce(json_agg(json_build_array(${values}) order by ${keys}), '[]'::json)`.as('rows'));
}
