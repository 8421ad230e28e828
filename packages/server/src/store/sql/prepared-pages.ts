/**
 * A listing's page read as arrays of column values, prepared (`prepared-reads.ts`), with the page
 * made JSON by the database: a driver's own rows cost more than the database's work for them, by
 * the value. better-sqlite3 (12, under Node 20) sets each value of a raw row through V8's slow
 * `Object::Set`; `pg` parses a result field by field, slicing a Buffer and decoding a string per
 * value (and leaves their garbage). A page's JSON is decoded once and parsed by `JSON.parse`
 * (bench/api/profile-lists.js; store-level figures in the commits).
 *
 * - SQLite: each row one `json_array(…)` text, read as one column in the query's own order, the
 *   texts joined into one JSON array in JavaScript.
 * - PostgreSQL: the page one `json` value, its rows aggregated in the listing's order.
 *
 * @internal
 * @module
 */
import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import { PreparedRead } from './prepared-reads.js';
import type { Database } from './schema.js';
import type { SqlContext } from './sql-context.js';

/** What a page shows of a row and how the listing orders it. */
export interface PageShape {
  /** The columns of a row's values, in order (unqualified: the query reads one table). */
  readonly columns: readonly string[];
  /** The columns the query orders by, ascending, as the query names them. */
  readonly order: readonly string[];
}

/** The page's query, filtered, ordered and limited, selecting nothing yet (`PreparedPage` selects). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-empty-object-type
type PageQuery = SelectQueryBuilder<Database, any, {}>;

/** A page read by `build` from positional `args`, prepared once per dialect. @internal */
export class PreparedPage<Args extends unknown[]> {
  // Each dialect's form, compiled on its first use (so each database compiles only its own).
  readonly #rowTexts: PreparedRead<Args, unknown>;
  readonly #json: PreparedRead<Args, unknown>;

  constructor(arity: Args['length'], shape: PageShape, build: (db: Kysely<Database>, ...args: Args) => PageQuery) {
    this.#rowTexts = new PreparedRead(arity, (db, ...args: Args) => build(db, ...args).select(sql<string>`json_array(${refs(shape.columns)})`.as('row')));
    this.#json = new PreparedRead(arity, (db, ...args: Args) => jsonPage(db, build(db, ...args), shape));
  }

  /** The page's rows, each the array of its values in `shape.columns`' order. */
  async rows(ctx: SqlContext, ...args: Args): Promise<unknown[][]> {
    if (ctx.hooks.dialect === 'postgres') return (await this.#json.column(ctx, ...args))[0] as unknown[][];
    const texts = (await this.#rowTexts.column(ctx, ...args)) as string[];
    return JSON.parse(`[${texts.join(',')}]`) as unknown[][];
  }
}

function refs(columns: readonly string[], table?: string) {
  return sql.join(columns.map((column) => sql.ref(table ? `${table}.${column}` : column)));
}

/**
 * The page as one JSON array of arrays. An aggregate's input order is unspecified unless it has
 * an `ORDER BY`, so the sort key is selected too, under names of its own. `coalesce`: `json_agg`
 * of no rows is null.
 */
function jsonPage(db: Kysely<Database>, query: PageQuery, { columns, order }: PageShape) {
  const inner = query.select([...columns.map((column) => sql.ref(column).as(column)), ...order.map((column, i) => sql.ref(column).as(`page_key_${i}`))]);
  const keys = sql.join(order.map((_, i) => sql.ref(`page.page_key_${i}`)));
  return db.selectFrom(inner.as('page')).select(sql<unknown[][]>`coalesce(json_agg(json_build_array(${refs(columns, 'page')}) order by ${keys}), '[]'::json)`.as('rows'));
}
