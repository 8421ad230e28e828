/**
 * Opens a deployment's store for `castellan account create|list`, which run beside or without the
 * server against its data folder (SQLite) or database (PostgreSQL), as the trail commands do. The
 * new root secret is sealed with the deployment's master key (`CASTELLAN_MASTER_KEY`, or
 * `<data-dir>/master.key`), so the key must already exist: a new one would seal a secret the server
 * cannot open. The running server authenticates a new account's key on its next request: keys are
 * read from the store, not cached.
 *
 * @module
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CryptoIds } from '../../domain/ids.js';
import { MASTER_KEY_FILE, loadOrCreateMasterKey } from '../../crypto/master-key.js';
import { SecretBox } from '../../crypto/secret-box.js';
import { createStore } from '../../store/create-store.js';
import type { Store } from '../../store/store.js';
import { missingDatabaseProblem, SQLITE_DATABASE_FILE } from '../../store/existing-database.js';
import { assertMasterKey, WrongMasterKeyError } from '../../store/master-key-check.js';
import type { WorkloadRegistrationRow } from '../../store/store.js';
import { registerWorkload, type RegisteredWorkload } from '../workloads/workload-registrations.js';
import type { AuditLog } from '../../domain/ports/audit-log.js';
import { setRootPassword } from './root-password.js';
import { deactivateRootMfa, finishRootMfa, startRootMfa, type RootMfaEnrolment } from './root-mfa.js';
import { createRootAccessKey, type NewRootAccessKey } from './root-access-key.js';
import { AccountAdminError, createHostedAccount, listHostedAccounts, type CreatedAccount, type HostedAccount } from './hosted-accounts.js';


/** Where the deployment's store is. */
export interface AccountAdminLocation {
  /** The data folder (SQLite database, master key file). */
  dataDir: string;
  /** `postgres://…` selects PostgreSQL. */
  databaseUrl?: string;
  /** PostgreSQL schema. Default is `public`. */
  schema?: string;
}

/** Account administration over one open store. */
export interface AccountAdmin {
  createAccount(input: { accountId?: string | undefined; now: Date }): Promise<CreatedAccount>;
  listAccounts(): Promise<HostedAccount[]>;
  /** `castellan workload register`: NoSuchEntity if the profile does not exist in the account. */
  registerWorkload(input: { accountId: string; instanceProfileName: string; now: Date }): Promise<RegisteredWorkload>;
  listWorkloads(): Promise<WorkloadRegistrationRow[]>;
  /** `false` if unknown or already revoked. */
  revokeWorkload(id: string, now: Date): Promise<boolean>;
  /** `castellan root set-password`: checks the password policy and stores the hash, recorded as `PasswordUpdated`; returns the account id. Needs the admin's audit log. */
  setRootPassword(input: { accountId?: string | undefined; password: string; now: Date }): Promise<string>;
  /** `castellan root enable-mfa`, first step: root's new virtual device and its seed (see `root-mfa.ts`). Needs the admin's audit log. */
  startRootMfa(input: { accountId?: string | undefined; now: Date }): Promise<RootMfaEnrolment>;
  /** Second step: enables the device with two consecutive codes. */
  finishRootMfa(input: { accountId: string; serialNumber: string; authenticationCode1: string; authenticationCode2: string; now: Date }): Promise<void>;
  /** `castellan root deactivate-mfa`: deactivates and deletes root's devices. */
  deactivateRootMfa(input: { accountId?: string | undefined; now: Date }): Promise<{ accountId: string; serialNumbers: string[] }>;
  /** `castellan root create-access-key`: a new Active root key, its secret answered once (see `root-access-key.ts`). */
  createRootAccessKey(input: { accountId?: string | undefined; now: Date }): Promise<NewRootAccessKey>;
  close(): Promise<void>;
}

/**
 * The trail the admin's mutations are recorded in (root's password, MFA and access keys), built by the caller over the
 * opened store (the audit layer is above services): `castellan` passes a `StoreAuditLog`.
 */
export type AdminAuditLog = AuditLog<Store> & { close(): Promise<void> };

/** Options of {@link openAccountAdmin}. */
export interface AccountAdminOptions {
  auditLog?: (store: Store) => AdminAuditLog;
  /** The `userAgent` of the admin's recorded calls. Default `castellan-cli`. */
  userAgent?: string;
}

/** Opens the store at `location`; throws `AccountAdminError` when there is no deployment there. */
export async function openAccountAdmin(location: AccountAdminLocation, env: Record<string, string | undefined>, options: AccountAdminOptions = {}): Promise<AccountAdmin> {
  const hasEnvKey = (env['CASTELLAN_MASTER_KEY'] ?? '').trim() !== '';
  if (!hasEnvKey && !existsSync(join(location.dataDir, MASTER_KEY_FILE))) {
    throw new AccountAdminError(`no master key: set CASTELLAN_MASTER_KEY or give the server's --data-dir (\`${join(location.dataDir, MASTER_KEY_FILE)}\` is missing)`);
  }
  // Only `castellan serve` creates a database: opening a store would create (migrate) one here.
  const missing = await missingDatabaseProblem(location);
  if (missing !== undefined) throw new AccountAdminError(missing);
  const { key } = await loadOrCreateMasterKey(location.dataDir, env);
  const secretBox = new SecretBox(key);
  const store: Store = location.databaseUrl
    ? await createStore({ kind: 'postgres', url: location.databaseUrl, maxConnections: 2, ...(location.schema ? { schema: location.schema } : {}) }, { secretBox })
    : await createStore({ kind: 'sqlite', filename: join(location.dataDir, SQLITE_DATABASE_FILE), blockingBusyWaits: true }, { secretBox });
  // A secret sealed with another key could never be opened by the server (see store/master-key-check.ts).
  try {
    await assertMasterKey(store, key, { writeIfMissing: false });
  } catch (err) {
    await store.close();
    if (err instanceof WrongMasterKeyError) throw new AccountAdminError(err.message);
    throw err;
  }
  const ids = new CryptoIds();
  const audit = options.auditLog?.(store);
  const rootDeps = () => {
    if (!audit) throw new AccountAdminError("root's password, MFA and access keys are changed only with a record in the trail: open the admin with an audit log");
    return { store, ids, audit, userAgent: options.userAgent ?? 'castellan-cli' };
  };
  return {
    createAccount: (input) => createHostedAccount({ store, ids }, input),
    listAccounts: () => listHostedAccounts(store),
    registerWorkload: (input) => registerWorkload({ store, ids }, input),
    listWorkloads: () => store.listWorkloadRegistrations(),
    revokeWorkload: (id, now) => store.revokeWorkloadRegistration(id, now),
    setRootPassword: (input) => setRootPassword(rootDeps(), input),
    startRootMfa: (input) => startRootMfa(rootDeps(), input),
    finishRootMfa: (input) => finishRootMfa(rootDeps(), input),
    deactivateRootMfa: (input) => deactivateRootMfa(rootDeps(), input),
    createRootAccessKey: (input) => createRootAccessKey(rootDeps(), input),
    close: async () => {
      try {
        await audit?.close();
      } finally {
        await store.close();
      }
    },
  };
}
