import type { Kysely, Migration } from 'kysely';

/**
 * IAM OpenID Connect providers and their tags. The provider's ARN is its id (AWS names a provider
 * by ARN only); the URL (without `https://`) is unique per account. Client ids and thumbprints
 * are small JSON arrays (at most 100 and 5), read and written whole.
 */
export const oidcProvidersMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.createTable('oidc_providers')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('client_ids', 'text', (c) => c.notNull())
      .addColumn('thumbprints', 'text', (c) => c.notNull())
      .addColumn('create_date', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('oidc_providers_account_url_uq').on('oidc_providers').columns(['account_id', 'url']).unique().execute();
    await db.schema.alterTable('tags')
      .addColumn('oidc_provider_id', 'text', (c) => c.references('oidc_providers.id').onDelete('cascade'))
      .execute();
    await db.schema.createIndex('tags_oidc_provider_id_idx').on('tags').columns(['oidc_provider_id']).execute();
  },
};
