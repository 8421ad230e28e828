import type { SecretBox } from '../crypto/secret-box.js';
import { PostgresStore } from './postgres/postgres-store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

/** Which database to use, and where. */
export type StoreConfig =
  | {
      kind: 'sqlite';
      /** The database file, or `:memory:` for `serve --ephemeral`. */
      filename: string;
      /** Default is `5000` ms. */
      busyTimeoutMs?: number;
      /** For a one-shot command: wait for another process's lock in SQLite's busy handler (`SqliteStoreOptions.blockingBusyWaits`). */
      blockingBusyWaits?: boolean;
    }
  | {
      kind: 'postgres';
      /** `postgres://…` (`CASTELLAN_DATABASE_URL`); may carry `?schema=name`. */
      url: string;
      /** Default: the URL's `schema` parameter, else `public`. */
      schema?: string;
      /** Default is `10`. */
      maxConnections?: number;
      /** Bounds every wait on the database (`PostgresStoreOptions.timeoutMs`). Default is 15 s. */
      timeoutMs?: number;
    };

/** What every store needs besides its location. */
export interface StoreDependencies {
  /** Encrypts secret access keys at rest (`crypto/secret-box.ts`). */
  secretBox: SecretBox;
  /** Receives errors of idle PostgreSQL connections (for logging). */
  onIdleError?: (error: Error) => void;
}

/**
 * Opens the configured store, creating and migrating its schema as needed. An explicit switch:
 * no dialect registers itself by import.
 *
 * @example
 * ```ts
 * const store = await createStore({ kind: 'sqlite', filename: join(dataDir, 'castellan.db') }, { secretBox });
 * ```
 */
export async function createStore(config: StoreConfig, deps: StoreDependencies): Promise<Store> {
  switch (config.kind) {
    case 'sqlite':
      return SqliteStore.open({
        filename: config.filename,
        secretBox: deps.secretBox,
        ...(config.busyTimeoutMs !== undefined ? { busyTimeoutMs: config.busyTimeoutMs } : {}),
        ...(config.blockingBusyWaits !== undefined ? { blockingBusyWaits: config.blockingBusyWaits } : {}),
      });
    case 'postgres':
      return PostgresStore.open({
        url: config.url,
        secretBox: deps.secretBox,
        ...(config.schema !== undefined ? { schema: config.schema } : {}),
        ...(config.maxConnections !== undefined ? { maxConnections: config.maxConnections } : {}),
        ...(config.timeoutMs !== undefined ? { timeoutMs: config.timeoutMs } : {}),
        ...(deps.onIdleError ? { onIdleError: deps.onIdleError } : {}),
      });
  }
}
