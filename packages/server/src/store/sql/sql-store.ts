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
import { retryRefusedBegin, type BeginRetry } from './begin-retry.js';
import { GroupCommitter } from './group-commit.js';
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
import { sqlAccountTrailStore } from './account-trails.js';
import { sqlAccessActivityStore } from './access-activity.js';
import { sqlConsoleGuardStore } from './console-guards.js';
import { sqlSecurityKeyStore } from './security-keys.js';

/** Everything `SqlStore` needs. @internal */
export interface SqlStoreConfig {
  db: Kysely<Database>;
  hooks: SqlDialectHooks;
  /** Encrypts secret access keys before they reach the database. */
  secretBox: SecretBox;
  /** Transactions ready together share one commit (`group-commit.ts`): for a single-connection database. */
  groupCommits?: boolean;
  /** The dialect's fast path for prepared reads outside transactions (`prepared-reads.ts`). */
  direct?: DirectReader;
}

const LOCK_TABLE: Record<LockTarget['kind'], LockableTable> = {
  account: 'accounts', user: 'users', group: 'groups', role: 'roles', policy: 'managed_policies', instanceProfile: 'instance_profiles', oidcProvider: 'oidc_providers', samlProvider: 'saml_providers',
};

/** Every aggregate's SQL, one factory per aggregate, each over a context (the pool's, or one transaction's). */
const AGGREGATES = [
  sqlAccountStore, sqlMetaStore, sqlUserStore, sqlGroupStore, sqlRoleStore, sqlManagedPolicyStore, sqlPolicyAttachmentStore,
  sqlInlinePolicyStore, sqlTagStore, sqlAccessKeyStore, sqlLoginProfileStore, sqlMfaDeviceStore, sqlSshPublicKeyStore,
  sqlSigningCertificateStore, sqlServerCertificateStore, sqlServiceSpecificCredentialStore, sqlCredentialReportStore,
  sqlWorkloadRegistrationStore, sqlLeaseStore, sqlAccountTrailStore, sqlAccessActivityStore, sqlAuditStore, sqlInstanceProfileStore,
  sqlServiceLinkedRoleStore, sqlOidcProviderStore, sqlSamlProviderStore, sqlConsoleGuardStore, sqlSecurityKeyStore,
] as const;

/** All of a union's members at once: what the factories build together, which must be the whole `AggregateStores`. */
type Intersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/** Every aggregate's methods over `ctx`, as one object (a later aggregate's method of the same name wins). */
function aggregates(ctx: SqlContext): AggregateStores {
  return Object.assign({}, ...AGGREGATES.map((make) => make(ctx))) as Intersection<ReturnType<(typeof AGGREGATES)[number]>>;
}

/**
 * Whether a store method only reads, by its name: `get…`, `list…`, `lookup…`, `scan…`, and the
 * few reads named otherwise. Any other method is a write (`countSignInFailure` counts a failure).
 * A write taken for a read would fail at once on a lock; a read taken for a write would only
 * wait for the lock it did not need: unknown names are writes.
 *
 * @internal
 */
export function isReadMethod(name: string): boolean {
  return /^(get|list|lookup|scan)[A-Z]/.test(name) || READS_NAMED_OTHERWISE.has(name);
}

const READS_NAMED_OTHERWISE: ReadonlySet<string> = new Set([
  'countAccountEntities', 'countInstanceProfiles', 'countMfaDevices', 'countOidcProviders', 'countSamlProviders',
  'countSecurityKeys', 'countServerCertificates', 'hasConsoleGuard', 'samlAssertionUsed', 'auditChainHash',
]);

/**
 * Writes outside a transaction that wait for another process's lock on paths of their own: the
 * audit log's batches (the audit worker, or `batched-append.ts`) and last-used data (`RelaxedCommits`),
 * both retried whole on the same timer by the SQLite store.
 *
 * @internal
 */
export const WRITES_WAITING_ON_THEIR_OWN: ReadonlySet<string> = new Set(['appendAuditEvents', 'recordAccessKeyUse', 'recordActionUse']);

/**
 * Makes `store`'s own methods (outside any transaction) wait for another process's lock as its
 * transactions do (SQLite's `beginRetry`; `readRetry` for reads):
 * - a write runs as a transaction of its own (`store.transaction`, a `BEGIN IMMEDIATE` whose
 *   refusal is begun again on the timer), so a single statement refused by the lock is never the
 *   end of it and a write of several statements never stops halfway (some writes already were
 *   their own transactions, `SqlContext.write` and `atomic`: they now join this one);
 * - a read refused by the lock (SQLite's `SQLITE_BUSY_RECOVERY` while another connection recovers
 *   the WAL index after a process crashed while writing it) is run again on the same timer: it
 *   changed nothing, and in WAL mode nothing else refuses a read while the server's connection is open.
 * Except {@link WRITES_WAITING_ON_THEIR_OWN}.
 */
