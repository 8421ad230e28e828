import type { WorkloadRegistrationRow, WorkloadRegistrationStore } from '../store.js';
import { date, ms, optionalDate } from './columns.js';
import type { Database } from './schema.js';
import type { SqlContext } from './sql-context.js';

/** `WorkloadRegistrationStore` on SQL. @internal */
export function sqlWorkloadRegistrationStore(ctx: SqlContext): WorkloadRegistrationStore {
  return {
    async createWorkloadRegistration(row) {
      await ctx.db.insertInto('workload_registrations').values({
        id: row.id,
        account_id: row.accountId,
        instance_profile_name: row.instanceProfileName,
        secret_hash: row.secretHash,
        created_at: ms(row.createDate),
        revoked_at: null,
      }).execute();
      return { ...row };
    },
    async getWorkloadRegistrationBySecretHash(secretHash) {
      const r = await ctx.db.selectFrom('workload_registrations').selectAll().where('secret_hash', '=', secretHash).executeTakeFirst();
      return r && toRegistration(r);
    },
    async getWorkloadRegistration(id) {
      const r = await ctx.db.selectFrom('workload_registrations').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toRegistration(r);
    },
    async listWorkloadRegistrations() {
      const rows = await ctx.db.selectFrom('workload_registrations').selectAll().orderBy('created_at').orderBy('id').execute();
      return rows.map(toRegistration);
    },
    async revokeWorkloadRegistration(id, now) {
      const updated = await ctx.db.updateTable('workload_registrations').set({ revoked_at: ms(now) })
        .where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
      return updated.numUpdatedRows > 0n;
    },
  };
}

function toRegistration(r: Database['workload_registrations']): WorkloadRegistrationRow {
  const revokedAt = optionalDate(r.revoked_at);
  return {
    id: r.id,
    accountId: r.account_id,
    instanceProfileName: r.instance_profile_name,
    secretHash: r.secret_hash,
    createDate: date(r.created_at),
    ...(revokedAt ? { revokedAt } : {}),
  };
}
