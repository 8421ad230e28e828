/**
 * A listing's page read as arrays of column values, prepared (`prepared-reads.ts`), with the page
 * made JSON by the database: a driver's own rows cost more than the database's work for them, by
 * the value. better-sqlite3 (12, under Node 20) sets each value of a raw row through V8's slow
 * `Object::Set`; `pg` parses a result field by field, slicing a Buffer and decoding a string per
 * value (and leaves their garbage). A page's JSON is decoded once and parsed by `JSON.parse`
 * (bench/api/profile-lists.js; store-level figures in the commits).
 *
 * The listing gives the page's shape (columns, order, filter, limit); how the database makes it
 * JSON is the dialect's `PageReader` (`SqlDialectHooks.pageReader`, in `store/sqlite/` and
 * `store/postgres/`).
 *
 * @internal
 * @module
 */
import { sql, type Compilable, type Kysely, type SelectQueryBuilder } from 'kysely';
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

/** The page's query, filtered, ordered and limited, selecting nothing yet (the `PageReader` selects). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-empty-object-type
export type PageQuery = SelectQueryBuilder<Database, any, {}>;

/** How a dialect has the database make a page JSON, and reads it back. @internal */
export interface PageReader {
  /** `query` selecting one column, whose values (in the rows' order) `rows` reads. */
  select(db: Kysely<Database>, query: PageQuery, shape: PageShape): Compilable<unknown>;
  /** The page's rows, each the array of its values in `shape.columns`' order. */
  rows(values: unknown[]): unknown[][];
}

/** A page read by `build` from positional `args`, prepared once per dialect. @internal */
export class PreparedPage<Args extends unknown[]> {
  readonly #arity: Args['length'];
  readonly #shape: PageShape;
  readonly #build: (db: Kysely<Database>, ...args: Args) => PageQuery;
  // Per dialect's reader, made on its first use (so each database compiles only its own form).
  readonly #reads = new Map<PageReader, PreparedRead<Args, unknown>>();

  constructor(arity: Args['length'], shape: PageShape, build: (db: Kysely<Database>, ...args: Args) => PageQuery) {
    this.#arity = arity;
    this.#shape = shape;
    this.#build = build;
  }

  /** The page's rows, each the array of its values in `shape.columns`' order. */
  async rows(ctx: SqlContext, ...args: Args): Promise<unknown[][]> {
    const reader = ctx.hooks.pageReader;
    let read = this.#reads.get(reader);
    if (!read) {
      read = new PreparedRead(this.#arity, (db, ...a: Args) => reader.select(db, this.#build(db, ...a), this.#shape));
      this.#reads.set(reader, read);
    }
    return reader.rows(await read.column(ctx, ...args));
  }
}

/** `columns` as a list of references, each qualified by `table` when given. */
export function columnRefs(columns: readonly string[], table?: string) {
  return sql.join(columns.map((column) => sql.ref(table ? `${table}.${column}` : column)));
}
