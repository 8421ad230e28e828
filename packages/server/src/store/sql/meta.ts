import type { MetaStore } from '../store.js';
import type { SqlContext } from './sql-context.js';

/** `MetaStore` (server-level key/value state) on SQL. @internal */
export function sqlMetaStore(ctx: SqlContext): MetaStore {
  return {
    async getMeta(key) {
      return (await ctx.db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst())?.value;
    },
    async setMeta(key, value) {
      return ctx.write(async (ctx) => {
        await ctx.db.insertInto('meta').values({ key, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute();
      });
    },
    async deleteMeta(key) {
      return ctx.write(async (ctx) => {
        return (await ctx.db.deleteFrom('meta').where('key', '=', key).executeTakeFirst()).numDeletedRows > 0n;
      });
    },
  };
}
