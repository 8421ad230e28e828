import { sql } from 'kysely';
import type { ConsoleGuardStore, SignInFailureState } from '../store.js';
import { date, ms } from './columns.js';
import type { SqlContext } from './sql-context.js';

/** `ConsoleGuardStore` on SQL: each count and each once-only mark is one upsert. @internal */
export function sqlConsoleGuardStore(ctx: SqlContext): ConsoleGuardStore {
  return {
    async countSignInFailure({ kind, key, now, expiresAt, blockFor }) {
      return ctx.write(async (ctx) => {
        const t = ms(now);
        const row = await ctx.db.insertInto('console_guards')
          .values({ kind, key, failures: 1, blocked_until: 0, expires_at: ms(expiresAt) })
          .onConflict((oc) => oc.columns(['kind', 'key']).doUpdateSet({
            // An expired count starts again; a live one grows in the same statement.
            failures: sql<number>`case when console_guards.expires_at <= ${t} then 1 else console_guards.failures + 1 end`,
            blocked_until: sql<number>`case when console_guards.expires_at <= ${t} then 0 else console_guards.blocked_until end`,
            expires_at: ms(expiresAt),
          }))
          .returning(['failures', 'blocked_until'])
          .executeTakeFirstOrThrow();
        const failures = Number(row.failures);
        const block = blockFor(failures);
        if (!block) return { failures, blockedUntil: date(row.blocked_until) };
        await ctx.db.updateTable('console_guards')
          .set({ blocked_until: sql<number>`case when blocked_until > ${ms(block)} then blocked_until else ${ms(block)} end` })
          .where('kind', '=', kind).where('key', '=', key)
          .execute();
        return { failures, blockedUntil: new Date(Math.max(ms(block), Number(row.blocked_until))) };
      });
    },
    async getSignInFailures(kind, key, now) {
      const row = await ctx.db.selectFrom('console_guards').select(['failures', 'blocked_until'])
        .where('kind', '=', kind).where('key', '=', key).where('expires_at', '>', ms(now))
        .executeTakeFirst();
      return row && ({ failures: Number(row.failures), blockedUntil: date(row.blocked_until) } satisfies SignInFailureState);
    },
    async clearConsoleGuard(kind, key) {
      return ctx.write(async (ctx) => {
        await ctx.db.deleteFrom('console_guards').where('kind', '=', kind).where('key', '=', key).execute();
      });
    },
    async markConsoleGuardOnce(kind, key, now, expiresAt) {
      return ctx.write(async (ctx) => {
        const rows = await ctx.db.insertInto('console_guards')
          .values({ kind, key, failures: 0, blocked_until: 0, expires_at: ms(expiresAt) })
          .onConflict((oc) => oc.columns(['kind', 'key'])
            .doUpdateSet({ expires_at: ms(expiresAt), failures: 0, blocked_until: 0 })
            // Only an expired record may be taken over: a live one means the key was already used.
            .where('console_guards.expires_at', '<=', ms(now)))
          .returning('key')
          .execute();
        return rows.length > 0;
      });
    },
    async hasConsoleGuard(kind, key, now) {
      const row = await ctx.db.selectFrom('console_guards').select('key')
        .where('kind', '=', kind).where('key', '=', key).where('expires_at', '>', ms(now))
        .executeTakeFirst();
      return row !== undefined;
    },
    async pruneConsoleGuards(now) {
      return ctx.write(async (ctx) => {
        const result = await ctx.db.deleteFrom('console_guards').where('expires_at', '<=', ms(now)).executeTakeFirst();
        return Number(result.numDeletedRows);
      });
    },
  };
}
