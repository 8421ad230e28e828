import type { Kysely, Migration } from 'kysely';

/**
 * The credential report: one row per account, stored so that any node serves the report another
 * generated. Its content lists users and credential dates, never a secret.
 */
export const credentialReportsMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.createTable('credential_reports')
      .addColumn('account_id', 'text', (c) => c.primaryKey().references('accounts.id'))
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('started_at', 'bigint', (c) => c.notNull())
      .addColumn('generated_at', 'bigint')
      .addColumn('content', 'text')
      .execute();
  },
};
