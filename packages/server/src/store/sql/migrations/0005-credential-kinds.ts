import type { Kysely, Migration } from 'kysely';

/**
 * The other credential kinds IAM has: SSH public keys, signing certificates, server certificates
 * (with their tags) and service-specific credentials.
 *
 * As in the initial schema, references to users have no ON DELETE action, so a user that still
 * has any of these cannot be deleted (AWS's DeleteConflict); tags go with their certificate.
 * Secrets are never stored in the clear: a server certificate's private key is sealed with the
 * store's SecretBox and a service-specific password is an argon2id hash.
 */
export const credentialKindsMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.createTable('ssh_public_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('fingerprint', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('upload_date', 'bigint', (c) => c.notNull())
      .execute();
    // The same key twice for one user is AWS's DuplicateSSHPublicKey.
    await db.schema.createIndex('ssh_public_keys_user_fingerprint_uq').on('ssh_public_keys').columns(['user_id', 'fingerprint']).unique().execute();

    await db.schema.createTable('signing_certificates')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('owner_kind', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.references('users.id'))
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('fingerprint', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('upload_date', 'bigint', (c) => c.notNull())
      .execute();
    // A certificate may belong to one owner of the account only (AWS's DuplicateCertificate).
    await db.schema.createIndex('signing_certificates_account_fingerprint_uq').on('signing_certificates').columns(['account_id', 'fingerprint']).unique().execute();
    await db.schema.createIndex('signing_certificates_user_idx').on('signing_certificates').columns(['user_id']).execute();

    await db.schema.createTable('server_certificates')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('name_lower', 'text', (c) => c.notNull())
      .addColumn('path', 'text', (c) => c.notNull())
      .addColumn('arn', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('chain', 'text')
      .addColumn('private_key_sealed', 'text', (c) => c.notNull())
      .addColumn('expiration', 'bigint', (c) => c.notNull())
      .addColumn('upload_date', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('server_certificates_account_name_uq').on('server_certificates').columns(['account_id', 'name_lower']).unique().execute();

    await db.schema.alterTable('tags')
      .addColumn('server_certificate_id', 'text', (c) => c.references('server_certificates.id').onDelete('cascade'))
      .execute();
    await db.schema.createIndex('tags_server_certificate_id_idx').on('tags').columns(['server_certificate_id']).execute();

    await db.schema.createTable('service_specific_credentials')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('service_name', 'text', (c) => c.notNull())
      .addColumn('service_user_name', 'text', (c) => c.notNull())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('create_date', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('service_specific_credentials_user_idx').on('service_specific_credentials').columns(['user_id', 'service_name']).execute();
  },
};
