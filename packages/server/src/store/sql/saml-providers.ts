import { StoreLimitError, StoreReferenceError } from '../store-errors.js';
import type { SamlProviderRow, SamlProviderStore } from '../store.js';
import { date, ms } from './columns.js';
import type { Database } from './schema.js';
import type { SqlContext } from './sql-context.js';

/** `SamlProviderStore` on SQL: the ARN is the primary key, the name unique per account. @internal */
export function sqlSamlProviderStore(ctx: SqlContext): SamlProviderStore {
  const select = (accountId: string, arn: string) =>
    ctx.db.selectFrom('saml_providers').selectAll().where('account_id', '=', accountId).where('id', '=', arn).executeTakeFirst();
  return {
    createSamlProvider: (input, options = {}) => ctx.atomic(async (tx) => {
      const max = options.maxPerAccount ?? 100;
      if (!(await tx.lockRow('accounts', input.accountId))) throw new StoreReferenceError('saml_providers.account_id');
      const n = await tx.count(tx.db.selectFrom('saml_providers').select((eb) => eb.fn.countAll().as('n')).where('account_id', '=', input.accountId));
      if (n >= max) throw new StoreLimitError('samlProvidersPerAccount', max);
      const row: Database['saml_providers'] = {
        id: input.arn,
        account_id: input.accountId,
        name: input.name,
        metadata_document: input.metadataDocument,
        create_date: ms(input.createDate),
        valid_until: input.validUntil ? ms(input.validUntil) : null,
      };
      await tx.db.insertInto('saml_providers').values(row).execute();
      return toSamlProvider(row);
    }),
    async getSamlProvider(accountId, arn) {
      const row = await select(accountId, arn);
      return row && toSamlProvider(row);
    },
    async listSamlProviders(accountId) {
      const rows = await ctx.db.selectFrom('saml_providers').selectAll().where('account_id', '=', accountId).orderBy('id').execute();
      return rows.map(toSamlProvider);
    },
    async updateSamlProvider(accountId, arn, patch) {
      await ctx.db.updateTable('saml_providers')
        .set({ metadata_document: patch.metadataDocument, valid_until: patch.validUntil ? ms(patch.validUntil) : null })
        .where('account_id', '=', accountId).where('id', '=', arn).execute();
      const row = await select(accountId, arn);
      return row && toSamlProvider(row);
    },
    async deleteSamlProvider(accountId, arn) {
      return (await ctx.db.deleteFrom('saml_providers').where('account_id', '=', accountId).where('id', '=', arn).executeTakeFirst()).numDeletedRows > 0n;
    },
    countSamlProviders: (accountId) =>
      ctx.count(ctx.db.selectFrom('saml_providers').select((eb) => eb.fn.countAll().as('n')).where('account_id', '=', accountId)),
    consumeSamlAssertion: (key, expiresAt, now) => ctx.atomic(async (tx) => {
      // Forget what has expired (this key's old use included), then insert: the primary key makes
      // the insert the one decision, whatever the number of nodes. `ON CONFLICT DO NOTHING`, not a
      // caught violation, as a violation would doom a PostgreSQL transaction.
      await tx.db.deleteFrom('saml_assertions').where('expires_at', '<=', ms(now)).execute();
      const inserted = await tx.db.insertInto('saml_assertions').values({ key, expires_at: ms(expiresAt) }).onConflict((oc) => oc.column('key').doNothing()).returning('key').executeTakeFirst();
      return inserted !== undefined;
    }),
    async samlAssertionUsed(key, now) {
      const row = await ctx.db.selectFrom('saml_assertions').select('key').where('key', '=', key).where('expires_at', '>', ms(now)).executeTakeFirst();
      return row !== undefined;
    },
  };
}

function toSamlProvider(r: Database['saml_providers']): SamlProviderRow {
  return {
    accountId: r.account_id,
    arn: r.id,
    name: r.name,
    metadataDocument: r.metadata_document,
    createDate: date(r.create_date),
    ...(r.valid_until !== null ? { validUntil: date(r.valid_until) } : {}),
  };
}
