import { sql, SqliteAdapter, type Kysely, type Migration } from 'kysely';

/**
 * Each customer managed policy's number of attachments, kept in `managed_policies.attachment_count`
 * by triggers on `policy_attachments`, and a partial index over the attached ones in listing order.
 * A policy listing read the count with a correlated subquery per row, and `ListPolicies
 * OnlyAttached=true` (or `PolicyUsageFilter=PermissionsPolicy`) walked every policy of the account
 * until its page was full: with 20,000 policies of which few are attached, the whole account per
 * call. Now the count is a column and the attached policies are one index range.
 *
 * A trigger runs inside the statement that attaches or detaches, so the count commits or rolls
 * back with the attachment whichever code or node wrote it (attachments of AWS-managed policies
 * have no `policy_id` and count nothing here). On PostgreSQL, concurrent attachments of one policy
 * serialize on its row (`count + 1` waits for the other's commit and adds to its value). As in
 * 0021, the triggers exist before the backfill, so no attachment written meanwhile is missed.
 */
export const policyAttachmentCountsMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    // Kysely runs SQLite's migrations outside a transaction (its adapter claims no transactional
    // DDL): one of ours, so a crash midway cannot leave the column without its triggers (a rerun
    // would then fail on the column) and no writer slips between the triggers and the backfill.
    // PostgreSQL's migration already runs in one transaction.
    if (db.getExecutor().adapter instanceof SqliteAdapter) await db.transaction().execute((tx) => countAttachments(tx, true));
    else await countAttachments(db, false);
  },
};

async function countAttachments(db: Kysely<any>, sqlite: boolean): Promise<void> {
  await db.schema.alterTable('managed_policies').addColumn('attachment_count', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  if (sqlite) {
    await sql`create trigger policy_attachments_count_insert after insert on policy_attachments when new.policy_id is not null begin
      update managed_policies set attachment_count = attachment_count + 1 where id = new.policy_id;
    end`.execute(db);
    await sql`create trigger policy_attachments_count_delete after delete on policy_attachments when old.policy_id is not null begin
      update managed_policies set attachment_count = attachment_count - 1 where id = old.policy_id;
    end`.execute(db);
    // No code moves an attachment to another policy; a row changed so anyway stays counted right.
    await sql`create trigger policy_attachments_count_update after update of policy_id on policy_attachments begin
      update managed_policies set attachment_count = attachment_count - 1 where id = old.policy_id;
      update managed_policies set attachment_count = attachment_count + 1 where id = new.policy_id;
    end`.execute(db);
  } else {
    await sql`create function policy_attachment_count_change() returns trigger language plpgsql as $$
      begin
        if tg_op in ('DELETE', 'UPDATE') and old.policy_id is not null then
          update managed_policies set attachment_count = attachment_count - 1 where id = old.policy_id;
        end if;
        if tg_op in ('INSERT', 'UPDATE') and new.policy_id is not null then
          update managed_policies set attachment_count = attachment_count + 1 where id = new.policy_id;
        end if;
        return null;
      end $$`.execute(db);
    await sql`create trigger policy_attachments_count after insert or delete or update of policy_id on policy_attachments
      for each row execute function policy_attachment_count_change()`.execute(db);
  }
  await sql`update managed_policies set attachment_count = (select count(*) from policy_attachments pa where pa.policy_id = managed_policies.id)`.execute(db);
  // The listing's order (0016's `(account_id, name_lower, id)`) over attached policies only. The
  // predicate is written the same in the queries (a literal, not a parameter), which both
  // planners need in order to use a partial index.
  await sql`create index managed_policies_attached_idx on managed_policies (account_id, name_lower, id) where attachment_count > 0`.execute(db);
}
