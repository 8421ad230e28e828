import { sql, type DatabaseIntrospector, type DatabaseMetadata, type Kysely, type SchemaMetadata, type TableMetadata } from 'kysely';

/**
 * The introspector Kysely's `Migrator` uses to find its bookkeeping tables, narrowed to the
 * store's own schema (`current_schema()`, which `search_path` makes ours).
 *
 * Why: Kysely's PostgreSQL introspector lists every column of every table in every schema and
 * calls `pg_get_serial_sequence` on each; when another store (a parallel test, another tenant)
 * drops its schema during that scan, the call fails with 3F000 and our migration fails with it.
 * Reading only `pg_catalog` rows of our own schema has no such race. Columns are not reported:
 * the migrator needs table and schema names only.
 *
 * @internal
 */
export class PostgresSchemaIntrospector implements DatabaseIntrospector {
  readonly #db: Kysely<any>;

  constructor(db: Kysely<any>) {
    this.#db = db;
  }

  async getSchemas(): Promise<SchemaMetadata[]> {
    const { rows } = await sql<{ name: string }>`select nspname as name from pg_catalog.pg_namespace`.execute(this.#db);
    return rows;
  }

  async getTables(): Promise<TableMetadata[]> {
    const { rows } = await sql<{ name: string; schema: string; kind: string }>`
      select c.relname as name, n.nspname as schema, c.relkind as kind
      from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where n.nspname = current_schema() and c.relkind in ('r', 'p', 'v', 'm')`.execute(this.#db);
    return rows.map((r) => ({ name: r.name, schema: r.schema, isView: r.kind === 'v' || r.kind === 'm', columns: [] }));
  }

  async getMetadata(): Promise<DatabaseMetadata> {
    return { tables: await this.getTables() };
  }
}
