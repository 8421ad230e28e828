import type { AccountRow, AccountStore } from '../store.js';
import { date, ms } from './columns.js';
import type { Database } from './schema.js';
import type { SqlContext } from './sql-context.js';

/** `AccountStore` (accounts, aliases, password policy, settings, usage counts) on SQL. @internal */
export function sqlAccountStore(ctx: SqlContext): AccountStore {
  const getAccount = async (accountId: string): Promise<AccountRow | undefined> => {
    const row = await ctx.db.selectFrom('accounts').selectAll().where('id', '=', accountId).executeTakeFirst();
    return row && toAccount(row);
  };
  return {
    async createAccount(input) {
      const row: Database['accounts'] = { id: input.id, create_date: ms(input.createDate), password_policy: null, settings: input.settingsJson ?? '{}', root_password_hash: null, root_password_last_used: null };
      await ctx.db.insertInto('accounts').values(row).execute();
      return toAccount(row);
    },
    getAccount,
    async listAccounts() {
      return (await ctx.db.selectFrom('accounts').selectAll().orderBy('id').execute()).map(toAccount);
    },
    async updateAccount(accountId, patch) {
      const set: Partial<Database['accounts']> = {};
      if (patch.passwordPolicyJson !== undefined) set.password_policy = patch.passwordPolicyJson;
      if (patch.settingsJson !== undefined) set.settings = patch.settingsJson;
      if (Object.keys(set).length > 0) {
        const result = await ctx.db.updateTable('accounts').set(set).where('id', '=', accountId).executeTakeFirst();
        if (result.numUpdatedRows === 0n) return undefined;
      }
      return getAccount(accountId);
    },
    async getRootPasswordHash(accountId) {
      const row = await ctx.db.selectFrom('accounts').select('root_password_hash').where('id', '=', accountId).executeTakeFirst();
      return row?.root_password_hash ?? undefined;
    },
    async setRootPasswordHash(accountId, hash) {
      const result = await ctx.db.updateTable('accounts').set({ root_password_hash: hash }).where('id', '=', accountId).executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    async recordRootPasswordUse(accountId, usedAt) {
      return ctx.write(async (ctx) => {
        await ctx.db.updateTable('accounts').set({ root_password_last_used: ms(usedAt) }).where('id', '=', accountId).execute();
      });
    },
    async getRootPasswordLastUsed(accountId) {
      const row = await ctx.db.selectFrom('accounts').select('root_password_last_used').where('id', '=', accountId).executeTakeFirst();
      return row?.root_password_last_used == null ? undefined : date(row.root_password_last_used);
    },
    async createAccountAlias(accountId, alias, createDate) {
      await ctx.db.insertInto('account_aliases').values({ alias: alias.toLowerCase(), account_id: accountId, create_date: ms(createDate) }).execute();
    },
    async deleteAccountAlias(accountId, alias) {
      const result = await ctx.db.deleteFrom('account_aliases').where('account_id', '=', accountId).where('alias', '=', alias.toLowerCase()).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
    async listAccountAliases(accountId) {
      const rows = await ctx.db.selectFrom('account_aliases').select('alias').where('account_id', '=', accountId).orderBy('alias').execute();
      return rows.map((r) => r.alias);
    },
    async getAccountIdByAlias(alias) {
      const row = await ctx.db.selectFrom('account_aliases').select('account_id').where('alias', '=', alias.toLowerCase()).executeTakeFirst();
      return row?.account_id;
    },
    countAccountEntities: (accountId, kind) => countEntities(ctx, accountId, ENTITY_KIND_TABLE[kind]),
    async getAccountUsage(accountId) {
      const db = ctx.db;
      const count = ctx.count.bind(ctx);
      const [users, groups, roles, policies, policyVersions, policyVersionsInUse, attachedPolicies, rootAccessKeys, loginProfiles] = await Promise.all([
        countEntities(ctx, accountId, 'users'),
        countEntities(ctx, accountId, 'groups'),
        countEntities(ctx, accountId, 'roles'),
        countEntities(ctx, accountId, 'managed_policies'),
        count(db.selectFrom('policy_versions').innerJoin('managed_policies', 'managed_policies.id', 'policy_versions.policy_id')
          .select((eb) => eb.fn.countAll().as('n')).where('managed_policies.account_id', '=', accountId)),
        count(db.selectFrom('policy_versions').select((eb) => eb.fn.countAll().as('n'))
          .where('policy_id', 'in', db.selectFrom('policy_attachments').select('policy_id').where('account_id', '=', accountId).where('policy_id', 'is not', null))),
        count(db.selectFrom('policy_attachments').select((eb) => eb.fn.count('policy_arn').distinct().as('n')).where('account_id', '=', accountId)),
        count(db.selectFrom('access_keys').select((eb) => eb.fn.countAll().as('n')).where('account_id', '=', accountId).where('owner_kind', '=', 'root')),
        count(db.selectFrom('login_profiles').select((eb) => eb.fn.countAll().as('n')).where('account_id', '=', accountId)),
      ]);
      return { users, groups, roles, policies, policyVersions, policyVersionsInUse, attachedPolicies, rootAccessKeys, loginProfiles };
    },
  };
}

const ENTITY_KIND_TABLE = { users: 'users', groups: 'groups', roles: 'roles', policies: 'managed_policies' } as const;

/**
 * How many rows of `table` the account has, from the count the triggers of migration 0021 keep
 * with every insert and delete (no row yet: none ever). One primary-key read at any size.
 *
 * @internal
 */
export async function countEntities(ctx: SqlContext, accountId: string, table: Database['account_entity_counts']['kind']): Promise<number> {
  const row = await ctx.db.selectFrom('account_entity_counts').select('count')
    .where('account_id', '=', accountId).where('kind', '=', table).executeTakeFirst();
  return row ? Number(row.count) : 0;
}

function toAccount(r: Database['accounts']): AccountRow {
  return {
    id: r.id,
    createDate: date(r.create_date),
    ...(r.password_policy !== null ? { passwordPolicyJson: r.password_policy } : {}),
    settingsJson: r.settings,
  };
}
