import type { Kysely, Migration } from 'kysely';

/**
 * Credential hygiene. The credential report: one row per account, stored so that any node serves
 * the report another generated (its content lists users and credential dates, never a secret).
 * Last-accessed data: per IAM user or role and action, the last time a request was allowed, and
 * the jobs of GenerateServiceLastAccessedDetails with their computed results.
 */
export const credentialHygieneMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.createTable('credential_reports')
      .addColumn('account_id', 'text', (c) => c.primaryKey().references('accounts.id'))
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('started_at', 'bigint', (c) => c.notNull())
      .addColumn('generated_at', 'bigint')
      .addColumn('content', 'text')
      .execute();

    // No foreign key: the entity is a user or a role. Rows of a deleted entity are never read
    // again (reports look entities up by their current id).
    await db.schema.createTable('action_last_accessed')
      .addColumn('entity_id', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('entity_kind', 'text', (c) => c.notNull())
      .addColumn('last_at', 'bigint', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('action_last_accessed_pk', ['entity_id', 'action'])
      .execute();

    await db.schema.createTable('access_report_jobs')
      .addColumn('job_id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('arn', 'text', (c) => c.notNull())
      .addColumn('granularity', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('completed_at', 'bigint', (c) => c.notNull())
      .addColumn('result', 'text', (c) => c.notNull())
      .execute();
  },
};
