import { sql, type Kysely } from 'kysely';
import type { SecretBox } from '../../crypto/secret-box.js';
import type { AggregateStores, LockTarget, Store } from '../store.js';
import { sqlAccessKeyStore } from './access-keys.js';
import { sqlAccountStore } from './accounts.js';
import { sqlAuditStore } from './audit-events.js';
import { sqlGroupStore } from './groups.js';
import { sqlInlinePolicyStore } from './inline-policies.js';
import { sqlInstanceProfileStore } from './instance-profiles.js';
import { sqlLoginProfileStore } from './login-profiles.js';
import { sqlManagedPolicyStore } from './managed-policies.js';
import { sqlMetaStore } from './meta.js';
import { sqlMfaDeviceStore } from './mfa-devices.js';
import { sqlPolicyAttachmentStore } from './policy-attachments.js';
import { sqlRoleStore } from './roles.js';
import { sqlServiceLinkedRoleStore } from './service-linked-roles.js';
import type { DirectReader } from './prepared-reads.js';
import type { Database } from './schema.js';
import { SqlContext, type LockableTable, type SqlDialectHooks } from './sql-context.js';
import { sqlTagStore } from './tags.js';
import { sqlUserStore } from './users.js';
import { sqlServerCertificateStore } from './server-certificates.js';
import { sqlOidcProviderStore } from './oidc-providers.js';
import { sqlSamlProviderStore } from './saml-providers.js';
import { sqlServiceSpecificCredentialStore } from './service-specific-credentials.js';
import { sqlSigningCertificateStore } from './signing-certificates.js';
import { sqlSshPublicKeyStore } from './ssh-public-keys.js';
import { sqlCredentialReportStore } from './credential-reports.js';
import { sqlWorkloadRegistrationStore } from './workload-registrations.js';
import { sqlLeaseStore } from './leases.js';
import { sqlAccessActivityStore } from './access-activity.js';
import { sqlConsoleGuardStore } from './console-guards.js';
import { sqlSecurityKeyStore } from './security-keys.js';

/** Everything `SqlStore` needs. @internal */
export interface SqlStoreConfig {
  db: Kysely<Database>;
  hooks: SqlDialectHooks;
  /** Encrypts secret access keys before they reach the database. */
  secretBox: SecretBox;
  /** The dialect's fast path for prepared reads outside transactions (`prepared-reads.ts`). */
  direct?: DirectReader;
}

const LOCK_TABLE: Record<LockTarget['kind'], LockableTable> = {
  account: 'accounts', user: 'users', group: 'groups', role: 'roles', policy: 'managed_policies', instanceProfile: 'instance_profiles', oidcProvider: 'oidc_providers', samlProvider: 'saml_providers',
};

/** Every aggregate's SQL over one context (the pool's, or one transaction's). */
function aggregates(ctx: SqlContext): AggregateStores {
  return {
    ...sqlAccountStore(ctx),
    ...sqlMetaStore(ctx),
    ...sqlUserStore(ctx),
    ...sqlGroupStore(ctx),
    ...sqlRoleStore(ctx),
    ...sqlManagedPolicyStore(ctx),
    ...sqlPolicyAttachmentStore(ctx),
    ...sqlInlinePolicyStore(ctx),
    ...sqlTagStore(ctx),
    ...sqlAccessKeyStore(ctx),
    ...sqlLoginProfileStore(ctx),
    ...sqlMfaDeviceStore(ctx),
    ...sqlSshPublicKeyStore(ctx),
    ...sqlSigningCertificateStore(ctx),
    ...sqlServerCertificateStore(ctx),
    ...sqlServiceSpecificCredentialStore(ctx),
    ...sqlCredentialReportStore(ctx),
    ...sqlWorkloadRegistrationStore(ctx),
    ...sqlLeaseStore(ctx),
    ...sqlAccessActivityStore(ctx),
    ...sqlAuditStore(ctx),
    ...sqlInstanceProfileStore(ctx),
    ...sqlServiceLinkedRoleStore(ctx),
    ...sqlOidcProviderStore(ctx),
    ...sqlSamlProviderStore(ctx),
    ...sqlConsoleGuardStore(ctx),
    ...sqlSecurityKeyStore(ctx),
  };
}

// The aggregates' methods are own properties assigned in the constructor (see `aggregates`); this
// declaration tells the compiler the class has them.
export interface SqlStore extends AggregateStores {}

/**
 * The one `Store` implementation, on Kysely, shared by SQLite and PostgreSQL: one module per
 * aggregate (`users.ts`, `groups.ts`, … `audit-events.ts`) over a shared `SqlContext`, composed
 * here with transactions, locks and `close`. Dialects construct it with their `Kysely` instance
 * (whose driver already translates errors) and their hooks.
 *
 * @internal
 */
export class SqlStore implements Store {
  readonly dialect: 'sqlite' | 'postgres';
  readonly #ctx: SqlContext;
  #closed = false;

  constructor(config: SqlStoreConfig | SqlContext) {
    this.#ctx = config instanceof SqlContext ? config : new SqlContext(config.db, config.hooks, config.secretBox, false, undefined, config.direct);
    this.dialect = this.#ctx.hooks.dialect;
    Object.assign(this, aggregates(this.#ctx));
  }

  async transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    if (this.#ctx.inTransaction) return fn(this);
    return this.#ctx.db.transaction().execute((trx) => fn(new SqlStore(this.#ctx.withTransaction(trx))));
  }

  async lockForUpdate(target: LockTarget): Promise<boolean> {
    if (!this.#ctx.inTransaction) throw new Error('lockForUpdate() needs a transaction: call it on the `tx` of store.transaction()');
    return this.#ctx.lockRow(LOCK_TABLE[target.kind], target.id);
  }

  async close(): Promise<void> {
    if (this.#ctx.inTransaction || this.#closed) return;
    this.#closed = true;
    // Queue behind work already waiting for a connection (SQLite's single connection is handed
    // out in turn), so a transaction in flight at shutdown commits instead of being cut off.
    await sql`select 1`.execute(this.#ctx.db).catch(() => undefined);
    await this.#ctx.db.destroy();
  }
}
