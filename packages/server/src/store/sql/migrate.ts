import { Migrator, type Kysely } from 'kysely';
import { migrationProvider } from './migrations/index.js';

/**
 * Brings the schema up to date. Kysely's `Migrator` serializes concurrent runs (PostgreSQL:
 * `pg_advisory_xact_lock`; SQLite: one connection) and runs each migration in a transaction.
 * `migrationTableSchema` must be given on PostgreSQL: without it Kysely looks for its bookkeeping
 * tables in every schema and would mistake another schema's for ours.
 *
 * @internal
 */
export async function migrateToLatest(db: Kysely<any>, migrationTableSchema?: string): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider, ...(migrationTableSchema ? { migrationTableSchema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`database migration ${failed ? `\`${failed}\` ` : ''}failed`, { cause: error });
  }
}
