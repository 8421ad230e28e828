import type { SecurityKeyRow, SecurityKeyStore } from '../store.js';
import { date, ms, optionalDate } from './columns.js';
import type { Database } from './schema.js';
import type { SqlContext } from './sql-context.js';

/** `SecurityKeyStore` on SQL; the counter moves by a conditional update. @internal */
export function sqlSecurityKeyStore(ctx: SqlContext): SecurityKeyStore {
  return {
    async createSecurityKey(row) {
      return ctx.write(async (ctx) => {
        await ctx.db.insertInto('security_keys').values({
          id: row.serialNumber,
          account_id: row.accountId,
          user_id: row.userId,
          name: row.name,
          credential_id: row.credentialId,
          public_key: row.publicKey,
          counter: row.counter,
          transports: JSON.stringify(row.transports),
          enable_date: ms(row.enableDate),
          last_used_date: row.lastUsedDate ? ms(row.lastUsedDate) : null,
        }).execute();
      });
    },
    async listSecurityKeys(userId) {
      return (await ctx.db.selectFrom('security_keys').selectAll().where('user_id', '=', userId).orderBy('id').execute()).map(toKey);
    },
    async getSecurityKey(serialNumber) {
      const row = await ctx.db.selectFrom('security_keys').selectAll().where('id', '=', serialNumber).executeTakeFirst();
      return row && toKey(row);
    },
    async useSecurityKey(serialNumber, { previous, counter, usedAt }) {
      // Made outside any transaction (console sign-in): waits for another process's lock on a timer.
      return ctx.write(async (ctx) => {
        const result = await ctx.db.updateTable('security_keys')
          .set({ counter, last_used_date: ms(usedAt) })
          .where('id', '=', serialNumber)
          .where('counter', '=', previous)
          .executeTakeFirst();
        return result.numUpdatedRows > 0n;
      });
    },
    countSecurityKeys(accountId) {
      return ctx.count(ctx.db.selectFrom('security_keys').select((eb) => eb.fn.countAll().as('n')).where('account_id', '=', accountId));
    },
    async deleteSecurityKey(serialNumber) {
      const result = await ctx.db.deleteFrom('security_keys').where('id', '=', serialNumber).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}

function toKey(r: Database['security_keys']): SecurityKeyRow {
  const lastUsedDate = optionalDate(r.last_used_date);
  return {
    accountId: r.account_id,
    serialNumber: r.id,
    userId: r.user_id,
    name: r.name,
    credentialId: r.credential_id,
    publicKey: r.public_key,
    counter: Number(r.counter),
    transports: JSON.parse(r.transports) as string[],
    enableDate: date(r.enable_date),
    ...(lastUsedDate ? { lastUsedDate } : {}),
  };
}
