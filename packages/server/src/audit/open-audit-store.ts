/**
 * Opens the server's store for the audit trail commands (`castellan trail verify|export`), which
 * run beside or without the server. They read and delete audit rows only and never open a sealed
 * secret, so the store is given a throwaway key instead of the master key.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { SecretBox } from '../crypto/secret-box.js';
import { createStore } from '../store/create-store.js';
import type { Store } from '../store/store.js';

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

/** Opens the store at `location` for audit reads, exports and retention deletes. */
export async function openAuditStore(location: AuditStoreLocation): Promise<Store> {
  const secretBox = new SecretBox(randomBytes(32));
  if (location.databaseUrl) {
    return createStore({ kind: 'postgres', url: location.databaseUrl, maxConnections: 2, ...(location.schema ? { schema: location.schema } : {}) }, { secretBox });
  }
  return createStore({ kind: 'sqlite', filename: join(location.dataDir, SQLITE_DATABASE_FILE) }, { secretBox });
}
