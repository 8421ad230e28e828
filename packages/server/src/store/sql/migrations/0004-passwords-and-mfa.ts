import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Password policy enforcement and MFA devices:
 * - `login_profiles.password_changed_date`: when the current password was set, for
 *   `MaxPasswordAge` (existing profiles count from their creation);
 * - `password_history`: argon2id hashes of a user's recent passwords, for `PasswordReusePrevention`
 *   (deleted with the user, as AWS forgets them);
 * - `mfa_devices`: virtual MFA devices, the seed sealed by the SecretBox, the user they are enabled
 *   for (no ON DELETE action: a user with a device is a DeleteConflict, as on AWS) and the last
 *   accepted TOTP time step (a code is accepted once);
 * - `tags.mfa_device_id`: tags of MFA devices, deleted with the device.
 */
export const passwordsAndMfaMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable('login_profiles').addColumn('password_changed_date', 'bigint').execute();
    await sql`update login_profiles set password_changed_date = create_date`.execute(db);

    await db.schema.createTable('password_history')
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('set_date', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('password_history_pk', ['user_id', 'seq'])
      .execute();

    await db.schema.createTable('mfa_devices')
      // The serial number (`arn:aws:iam::ACCOUNT:mfa/PATH/NAME`): globally unique, like every id.
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('name_lower', 'text', (c) => c.notNull())
      .addColumn('path', 'text', (c) => c.notNull())
      .addColumn('seed_sealed', 'text', (c) => c.notNull())
      .addColumn('create_date', 'bigint', (c) => c.notNull())
      // 'user' or 'root' once enabled; null while unassigned.
      .addColumn('owner_kind', 'text')
      .addColumn('user_id', 'text', (c) => c.references('users.id'))
      .addColumn('enable_date', 'bigint')
      .addColumn('last_used_step', 'bigint')
      .addColumn('last_used_date', 'bigint')
      .execute();
    await db.schema.createIndex('mfa_devices_name_idx').on('mfa_devices').columns(['account_id', 'name_lower']).unique().execute();
    await db.schema.createIndex('mfa_devices_user_idx').on('mfa_devices').columns(['user_id']).execute();

    await db.schema.alterTable('tags').addColumn('mfa_device_id', 'text', (c) => c.references('mfa_devices.id').onDelete('cascade')).execute();
    await db.schema.createIndex('tags_mfa_device_id_idx').on('tags').columns(['mfa_device_id']).execute();
  },
};
