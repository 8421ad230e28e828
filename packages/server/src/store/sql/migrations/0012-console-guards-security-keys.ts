import type { Kysely, Migration } from 'kysely';

/**
 * What console sign-in must share between the nodes of a deployment, and security keys:
 * - `console_guards`: short-lived, expiring facts keyed by kind + key: failed sign-ins in a row per
 *   name or address (with the time before which no attempt counts), sessions ended by sign-out,
 *   and WebAuthn challenges already answered. Every row has `expires_at`, after which it means
 *   nothing and is deleted by later writes.
 * - `security_keys`: FIDO2/WebAuthn credentials enabled as MFA devices of IAM users (serial
 *   `arn:aws:iam::ACCOUNT:u2f/user/NAME/ID`), with the public key and the signature counter.
 * - `accounts.root_password_last_used`: the root's last console sign-in, for the credential report.
 */
export const consoleGuardsSecurityKeysMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.createTable('console_guards')
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('failures', 'integer', (c) => c.notNull())
      .addColumn('blocked_until', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('console_guards_pk', ['kind', 'key'])
      .execute();
    await db.schema.createIndex('console_guards_expires_idx').on('console_guards').columns(['expires_at']).execute();

    await db.schema.createTable('security_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      // No ON DELETE action: a user with an MFA device is a DeleteConflict, as on AWS.
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('credential_id', 'text', (c) => c.notNull())
      .addColumn('public_key', 'text', (c) => c.notNull())
      .addColumn('counter', 'bigint', (c) => c.notNull())
      .addColumn('transports', 'text', (c) => c.notNull())
      .addColumn('enable_date', 'bigint', (c) => c.notNull())
      .addColumn('last_used_date', 'bigint')
      .execute();
    await db.schema.createIndex('security_keys_credential_uq').on('security_keys').columns(['credential_id']).unique().execute();
    await db.schema.createIndex('security_keys_user_idx').on('security_keys').columns(['user_id']).execute();

    await db.schema.alterTable('accounts').addColumn('root_password_last_used', 'bigint').execute();
  },
};
