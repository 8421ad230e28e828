import { sql, SqliteAdapter, type Kysely, type Migration } from 'kysely';

/**
 * Each customer managed policy's number of users and roles that have it as their permissions
 * boundary, kept in `managed_policies.boundary_count` by triggers on `users` and `roles`, and a
 * partial index over the policies in use as a boundary in listing order: 0022's design for
 * attachments, applied to boundaries. `ListPolicies PolicyUsageFilter=PermissionsBoundary` walked
 * the account's policies with two `exists` probes each until its page was full, and every policy
 * read counted its boundary uses with two subqueries; now both read a column.
 *
 * A boundary is a user's or role's `permissions_boundary_arn`, matched to a policy by ARN and
 * account (an AWS-managed boundary matches no row here). The triggers fire on every write of that
 * column: a principal created with a boundary, the boundary set, replaced or removed, and the
 * principal deleted (directly or by a cascade). A policy created while some principal still names
 * its ARN (a boundary set concurrently with the deletion of a policy of that name) starts from the
 * principals that name it. Triggers run inside the writing statement, so a count commits or rolls
 * back with its change whichever code or node wrote it. On PostgreSQL concurrent changes of one
 * policy's count serialize on its row; a change from one boundary to another updates the two
 * policies in ARN order, so two opposite changes cannot deadlock.
 */
export const policyBoundaryCountsMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    // As in 0022: SQLite's migrations run outside a transaction, so this one opens its own.
    if (db.getExecutor().adapter instanceof SqliteAdapter) await db.transaction().execute((tx) => countBoundaries(tx, true));
    else await countBoundaries(db, false);
  },
};

/** The principals of `account` whose boundary is `arn`, as SQL (users and roles). */
const principalsNaming = (account: string, arn: string) => `(select count(*) from users u where u.account_id = ${account} and u.permissions_boundary_arn = ${arn})
  + (select count(*) from roles r where r.account_id = ${account} and r.permissions_boundary_arn = ${arn})`;

async function countBoundaries(db: Kysely<any>, sqlite: boolean): Promise<void> {
  await db.schema.alterTable('managed_policies').addColumn('boundary_count', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  if (sqlite) {
    for (const table of ['users', 'roles']) {
      await sql.raw(`create trigger ${table}_boundary_count_insert after insert on ${table} when new.permissions_boundary_arn is not null begin
        update managed_policies set boundary_count = boundary_count + 1 where arn = new.permissions_boundary_arn and account_id = new.account_id;
      end`).execute(db);
      await sql.raw(`create trigger ${table}_boundary_count_delete after delete on ${table} when old.permissions_boundary_arn is not null begin
        update managed_policies set boundary_count = boundary_count - 1 where arn = old.permissions_boundary_arn and account_id = old.account_id;
      end`).execute(db);
      // A null ARN matches no policy, so setting, replacing and removing are the same two updates.
      await sql.raw(`create trigger ${table}_boundary_count_update after update of permissions_boundary_arn on ${table}
        when old.permissions_boundary_arn is not new.permissions_boundary_arn begin
        update managed_policies set boundary_count = boundary_count - 1 where arn = old.permissions_boundary_arn and account_id = old.account_id;
        update managed_policies set boundary_count = boundary_count + 1 where arn = new.permissions_boundary_arn and account_id = new.account_id;
      end`).execute(db);
    }
    await sql.raw(`create trigger managed_policies_boundary_count_insert after insert on managed_policies begin
      update managed_policies set boundary_count = ${principalsNaming('new.account_id', 'new.arn')} where id = new.id;
    end`).execute(db);
  } else {
    await sql`create function permissions_boundary_count_change() returns trigger language plpgsql as $$
      declare
        gone text;
        came text;
      begin
        if tg_op in ('DELETE', 'UPDATE') then gone := old.permissions_boundary_arn; end if;
        if tg_op in ('INSERT', 'UPDATE') then came := new.permissions_boundary_arn; end if;
        if gone is not distinct from came then return null; end if;
        -- Both rows in ARN order: a change P to Q and another Q to P lock P first.
        if gone is not null and (came is null or gone < came) then
          update managed_policies set boundary_count = boundary_count - 1 where arn = gone and account_id = old.account_id;
          gone := null;
        end if;
        if came is not null then
          update managed_policies set boundary_count = boundary_count + 1 where arn = came and account_id = new.account_id;
        end if;
        if gone is not null then
          update managed_policies set boundary_count = boundary_count - 1 where arn = gone and account_id = old.account_id;
        end if;
        return null;
      end $$`.execute(db);
    for (const table of ['users', 'roles']) {
      await sql.raw(`create trigger ${table}_boundary_count after insert or delete or update of permissions_boundary_arn on ${table}
        for each row execute function permissions_boundary_count_change()`).execute(db);
    }
    await sql.raw(`create function managed_policy_boundary_count_start() returns trigger language plpgsql as $$
      begin
        new.boundary_count := ${principalsNaming('new.account_id', 'new.arn')};
        return new;
      end $$`).execute(db);
    await sql`create trigger managed_policies_boundary_count before insert on managed_policies
      for each row execute function managed_policy_boundary_count_start()`.execute(db);
  }
  await sql.raw(`update managed_policies set boundary_count = ${principalsNaming('managed_policies.account_id', 'managed_policies.arn')}`).execute(db);
  // The listing's order over the policies in use as a boundary; the queries write the predicate
  // as a literal, as the partial index needs (see 0022).
  await sql`create index managed_policies_boundary_idx on managed_policies (account_id, name_lower, id) where boundary_count > 0`.execute(db);
}
