import type { Kysely, Migration } from 'kysely';

/**
 * Leases of jobs that one node at a time runs (`LeaseStore`): the holder's id and when the lease
 * ends (epoch ms).
 */
export const leasesMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.createTable('leases')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('holder', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
  },
};
