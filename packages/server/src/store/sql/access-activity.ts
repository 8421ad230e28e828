import type { AccessActivityStore, AccessReportJobRow, ActionUseRow } from '../store.js';
import { date, ms } from './columns.js';
import type { Database } from './schema.js';
import type { SqlContext } from './sql-context.js';

/** `AccessActivityStore` on SQL: one upsert per batch that never moves a date back. @internal */
export function sqlAccessActivityStore(ctx: SqlContext): AccessActivityStore {
  return {
    async recordActionUse(batch) {
      if (batch.length === 0) return;
      // One row per key within the statement (an upsert may not touch a row twice): the latest use.
      const latest = new Map<string, (typeof batch)[number]>();
      for (const u of batch) {
        const k = `${u.entity.id}\u0000${u.action}`;
        const seen = latest.get(k);
        if (!seen || seen.usedAt < u.usedAt) latest.set(k, u);
      }
      const rows: Array<Database['action_last_accessed']> = [...latest.values()].map((u) => ({
        entity_id: u.entity.id,
        action: u.action,
        account_id: u.accountId,
        entity_kind: u.entity.kind,
        last_at: ms(u.usedAt),
        region: u.region,
      }));
      await ctx.db.insertInto('action_last_accessed').values(rows)
        .onConflict((oc) => oc.columns(['entity_id', 'action'])
          .doUpdateSet((eb) => ({ last_at: eb.ref('excluded.last_at'), region: eb.ref('excluded.region') }))
          .where('action_last_accessed.last_at', '<', (eb) => eb.ref('excluded.last_at')))
        .execute();
    },
    async listActionUses(entityIds) {
      if (entityIds.length === 0) return [];
      const rows = await ctx.db.selectFrom('action_last_accessed').selectAll().where('entity_id', 'in', [...entityIds]).execute();
      return rows.map((r): ActionUseRow => ({
        accountId: r.account_id,
        entity: { kind: r.entity_kind as 'user' | 'role', id: r.entity_id },
        action: r.action,
        usedAt: date(r.last_at),
        region: r.region,
      }));
    },
    async createAccessReportJob(job) {
      return ctx.write(async (ctx) => {
        await ctx.db.insertInto('access_report_jobs').values({
          job_id: job.jobId,
          account_id: job.accountId,
          arn: job.arn,
          granularity: job.granularity,
          created_at: ms(job.createdAt),
          completed_at: ms(job.completedAt),
          result: job.resultJson,
        }).execute();
      });
    },
    async getAccessReportJob(jobId) {
      const r = await ctx.db.selectFrom('access_report_jobs').selectAll().where('job_id', '=', jobId).executeTakeFirst();
      if (!r) return undefined;
      return {
        jobId: r.job_id,
        accountId: r.account_id,
        arn: r.arn,
        granularity: r.granularity as AccessReportJobRow['granularity'],
        createdAt: date(r.created_at),
        completedAt: date(r.completed_at),
        resultJson: r.result,
      };
    },
  };
}
