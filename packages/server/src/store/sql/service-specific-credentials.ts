import { StoreLimitError, StoreReferenceError } from '../store-errors.js';
import type { AccessKeyStatus, ServiceSpecificCredentialRow, ServiceSpecificCredentialStore } from '../store.js';
import { date, ms } from './columns.js';
import type { Database } from './schema.js';
import type { SqlContext } from './sql-context.js';

/** `ServiceSpecificCredentialStore` on SQL: passwords arrive and stay hashed. @internal */
export function sqlServiceSpecificCredentialStore(ctx: SqlContext): ServiceSpecificCredentialStore {
  return {
    createServiceSpecificCredential: (input) => ctx.atomic(async (tx) => {
      const max = input.maxPerService ?? 2;
      if (!(await tx.lockRow('users', input.userId))) throw new StoreReferenceError('service_specific_credentials.user_id');
      const n = await tx.count(tx.db.selectFrom('service_specific_credentials').select((eb) => eb.fn.countAll().as('n'))
        .where('user_id', '=', input.userId).where('service_name', '=', input.serviceName));
      if (n >= max) throw new StoreLimitError('serviceSpecificCredentialsPerService', max);
      const row: Database['service_specific_credentials'] = {
        id: input.id,
        account_id: input.accountId,
        user_id: input.userId,
        service_name: input.serviceName,
        service_user_name: input.serviceUserName,
        password_hash: input.passwordHash,
        status: input.status,
        create_date: ms(input.createDate),
      };
      await tx.db.insertInto('service_specific_credentials').values(row).execute();
      return toCredential(row);
    }),
    async getServiceSpecificCredential(id) {
      const row = await ctx.db.selectFrom('service_specific_credentials').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toCredential(row);
    },
    async listServiceSpecificCredentials(req) {
      let query = ctx.db.selectFrom('service_specific_credentials').selectAll().where('user_id', '=', req.userId);
      if (req.serviceName !== undefined) query = query.where('service_name', '=', req.serviceName);
      return (await query.orderBy('create_date').orderBy('id').execute()).map(toCredential);
    },
    async updateServiceSpecificCredential(id, patch) {
      const set: Partial<Database['service_specific_credentials']> = {};
      if (patch.status !== undefined) set.status = patch.status;
      if (patch.passwordHash !== undefined) set.password_hash = patch.passwordHash;
      if (Object.keys(set).length > 0) await ctx.db.updateTable('service_specific_credentials').set(set).where('id', '=', id).execute();
      const row = await ctx.db.selectFrom('service_specific_credentials').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toCredential(row);
    },
    async deleteServiceSpecificCredential(id) {
      return (await ctx.db.deleteFrom('service_specific_credentials').where('id', '=', id).executeTakeFirst()).numDeletedRows > 0n;
    },
  };
}

function toCredential(r: Database['service_specific_credentials']): ServiceSpecificCredentialRow {
  return {
    accountId: r.account_id,
    id: r.id,
    userId: r.user_id,
    serviceName: r.service_name,
    serviceUserName: r.service_user_name,
    passwordHash: r.password_hash,
    status: r.status as AccessKeyStatus,
    createDate: date(r.create_date),
  };
}
