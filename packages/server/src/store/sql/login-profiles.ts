import { StoreReferenceError } from '../store-errors.js';
import type { LoginProfileRow, LoginProfileStore } from '../store.js';
import { date, ms } from './columns.js';
import type { Database } from './schema.js';
import type { SqlContext } from './sql-context.js';

/** `LoginProfileStore` (console passwords, as argon2id hashes) on SQL. @internal */
export function sqlLoginProfileStore(ctx: SqlContext): LoginProfileStore {
  const getLoginProfile = async (userId: string): Promise<LoginProfileRow | undefined> => {
    const row = await ctx.db.selectFrom('login_profiles').selectAll().where('user_id', '=', userId).executeTakeFirst();
    return row && toLoginProfile(row);
  };
  return {
    async createLoginProfile(input) {
      await ctx.db.insertInto('login_profiles').values({
        user_id: input.userId,
        account_id: input.accountId,
        password_hash: input.passwordHash,
        password_reset_required: input.passwordResetRequired ? 1 : 0,
        create_date: ms(input.createDate),
        password_changed_date: ms(input.passwordChangedDate ?? input.createDate),
      }).execute();
      return { ...input, createDate: new Date(ms(input.createDate)), passwordChangedDate: new Date(ms(input.passwordChangedDate ?? input.createDate)) };
    },
    getLoginProfile,
    async updateLoginProfile(userId, patch) {
      const set: Partial<Database['login_profiles']> = {};
      if (patch.passwordHash !== undefined) set.password_hash = patch.passwordHash;
      if (patch.passwordChangedDate !== undefined) set.password_changed_date = ms(patch.passwordChangedDate);
      if (patch.passwordResetRequired !== undefined) set.password_reset_required = patch.passwordResetRequired ? 1 : 0;
      if (Object.keys(set).length > 0) {
        const result = await ctx.db.updateTable('login_profiles').set(set).where('user_id', '=', userId).executeTakeFirst();
        if (result.numUpdatedRows === 0n) return undefined;
      }
      return getLoginProfile(userId);
    },
    async deleteLoginProfile(userId) {
      return (await ctx.db.deleteFrom('login_profiles').where('user_id', '=', userId).executeTakeFirst()).numDeletedRows > 0n;
    },
    addPasswordHistory: (input) => ctx.atomic(async (tx) => {
      if (!(await tx.lockRow('users', input.userId))) throw new StoreReferenceError('password_history.user_id');
      const last = await tx.db.selectFrom('password_history').select((eb) => eb.fn.max('seq').as('n')).where('user_id', '=', input.userId).executeTakeFirst();
      const seq = Number(last?.n ?? 0) + 1;
      await tx.db.insertInto('password_history').values({ user_id: input.userId, seq, password_hash: input.passwordHash, set_date: ms(input.setDate) }).execute();
      await tx.db.deleteFrom('password_history').where('user_id', '=', input.userId).where('seq', '<=', seq - Math.max(1, input.keep)).execute();
    }),
    async listPasswordHistory(userId, limit) {
      if (limit <= 0) return [];
      const rows = await ctx.db.selectFrom('password_history').select('password_hash').where('user_id', '=', userId).orderBy('seq', 'desc').limit(limit).execute();
      return rows.map((r) => r.password_hash);
    },
  };
}

function toLoginProfile(r: Database['login_profiles']): LoginProfileRow {
  return {
    accountId: r.account_id,
    userId: r.user_id,
    passwordHash: r.password_hash,
    passwordResetRequired: Number(r.password_reset_required) === 1,
    createDate: date(r.create_date),
    passwordChangedDate: date(r.password_changed_date ?? r.create_date),
  };
}
