import type { Kysely, Migration } from 'kysely';

/**
 * Instance profiles, the role each holds, their tags; and the deletion tasks of service-linked
 * roles (the roles are ordinary `roles` rows under the path `/aws-service-role/`). A profile holds at most one role: the
 * primary key of `instance_profile_roles` is the profile. Neither a profile holding a role nor a
 * role in a profile can be deleted (foreign keys without ON DELETE action restrict, as AWS's
 * DeleteConflict does); tags go with their profile.
 */
export const instanceProfilesServiceLinkedRolesMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.createTable('instance_profiles')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('name_lower', 'text', (c) => c.notNull())
      .addColumn('path', 'text', (c) => c.notNull())
      .addColumn('arn', 'text', (c) => c.notNull())
      .addColumn('create_date', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('instance_profiles_account_name_uq').on('instance_profiles').columns(['account_id', 'name_lower']).unique().execute();

    await db.schema.createTable('instance_profile_roles')
      .addColumn('instance_profile_id', 'text', (c) => c.primaryKey().references('instance_profiles.id'))
      .addColumn('role_id', 'text', (c) => c.notNull().references('roles.id'))
      .addColumn('account_id', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('instance_profile_roles_role_idx').on('instance_profile_roles').columns(['role_id']).execute();

    await db.schema.alterTable('tags')
      .addColumn('instance_profile_id', 'text', (c) => c.references('instance_profiles.id').onDelete('cascade'))
      .execute();
    await db.schema.createIndex('tags_instance_profile_id_idx').on('tags').columns(['instance_profile_id']).execute();

    await db.schema.createTable('service_linked_role_deletions')
      .addColumn('task_id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('reason', 'text')
      .addColumn('create_date', 'bigint', (c) => c.notNull())
      .execute();
  },
};
