import { sql, SqliteAdapter, type Kysely, type Migration } from 'kysely';

/**
 * How many users, groups, roles, customer managed policies and instance profiles each account
 * holds, kept by triggers, so a create's quota check reads one row instead of counting the
 * account's (at 100,000 users, 20–80 ms a CreateUser). A trigger runs inside the statement that
 * inserts or deletes the entity, so the count commits or rolls back with it, whichever code or
 * node wrote the row; on PostgreSQL concurrent writers serialize on the count row (an
 * `UPDATE … count + 1` waits for the other's commit and adds to its value, never overwrites it).
 * `kind` is the entity table's name. Accounts are never deleted, so no foreign key cascades here.
 *
 * The triggers are created before the counts are backfilled: on PostgreSQL `CREATE TRIGGER`
 * locks the table against writes until this migration commits, so no row written by a node
 * still running older code falls between the backfill and the first trigger.
 */
const COUNTED_TABLES = ['users', 'groups', 'roles', 'managed_policies', 'instance_profiles'] as const;

export const accountEntityCountsMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.createTable('account_entity_counts')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('count', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('account_entity_counts_pk', ['account_id', 'kind'])
      .execute();
    const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
    if (!sqlite) {
      // One function for every table: the table's name reaches it as `TG_TABLE_NAME`.
      await sql`create function account_entity_count_change() returns trigger language plpgsql as $$
        begin
          if tg_op = 'INSERT' then
            insert into account_entity_counts (account_id, kind, count) values (new.account_id, tg_table_name, 1)
              on conflict (account_id, kind) do update set count = account_entity_counts.count + 1;
          else
            update account_entity_counts set count = count - 1 where account_id = old.account_id and kind = tg_table_name;
          end if;
          return null;
        end $$`.execute(db);
    }
    for (const table of COUNTED_TABLES) {
      const kind = sql.lit(table);
      if (sqlite) {
        await sql`create trigger ${sql.id(`${table}_count_insert`)} after insert on ${sql.table(table)} begin
          insert into account_entity_counts (account_id, kind, count) values (new.account_id, ${kind}, 1)
            on conflict (account_id, kind) do update set count = count + 1;
        end`.execute(db);
        await sql`create trigger ${sql.id(`${table}_count_delete`)} after delete on ${sql.table(table)} begin
          update account_entity_counts set count = count - 1 where account_id = old.account_id and kind = ${kind};
        end`.execute(db);
      } else {
        await sql`create trigger ${sql.id(`${table}_count`)} after insert or delete on ${sql.table(table)}
          for each row execute function account_entity_count_change()`.execute(db);
      }
      await sql`insert into account_entity_counts (account_id, kind, count)
        select account_id, ${kind}, count(*) from ${sql.table(table)} group by account_id`.execute(db);
    }
  },
};
