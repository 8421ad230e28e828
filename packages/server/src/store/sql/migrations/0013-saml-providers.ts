import type { Kysely, Migration } from 'kysely';

/**
 * IAM SAML providers and their tags, and the SAML assertions already exchanged for credentials.
 * A provider's ARN is its id and its name is unique per account. `saml_assertions` holds one row
 * per used assertion (the key is a hash of the provider ARN and the assertion's ID) until the
 * assertion expires, so a replay is refused on every node sharing the database.
 */
export const samlProvidersMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.createTable('saml_providers')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('metadata_document', 'text', (c) => c.notNull())
      .addColumn('create_date', 'bigint', (c) => c.notNull())
      .addColumn('valid_until', 'bigint')
      .execute();
    await db.schema.createIndex('saml_providers_account_name_uq').on('saml_providers').columns(['account_id', 'name']).unique().execute();
    await db.schema.alterTable('tags')
      .addColumn('saml_provider_id', 'text', (c) => c.references('saml_providers.id').onDelete('cascade'))
      .execute();
    await db.schema.createIndex('tags_saml_provider_id_idx').on('tags').columns(['saml_provider_id']).execute();
    await db.schema.createTable('saml_assertions')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('saml_assertions_expires_at_idx').on('saml_assertions').columns(['expires_at']).execute();
  },
};