function waitingForLocks(store: SqlStore, methods: Record<string, unknown>, readRetry: BeginRetry | undefined): void {
  const target = store as unknown as Record<string, unknown>;
  for (const [name, method] of Object.entries(methods)) {
    if (typeof method !== 'function' || WRITES_WAITING_ON_THEIR_OWN.has(name)) continue;
    const run = method as (...args: unknown[]) => unknown;
    if (!isReadMethod(name)) {
      target[name] = (...args: unknown[]) => store.transaction((tx) => (tx as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[name]!(...args));
    } else if (readRetry) {
      target[name] = (...args: unknown[]) => {
        const result = run(...args);
        // Only a refusal costs anything: the first attempt is the plain read.
        return result instanceof Promise
          ? result.catch((error: unknown) => (readRetry.refusedByLock(error) ? retryRefusedBegin(readRetry, () => run(...args) as Promise<unknown>) : Promise.reject(error)))
          : result;
      };
    }
  }
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
  readonly #groups: GroupCommitter<Store> | undefined;
  #closed = false;

  constructor(config: SqlStoreConfig | SqlContext, { eager = true } = {}) {
    this.#ctx = config instanceof SqlContext ? config : new SqlContext(config.db, config.hooks, config.secretBox, false, undefined, config.direct);
    this.dialect = this.#ctx.hooks.dialect;
    const methods = eager ? aggregates(this.#ctx) : undefined;
    if (methods) Object.assign(this, methods);
    const ctx = this.#ctx;
    if (!(config instanceof SqlContext) && config.groupCommits) this.#groups = new GroupCommitter<Store>(ctx.db, (trx) => transactionStore(ctx.withTransaction(trx)), ctx.hooks.beginRetry);
    // The store's own methods, outside any transaction, wait for another process's lock where the dialect does.
    if (methods && !ctx.inTransaction && ctx.hooks.beginRetry) waitingForLocks(this, methods as unknown as Record<string, unknown>, ctx.hooks.readRetry);
  }

  async transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    if (this.#ctx.inTransaction) return fn(this);
    if (this.#groups) return this.#groups.run(fn);
    return retryRefusedBegin(this.#ctx.hooks.beginRetry, () => this.#ctx.db.transaction().execute((trx) => fn(transactionStore(this.#ctx.withTransaction(trx)))));
  }

  async lockForUpdate(target: LockTarget): Promise<boolean> {
    if (!this.#ctx.inTransaction) throw new Error('lockForUpdate() needs a transaction: call it on the `tx` of store.transaction()');
    return this.#ctx.lockRow(LOCK_TABLE[target.kind], target.id);
  }

  async notifyOnCommit(channel: string, payload: string): Promise<void> {
    if (!this.#ctx.inTransaction) throw new Error('notifyOnCommit() needs a transaction: call it on the `tx` of store.transaction()');
    const notify = this.#ctx.hooks.notifyOnCommit;
    if (!notify) throw new Error(`notifyOnCommit(): ${this.dialect} has no notifications`);
    await notify(this.#ctx.db, channel, payload);
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

/**
 * The store of one transaction. Building every aggregate's closures (hundreds of methods) for each
 * transaction was a sixth of a mutation's CPU time (bench/api/profile.js TagUser), while a
 * transaction uses two or three aggregates: here each aggregate is built on first use, through
 * getters on the class's prototype that know which aggregate each method belongs to.
 */
class TransactionSqlStore extends SqlStore {
  static #methodsDefined = false;
  readonly #ctx: SqlContext;
  readonly #built: (Record<string, unknown> | undefined)[] = [];

  constructor(ctx: SqlContext) {
    super(ctx, { eager: false });
    this.#ctx = ctx;
    TransactionSqlStore.#defineMethods(ctx);
  }

  /** Once: a getter per aggregate method, learned from aggregates built over `ctx` (factories only create closures). */
  static #defineMethods(ctx: SqlContext): void {
    if (TransactionSqlStore.#methodsDefined) return;
    TransactionSqlStore.#methodsDefined = true;
    AGGREGATES.forEach((make: (ctx: SqlContext) => object, index) => {
      for (const name of Object.keys(make(ctx))) {
        Object.defineProperty(TransactionSqlStore.prototype, name, {
          configurable: true,
          get(this: TransactionSqlStore) {
            const aggregate = (this.#built[index] ??= make(this.#ctx) as unknown as Record<string, unknown>);
            return aggregate[name];
          },
        });
      }
    });
  }
}

function transactionStore(ctx: SqlContext): SqlStore {
  return new TransactionSqlStore(ctx);
}
