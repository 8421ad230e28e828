/**
 * Opens the server's store for the audit trail commands (`castellan trail verify|export`), which
 * run beside or without the server. They read and delete audit rows only and never open a sealed
 * secret, but the audit hash chain is keyed with a key derived from the master key, so verifying it
 * needs the server's master key: `CASTELLAN_MASTER_KEY`, else the data folder's `master.key`.
 *
 * The store must already exist: opening creates and migrates a missing one, and a verification of
 * a mistyped `--data-dir` or schema would then report an empty, untouched trail.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadOrCreateMasterKey, MASTER_KEY_FILE, parseMasterKey } from '../crypto/master-key.js';
import { SecretBox } from '../crypto/secret-box.js';
import { createStore } from '../store/create-store.js';
import type { Store } from '../store/store.js';
import { missingDatabaseProblem } from '../store/existing-database.js';
import { assertMasterKey } from '../store/master-key-check.js';

/** The SQLite database file inside the data folder (the server's default store). */
export const SQLITE_DATABASE_FILE = 'castellan.db';

/** The export folder inside the data folder, unless another is given. */
export const DEFAULT_EXPORT_DIR = 'trail';

/** Where the store is. */
export interface AuditStoreLocation {
  /** The data folder: `castellan.db` lives there unless `databaseUrl` is given. */
  dataDir: string;
  /** `postgres://…` selects PostgreSQL. */
  databaseUrl?: string;
  /** PostgreSQL schema. Default is `public`. */
  schema?: string;
}

/**
 * Opens the store at `location` for audit reads, exports and retention deletes. Throws when there
 * is no Castellan database there, or no master key, unless `create` is set (tests that seed a fresh
 * store; the data folder's key file is then created as the server would).
 */
export async function openAuditStore(
  location: AuditStoreLocation,
  opts: { create?: boolean; env?: Record<string, string | undefined> } = {},
): Promise<Store> {
  if (!opts.create) await assertStoreExists(location);
  const masterKey = await masterKeyOf(location, opts.create ?? false, opts.env ?? process.env);
  const secretBox = new SecretBox(masterKey);
  const store = location.databaseUrl
    ? await createStore({ kind: 'postgres', url: location.databaseUrl, maxConnections: 2, ...(location.schema ? { schema: location.schema } : {}) }, { secretBox })
    : await createStore({ kind: 'sqlite', filename: join(location.dataDir, SQLITE_DATABASE_FILE), blockingBusyWaits: true }, { secretBox });
  // Another key would read every chained record as modified: say it is the key.
  try {
    await assertMasterKey(store, masterKey, { writeIfMissing: false });
  } catch (err) {
    await store.close();
    throw err;
  }
  return store;
}

/** The server's master key, as the server finds it: the environment first, then the data folder. */
async function masterKeyOf(location: AuditStoreLocation, create: boolean, env: Record<string, string | undefined>): Promise<Buffer> {
  if (create) return (await loadOrCreateMasterKey(location.dataDir, env)).key;
  const fromEnv = env['CASTELLAN_MASTER_KEY'];
  if (fromEnv !== undefined && fromEnv.trim() !== '') return parseMasterKey(fromEnv, 'CASTELLAN_MASTER_KEY');
  const file = join(location.dataDir, MASTER_KEY_FILE);
  if (!existsSync(file)) {
    throw new Error(`no master key: the audit chain is keyed with the server's master key; set CASTELLAN_MASTER_KEY or give the server's --data-dir (\`${MASTER_KEY_FILE}\` is missing in \`${location.dataDir}\`)`);
  }
  return parseMasterKey(await readFile(file, 'utf8'), file);
}

/** Throws with a sentence naming what is missing when `location` holds no Castellan database. */
async function assertStoreExists(location: AuditStoreLocation): Promise<void> {
  const problem = await missingDatabaseProblem(location);
  if (problem !== undefined) throw new Error(problem);
}
