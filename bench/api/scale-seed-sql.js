// `--scale` seeding of users and customer managed policies with multi-row SQL inserts straight into
// Castellan's tables (the store has no bulk create, and one store call per row costs a round trip
// each on PostgreSQL). Rows match what `createUser`/`createPolicy` write (store/sql/users.ts,
// managed-policies.ts); the server reads them like any other, and the database's triggers count
// them in `account_entity_counts` as they count the store's inserts. Audit events still go through
// the store (seed-scale.js), which computes their hash chain.
import Database from 'better-sqlite3';
import pg from 'pg';

/** Rows per INSERT on PostgreSQL (7 columns × 1,000 stays under its 65,535 parameters). */
const PG_ROWS = 1000;

/**
 * Opens the database of `storeConfig` for plain inserts: `insert(table, columns, rows)`,
 * `dropIndexes(tables)` (answers a function that creates them again), `analyze()`, `close()`.
 */
export async function openSqlSeeder(storeConfig) {
  if (storeConfig.kind === 'sqlite') {
    const db = new Database(storeConfig.filename);
    db.pragma('busy_timeout = 10000');
    return {
      async insert(table, columns, rows) {
        const stmt = db.prepare(`insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`);
        db.transaction(() => { for (const row of rows) stmt.run(row); })();
      },
      // A million appends land at random places in the secondary indexes of the audit tables, which
      // is most of the seeding time; building each index once afterwards is several times faster.
      async dropIndexes(tables) {
        const list = db.prepare(`select name, sql from sqlite_master where type = 'index' and sql is not null and tbl_name in (${tables.map(() => '?').join(', ')})`).all(...tables);
        for (const { name } of list) db.exec(`drop index "${name}"`);
        return async () => { for (const { sql } of list) db.exec(sql); };
      },
      // SQLite plans without statistics unless someone runs ANALYZE, which Castellan does not.
      async analyze() {},
      async close() {
        db.close();
      },
    };
  }
  const url = new URL(storeConfig.url);
  const schema = url.searchParams.get('schema') ?? 'public';
  url.searchParams.delete('schema');
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  await client.query(`set search_path to "${schema.replace(/"/g, '""')}"`);
  return {
    async insert(table, columns, rows) {
      for (let start = 0; start < rows.length; start += PG_ROWS) {
        const chunk = rows.slice(start, start + PG_ROWS);
        const values = chunk.map((_, r) => `(${columns.map((_, c) => `$${r * columns.length + c + 1}`).join(', ')})`);
        await client.query(`insert into ${table} (${columns.join(', ')}) values ${values.join(', ')}`, chunk.flat());
      }
    },
    async dropIndexes(tables) {
      // Indexes that back a primary key or unique constraint stay (they cannot be dropped alone).
      const { rows } = await client.query(
        `select i.indexname as name, i.indexdef as def from pg_indexes i
          where i.schemaname = current_schema() and i.tablename = any($1)
            and not exists (select 1 from pg_constraint c where c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)`,
        [tables],
      );
      for (const { name } of rows) await client.query(`drop index "${name.replace(/"/g, '""')}"`);
      return async () => { for (const { def } of rows) await client.query(def); };
    },
    // Bulk-loaded tables have no planner statistics until autovacuum gets to them; a live
    // deployment has them, so the benchmark measures with them.
    async analyze() {
      await client.query('analyze');
    },
    async close() {
      await client.end();
    },
  };
}
