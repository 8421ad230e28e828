import type { DeletionTaskStatus, ServiceLinkedRoleStore } from '../store.js';
import { date, ms } from './columns.js';
import type { SqlContext } from './sql-context.js';

/** `ServiceLinkedRoleStore` (deletion tasks) on SQL. @internal */
export function sqlServiceLinkedRoleStore(ctx: SqlContext): ServiceLinkedRoleStore {
  return {
    async createDeletionTask(input) {
      await ctx.db.insertInto('service_linked_role_deletions').values({
        task_id: input.taskId,
        account_id: input.accountId,
        status: input.status,
        reason: input.reason ?? null,
        create_date: ms(input.createDate),
      }).execute();
    },
    async getDeletionTask(accountId, taskId) {
      const r = await ctx.db.selectFrom('service_linked_role_deletions').selectAll()
        .where('account_id', '=', accountId).where('task_id', '=', taskId).executeTakeFirst();
      if (!r) return undefined;
      return {
        accountId: r.account_id,
        taskId: r.task_id,
        status: r.status as DeletionTaskStatus,
        ...(r.reason !== null ? { reason: r.reason } : {}),
        createDate: date(r.create_date),
      };
    },
  };
}
