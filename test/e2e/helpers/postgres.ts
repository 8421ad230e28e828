/**
 * The shared PostgreSQL the e2e tests put their random schemas in.
 *
 * @module
 */
import pg from 'pg';

/** Where the e2e tests' PostgreSQL is (trust authentication, database `test`). */
export const E2E_POSTGRES_URL = process.env['CASTELLAN_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Drops a test's schema and everything in it (nothing when it does not exist). */
export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: E2E_POSTGRES_URL });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}
