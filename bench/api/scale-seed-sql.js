// `--scale` seeding of users and customer managed policies with multi-row SQL inserts straight into
// Castellan's tables (the store has no bulk create, and one store call per row costs a round trip
// each on PostgreSQL). Rows match what `createUser`/`createPolicy` write (store/sql/users.ts,
// managed-policies.ts); the server reads them like any other. Audit events still go through the
// store (seed-scale.js), which computes their hash chain.
import Database from 'better-sqlite3';
import pg from 'pg';

/** Rows per INSERT on PostgreSQL (7 columns × 1,000 stays under its 65,535 parameters). */
const PG_ROWS = 1000;

/** Opens the database of `storeConfig` for plain inserts: `insert(table, columns, rows)`, `analyze()`, `close()`. */
export async function openSqlSeeder(storeConfig) {
  if (storeConfig.kind === 'sqlite') {
    const db = new Database(storeConfig.filename);
    db.pragma('busy_timeout = 10000');
    return {
      async insert(table, columns, rows) {
        const stmt = db.prepare(`insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`);
        db.transaction(() => { for (const row of rows) stmt.run(row); })();
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
