/**
 * Opens the server's store for the audit trail commands (`castellan trail verify|export`), which
 * run beside or without the server. They read and delete audit rows only and never open a sealed
 * secret, so the store is given a throwaway key instead of the master key.
 *
 * The store must already exist: opening creates and migrates a missing one, and a verification of
 * a mistyped `--data-dir` or schema would then report an empty, untouched trail.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
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

/**
 * Opens the store at `location` for audit reads, exports and retention deletes. Throws when there
 * is no Castellan database there, unless `create` is set (tests that seed a fresh store).
 */
export async function openAuditStore(location: AuditStoreLocation, opts: { create?: boolean } = {}): Promise<Store> {
  const secretBox = new SecretBox(randomBytes(32));
  if (!opts.create) await assertStoreExists(location);
  if (location.databaseUrl) {
    return createStore({ kind: 'postgres', url: location.databaseUrl, maxConnections: 2, ...(location.schema ? { schema: location.schema } : {}) }, { secretBox });
  }
  return createStore({ kind: 'sqlite', filename: join(location.dataDir, SQLITE_DATABASE_FILE) }, { secretBox });
}

/** Throws with a sentence naming what is missing when `location` holds no Castellan database. */
async function assertStoreExists(location: AuditStoreLocation): Promise<void> {
  if (!location.databaseUrl) {
    const file = join(location.dataDir, SQLITE_DATABASE_FILE);
    if (!existsSync(file)) {
      throw new Error(`no Castellan database in \`${location.dataDir}\` (\`${SQLITE_DATABASE_FILE}\` is missing): give the server's --data-dir, or --database-url for PostgreSQL`);
    }
    return;
  }
  const url = new URL(location.databaseUrl);
  const schema = location.schema ?? url.searchParams.get('schema') ?? 'public';
  url.searchParams.delete('schema');
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const { rows } = await client.query<{ found: string | null }>('select to_regclass($1) as found', [`"${schema.replace(/"/g, '""')}".audit_events`]);
    if (!rows[0]?.found) throw new Error(`no Castellan database in PostgreSQL schema \`${schema}\` (it has no audit_events table): check --database-url and --schema`);
  } finally {
    await client.end();
  }
}
