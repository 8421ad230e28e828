import type { AccountTrailStore, AccountTrailState } from '../store.js';
import { ms, optionalDate } from './columns.js';
import type { Database } from './schema.js';
import type { SqlContext } from './sql-context.js';

/** `AccountTrailStore` on SQL: one row per account that changed its trail; tags as a JSON array. @internal */
export function sqlAccountTrailStore(ctx: SqlContext): AccountTrailStore {
  return {
    async getAccountTrail(accountId) {
      const row = await ctx.db.selectFrom('account_trails').selectAll().where('account_id', '=', accountId).executeTakeFirst();
      return row && toState(row);
    },
    async putAccountTrail(state) {
      const row: Database['account_trails'] = {
        account_id: state.accountId,
        logging: state.logging ? 1 : 0,
        start_logging_time: state.startLoggingTime ? ms(state.startLoggingTime) : null,
        stop_logging_time: state.stopLoggingTime ? ms(state.stopLoggingTime) : null,
        tags: JSON.stringify(state.tags.map((t) => [t.key, t.value])),
        event_selectors: state.eventSelectorsJson ?? null,
      };
      const { account_id: _key, ...rest } = row;
      await ctx.db.insertInto('account_trails').values(row).onConflict((oc) => oc.column('account_id').doUpdateSet(rest)).execute();
    },
  };
}

function toState(row: Database['account_trails']): AccountTrailState {
  const start = optionalDate(row.start_logging_time);
  const stop = optionalDate(row.stop_logging_time);
  return {
    accountId: row.account_id,
    logging: Number(row.logging) === 1,
    ...(start ? { startLoggingTime: start } : {}),
    ...(stop ? { stopLoggingTime: stop } : {}),
    tags: (JSON.parse(row.tags) as Array<[string, string]>).map(([key, value]) => ({ key, value })),
    ...(row.event_selectors !== null ? { eventSelectorsJson: row.event_selectors } : {}),
  };
}
