import type { CredentialReportRow, CredentialReportStore } from '../store.js';
import { date, ms, optionalDate } from './columns.js';
import type { Database } from './schema.js';
import type { SqlContext } from './sql-context.js';

/** `CredentialReportStore` on SQL: the claim is an insert-or-nothing, then a conditional update. @internal */
export function sqlCredentialReportStore(ctx: SqlContext): CredentialReportStore {
  /** On `on`: inside `write`'s transaction, its own context (the store's would wait for the connection the transaction holds). */
  const read = async (accountId: string, on: SqlContext = ctx) => {
    const row = await on.db.selectFrom('credential_reports').selectAll().where('account_id', '=', accountId).executeTakeFirst();
    return row && toReport(row);
  };
  return {
    getCredentialReport: (accountId) => read(accountId),
    async claimCredentialReportGeneration({ accountId, now, staleBefore, abandonedBefore }) {
      return ctx.write(async (ctx) => {
        const inserted = await ctx.db.insertInto('credential_reports')
          .values({ account_id: accountId, state: 'generating', started_at: ms(now), generated_at: null, content: null })
          .onConflict((oc) => oc.column('account_id').doNothing())
          .returning('account_id')
          .execute();
        if (inserted.length > 0) return { claimed: true };
        const previous = await read(accountId, ctx);
        const updated = await ctx.db.updateTable('credential_reports')
          .set({ state: 'generating', started_at: ms(now) })
          .where('account_id', '=', accountId)
          .where((eb) => eb.or([
            eb.and([eb('state', '=', 'complete'), eb('generated_at', '<', ms(staleBefore))]),
            eb.and([eb('state', '=', 'generating'), eb('started_at', '<', ms(abandonedBefore))]),
          ]))
          .executeTakeFirst();
        if (updated.numUpdatedRows > 0n) return previous ? { claimed: true, previous } : { claimed: true };
        const current = await read(accountId, ctx);
        if (!current) throw new Error('credential report row vanished');
        return { claimed: false, current };
      });
    },
    async completeCredentialReport({ accountId, startedAt, generatedAt, content }) {
      return ctx.write(async (ctx) => {
        const updated = await ctx.db.updateTable('credential_reports')
          .set({ state: 'complete', generated_at: ms(generatedAt), content })
          .where('account_id', '=', accountId)
          .where('state', '=', 'generating')
          .where('started_at', '=', ms(startedAt))
          .executeTakeFirst();
        return updated.numUpdatedRows > 0n;
      });
    },
  };
}

function toReport(r: Database['credential_reports']): CredentialReportRow {
  const generatedAt = optionalDate(r.generated_at);
  return {
    accountId: r.account_id,
    state: r.state as CredentialReportRow['state'],
    startedAt: date(r.started_at),
    ...(generatedAt ? { generatedAt } : {}),
    ...(r.content !== null ? { content: r.content } : {}),
  };
}
