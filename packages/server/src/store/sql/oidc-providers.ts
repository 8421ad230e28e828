import { StoreLimitError, StoreReferenceError } from '../store-errors.js';
import type { OidcProviderRow, OidcProviderStore } from '../store.js';
import { date, ms } from './columns.js';
import type { Database } from './schema.js';
import type { SqlContext } from './sql-context.js';

/** `OidcProviderStore` on SQL: the ARN is the primary key, the URL unique per account. @internal */
export function sqlOidcProviderStore(ctx: SqlContext): OidcProviderStore {
  const select = (accountId: string, arn: string) =>
    ctx.db.selectFrom('oidc_providers').selectAll().where('account_id', '=', accountId).where('id', '=', arn).executeTakeFirst();
  return {
    createOidcProvider: (input, options = {}) => ctx.atomic(async (tx) => {
      const max = options.maxPerAccount ?? 100;
      if (!(await tx.lockRow('accounts', input.accountId))) throw new StoreReferenceError('oidc_providers.account_id');
      const n = await tx.count(tx.db.selectFrom('oidc_providers').select((eb) => eb.fn.countAll().as('n')).where('account_id', '=', input.accountId));
      if (n >= max) throw new StoreLimitError('oidcProvidersPerAccount', max);
      const row: Database['oidc_providers'] = {
        id: input.arn,
        account_id: input.accountId,
        url: input.url,
        client_ids: JSON.stringify(input.clientIds),
        thumbprints: JSON.stringify(input.thumbprints),
        create_date: ms(input.createDate),
      };
      await tx.db.insertInto('oidc_providers').values(row).execute();
      return toOidcProvider(row);
    }),
    async getOidcProvider(accountId, arn) {
      const row = await select(accountId, arn);
      return row && toOidcProvider(row);
    },
    async listOidcProviders(accountId) {
      const rows = await ctx.db.selectFrom('oidc_providers').selectAll().where('account_id', '=', accountId).orderBy('id').execute();
      return rows.map(toOidcProvider);
    },
    async updateOidcProvider(accountId, arn, patch) {
      await ctx.db.updateTable('oidc_providers')
        .set({
          ...(patch.clientIds ? { client_ids: JSON.stringify(patch.clientIds) } : {}),
          ...(patch.thumbprints ? { thumbprints: JSON.stringify(patch.thumbprints) } : {}),
        })
        .where('account_id', '=', accountId).where('id', '=', arn).execute();
      const row = await select(accountId, arn);
      return row && toOidcProvider(row);
    },
    async deleteOidcProvider(accountId, arn) {
      return (await ctx.db.deleteFrom('oidc_providers').where('account_id', '=', accountId).where('id', '=', arn).executeTakeFirst()).numDeletedRows > 0n;
    },
    countOidcProviders: (accountId) =>
      ctx.count(ctx.db.selectFrom('oidc_providers').select((eb) => eb.fn.countAll().as('n')).where('account_id', '=', accountId)),
  };
}

function toOidcProvider(r: Database['oidc_providers']): OidcProviderRow {
  return {
    accountId: r.account_id,
    arn: r.id,
    url: r.url,
    clientIds: JSON.parse(r.client_ids) as string[],
    thumbprints: JSON.parse(r.thumbprints) as string[],
    createDate: date(r.create_date),
  };
}
