import type { Kysely, Migration } from 'kysely';

/**
 * The initial schema. Written once with Kysely's schema builder and only portable types (`text`,
 * `bigint`, `integer`), so the same migration runs on SQLite and PostgreSQL.
 *
 * INVARIANT: foreign keys from dependents to users, groups, roles and customer policies have no
 * ON DELETE action (so they restrict), mirroring AWS's DeleteConflict rules, except tags and policy
 * versions, which AWS deletes along with their owner.
 */
export const initialMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.createTable('meta')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();

    await db.schema.createTable('accounts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('create_date', 'bigint', (c) => c.notNull())
      .addColumn('password_policy', 'text')
      .addColumn('settings', 'text', (c) => c.notNull())
      .execute();

    await db.schema.createTable('account_aliases')
      .addColumn('alias', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('create_date', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('account_aliases_account_idx').on('account_aliases').columns(['account_id']).execute();

    for (const table of ['users', 'groups', 'roles'] as const) {
      let builder = db.schema.createTable(table)
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('name_lower', 'text', (c) => c.notNull())
        .addColumn('path', 'text', (c) => c.notNull())
        .addColumn('arn', 'text', (c) => c.notNull())
        .addColumn('create_date', 'bigint', (c) => c.notNull());
      if (table === 'users') {
        builder = builder
          .addColumn('permissions_boundary_arn', 'text')
          .addColumn('password_last_used', 'bigint');
      }
      if (table === 'roles') {
        builder = builder
          .addColumn('assume_role_policy_document', 'text', (c) => c.notNull())
          .addColumn('description', 'text')
          .addColumn('max_session_duration', 'integer', (c) => c.notNull())
          .addColumn('permissions_boundary_arn', 'text')
          .addColumn('last_used_date', 'bigint')
          .addColumn('last_used_region', 'text');
      }
      await builder.execute();
      await db.schema.createIndex(`${table}_account_name_uq`).on(table).columns(['account_id', 'name_lower']).unique().execute();
    }
    for (const table of ['users', 'roles'] as const) {
      await db.schema.createIndex(`${table}_boundary_idx`).on(table).columns(['account_id', 'permissions_boundary_arn']).execute();
    }

    await db.schema.createTable('group_members')
      .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id'))
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('group_members_pk', ['group_id', 'user_id'])
      .execute();
    await db.schema.createIndex('group_members_user_idx').on('group_members').columns(['user_id']).execute();

    await db.schema.createTable('managed_policies')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('name_lower', 'text', (c) => c.notNull())
      .addColumn('path', 'text', (c) => c.notNull())
      .addColumn('arn', 'text', (c) => c.notNull().unique())
      .addColumn('description', 'text')
      .addColumn('default_version_id', 'text', (c) => c.notNull())
      .addColumn('last_version_number', 'integer', (c) => c.notNull())
      .addColumn('create_date', 'bigint', (c) => c.notNull())
      .addColumn('update_date', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('managed_policies_account_name_uq').on('managed_policies').columns(['account_id', 'name_lower']).unique().execute();

    await db.schema.createTable('policy_versions')
      .addColumn('policy_id', 'text', (c) => c.notNull().references('managed_policies.id').onDelete('cascade'))
      .addColumn('version_id', 'text', (c) => c.notNull())
      .addColumn('version_number', 'integer', (c) => c.notNull())
      .addColumn('document', 'text', (c) => c.notNull())
      .addColumn('create_date', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('policy_versions_pk', ['policy_id', 'version_id'])
      .execute();

    await db.schema.createTable('policy_attachments')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('entity_kind', 'text', (c) => c.notNull())
      .addColumn('entity_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.references('users.id'))
      .addColumn('group_id', 'text', (c) => c.references('groups.id'))
      .addColumn('role_id', 'text', (c) => c.references('roles.id'))
      .addColumn('policy_arn', 'text', (c) => c.notNull())
      .addColumn('policy_id', 'text', (c) => c.references('managed_policies.id'))
      .addColumn('policy_name', 'text', (c) => c.notNull())
      .addColumn('policy_path', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('policy_attachments_pk', ['entity_id', 'policy_arn'])
      .execute();
    await db.schema.createIndex('policy_attachments_policy_idx').on('policy_attachments').columns(['account_id', 'policy_arn']).execute();
    for (const column of ['user_id', 'group_id', 'role_id', 'policy_id']) {
      await db.schema.createIndex(`policy_attachments_${column}_idx`).on('policy_attachments').columns([column]).execute();
    }

    await db.schema.createTable('inline_policies')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('entity_kind', 'text', (c) => c.notNull())
      .addColumn('entity_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.references('users.id'))
      .addColumn('group_id', 'text', (c) => c.references('groups.id'))
      .addColumn('role_id', 'text', (c) => c.references('roles.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('name_lower', 'text', (c) => c.notNull())
      .addColumn('document', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('inline_policies_pk', ['entity_id', 'name_lower'])
      .execute();
    for (const column of ['user_id', 'group_id', 'role_id']) {
      await db.schema.createIndex(`inline_policies_${column}_idx`).on('inline_policies').columns([column]).execute();
    }

    await db.schema.createTable('tags')
      .addColumn('target_kind', 'text', (c) => c.notNull())
      .addColumn('target_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('cascade'))
      .addColumn('role_id', 'text', (c) => c.references('roles.id').onDelete('cascade'))
      .addColumn('policy_id', 'text', (c) => c.references('managed_policies.id').onDelete('cascade'))
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('key_norm', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('tags_pk', ['target_id', 'key_norm'])
      .execute();
    await db.schema.createIndex('tags_position_idx').on('tags').columns(['target_id', 'position']).execute();
    for (const column of ['user_id', 'role_id', 'policy_id']) {
      await db.schema.createIndex(`tags_${column}_idx`).on('tags').columns([column]).execute();
    }

    await db.schema.createTable('access_keys')
      .addColumn('access_key_id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('owner_kind', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.references('users.id'))
      .addColumn('secret_sealed', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('create_date', 'bigint', (c) => c.notNull())
      .addColumn('last_used_date', 'bigint')
      .addColumn('last_used_service', 'text')
      .addColumn('last_used_region', 'text')
      .execute();
    await db.schema.createIndex('access_keys_owner_idx').on('access_keys').columns(['account_id', 'owner_kind', 'user_id']).execute();
    await db.schema.createIndex('access_keys_user_idx').on('access_keys').columns(['user_id']).execute();

    await db.schema.createTable('login_profiles')
      .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id'))
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('password_reset_required', 'integer', (c) => c.notNull())
      .addColumn('create_date', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema.createTable('audit_events')
      .addColumn('seq', 'bigint', (c) => c.primaryKey())
      .addColumn('event_id', 'text', (c) => c.notNull().unique())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('event_time', 'bigint', (c) => c.notNull())
      .addColumn('event_source', 'text', (c) => c.notNull())
      .addColumn('event_name', 'text', (c) => c.notNull())
      .addColumn('read_only', 'integer', (c) => c.notNull())
      .addColumn('username', 'text')
      .addColumn('access_key_id', 'text')
      .addColumn('error_code', 'text')
      .addColumn('record', 'text', (c) => c.notNull())
      .addColumn('prev_hash', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .execute();
    // Every LookupEvents shape (time range alone, or one attribute plus time range) walks one of
    // these backwards from its end and stops after `limit` rows: no sort, no scan.
    await db.schema.createIndex('audit_events_time_idx').on('audit_events').columns(['account_id', 'event_time', 'seq']).execute();
    for (const column of ['event_name', 'username', 'event_source', 'access_key_id', 'read_only']) {
      await db.schema.createIndex(`audit_events_${column}_idx`).on('audit_events').columns(['account_id', column, 'event_time', 'seq']).execute();
    }

    await db.schema.createTable('audit_event_resources')
      .addColumn('seq', 'bigint', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('event_time', 'bigint', (c) => c.notNull())
      .addColumn('resource_type', 'text', (c) => c.notNull())
      .addColumn('resource_name', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('audit_event_resources_seq_idx').on('audit_event_resources').columns(['seq', 'position']).execute();
    for (const column of ['resource_type', 'resource_name']) {
      await db.schema.createIndex(`audit_event_resources_${column}_idx`).on('audit_event_resources').columns(['account_id', column, 'event_time', 'seq']).execute();
    }
  },
};
