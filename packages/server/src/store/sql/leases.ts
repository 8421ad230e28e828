import type { LeaseStore } from '../store.js';
import { ms } from './columns.js';
import type { SqlContext } from './sql-context.js';

/**
 * `LeaseStore` on SQL: one `INSERT … ON CONFLICT DO UPDATE … WHERE` (both dialects), so taking a
 * free or expired lease and renewing one's own are a single atomic statement; the row count says
 * whether it was taken.
 *
 * @internal
 */
export function sqlLeaseStore(ctx: SqlContext): LeaseStore {
  return {
    async acquireLease({ name, holder, now, ttlMs }) {
      return ctx.write(async (ctx) => {
        const result = await ctx.db.insertInto('leases')
          .values({ name, holder, expires_at: ms(now) + Math.max(0, Math.floor(ttlMs)) })
          .onConflict((oc) => oc.column('name')
            .doUpdateSet((eb) => ({ holder: eb.ref('excluded.holder'), expires_at: eb.ref('excluded.expires_at') }))
            .where((eb) => eb.or([eb('leases.holder', '=', holder), eb('leases.expires_at', '<=', ms(now))])))
          .executeTakeFirst();
        return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
      });
    },
    async releaseLease(name, holder) {
      return ctx.write(async (ctx) => {
        await ctx.db.deleteFrom('leases').where('name', '=', name).where('holder', '=', holder).execute();
      });
    },
  };
}
