import type { ChangeFeed } from '../domain/ports/change-feed.js';
import type { StoreConfig } from './create-store.js';
import { PostgresChangeFeed } from './postgres/postgres-change-feed.js';
import { postgresSchemaOf } from './postgres/postgres-store.js';

/**
 * The feed that carries cache invalidations between the nodes sharing the configured store:
 * PostgreSQL's `LISTEN/NOTIFY` on the store's schema, or `undefined` for SQLite (one process owns
 * the file, so an in-process feed is enough). Open it after the store, which creates the schema.
 */
export async function openChangeFeed(
  config: StoreConfig,
  deps: { onError?: (error: unknown, context: string) => void } = {},
): Promise<ChangeFeed | undefined> {
  switch (config.kind) {
    case 'sqlite':
      return undefined;
    case 'postgres':
      return PostgresChangeFeed.open({
        url: config.url,
        schema: postgresSchemaOf(config.url, config.schema),
        ...(deps.onError ? { onError: deps.onError } : {}),
      });
  }
}
