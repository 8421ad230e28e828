import type { Kysely, Migration } from 'kysely';

/**
 * What an account changed on its CloudTrail trail (`AccountTrailStore`): logging (0 or 1) and the
 * times of the latest StartLogging and StopLogging (epoch ms), and its tags (a JSON array of
 * [key, value]) and its event selectors (JSON). No row: the default trail.
 */
export const accountTrailsMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.createTable('account_trails')
      .addColumn('account_id', 'text', (c) => c.primaryKey().references('accounts.id').onDelete('cascade'))
      .addColumn('logging', 'integer', (c) => c.notNull())
      .addColumn('start_logging_time', 'bigint')
      .addColumn('stop_logging_time', 'bigint')
      .addColumn('tags', 'text', (c) => c.notNull())
      .addColumn('event_selectors', 'text')
      .execute();
  },
};
