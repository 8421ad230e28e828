import type { Kysely, Migration } from 'kysely';

/**
 * Workload registrations: a workload bound to an instance profile by name (so a profile deleted and
 * created again under the same name serves it again), with the SHA-256 of its bootstrap secret.
 */
export const workloadRegistrationsMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.createTable('workload_registrations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('instance_profile_name', 'text', (c) => c.notNull())
      .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('revoked_at', 'bigint')
      .execute();
  },
};
