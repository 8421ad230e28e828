/**
 * The hot point reads (an entity by name or id, an entity's tags) compiled once and run without
 * Kysely's per-query work. Building and compiling a Kysely query and going through its executor
 * and driver cost more CPU than SQLite needs to answer it (bench/api/profile.js), and on
 * PostgreSQL every text query is parsed and planned again by the server. A `PreparedRead` is
 * written with Kysely's builder (so its SQL stays type-checked and each dialect's own), compiled
 * once per dialect, and then:
 *
 * - outside a transaction, runs on the dialect's `DirectReader`: SQLite's cached better-sqlite3
 *   statement, run synchronously when its single connection is idle; PostgreSQL's pool with a
 *   named (server-side prepared) statement;
 * - inside a transaction (or when the direct path declines), runs as the compiled query on the
 *   context's Kysely instance, so the read uses the transaction's connection and sees its writes.
 *
 * @internal
 * @module
 */
import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { SqlContext } from './sql-context.js';

/** One compiled read: its SQL text and, per compiled parameter, the argument it takes (or a constant). */
export interface CompiledRead {
  /** Names the statement where the database keeps prepared statements by name (PostgreSQL). */
  readonly name: string;
  readonly query: CompiledQuery;
  bind(args: readonly unknown[]): unknown[];
}

/** How a `DirectReader` gives rows other than as objects: `'column'`, each row its first column's value. */
export type RowMode = 'column';

/**
 * A dialect's fast path for reads outside transactions: the rows, or `undefined` when it cannot
 * run the read now (the caller then runs it through Kysely). Errors come out translated.
 */
export interface DirectReader {
  /** With `rowMode` `'column'`, each row is its first column's value. */
  read(query: CompiledRead, parameters: unknown[], rowMode?: RowMode): Promise<unknown[]> | unknown[] | undefined;
}

// Stand-ins for the arguments while compiling: the compiled parameters that are one of them are
// the arguments' places; any other parameter is a constant of the query.
const ARG = '\u0000castellan-prepared-read-arg-';
let nextId = 0;

/** A read built by `build` from positional `args`, compiled once per dialect. @internal */
export class PreparedRead<Args extends unknown[], Row> {
  readonly #id = nextId++;
  readonly #build: (db: Kysely<Database>, ...args: Args) => Compilable<Row>;
  readonly #arity: number;
  readonly #compiled = new Map<string, CompiledRead>();

  constructor(arity: Args['length'], build: (db: Kysely<Database>, ...args: Args) => Compilable<Row>) {
    this.#arity = arity;
    this.#build = build;
  }

  /** Every row of the read with `args`, on `ctx`'s connection (see the module comment). */
  async all(ctx: SqlContext, ...args: Args): Promise<Row[]> {
    const compiled = this.#compiledFor(ctx);
    const parameters = compiled.bind(args);
    if (ctx.direct) {
      const rows = ctx.direct.read(compiled, parameters);
      if (rows) return (await rows) as Row[];
    }
    return (await ctx.db.executeQuery<Row>({ ...compiled.query, parameters })).rows;
  }

  /** Every row's first selected value (a query of one column: no array or object a row). */
  async column(ctx: SqlContext, ...args: Args): Promise<unknown[]> {
    const compiled = this.#compiledFor(ctx);
    const parameters = compiled.bind(args);
    if (ctx.direct) {
      const values = ctx.direct.read(compiled, parameters, 'column');
      if (values) return values;
    }
    return (await ctx.db.executeQuery<object>({ ...compiled.query, parameters })).rows.map((row) => Object.values(row)[0]);
  }

  /** The first row, or `undefined`. */
  async first(ctx: SqlContext, ...args: Args): Promise<Row | undefined> {
    return (await this.all(ctx, ...args))[0];
  }

  #compiledFor(ctx: SqlContext): CompiledRead {
    const dialect = ctx.hooks.dialect;
    let compiled = this.#compiled.get(dialect);
    if (!compiled) {
      compiled = this.#compile(ctx.db, `castellan_read_${this.#id}`);
      this.#compiled.set(dialect, compiled);
    }
    return compiled;
  }

  #compile(db: Kysely<Database>, name: string): CompiledRead {
    const stand = Array.from({ length: this.#arity }, (_, i) => `${ARG}${i}`) as unknown as Args;
    const query = this.#build(db, ...stand).compile();
    const slots = query.parameters.map((p) => (typeof p === 'string' && p.startsWith(ARG) ? Number(p.slice(ARG.length)) : -1));
    const constants = query.parameters;
    return {
      name,
      query,
      bind: (args) => slots.map((slot, i) => (slot >= 0 ? args[slot] : constants[i])),
    };
  }
}
