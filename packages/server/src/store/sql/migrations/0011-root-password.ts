import type { Kysely, Migration } from 'kysely';

/**
 * The root user's console password (argon2id), set by the operator with `castellan root
 * set-password`. Null means root cannot sign in to the console.
 */
export const rootPasswordMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable('accounts').addColumn('root_password_hash', 'text').execute();
  },
};
