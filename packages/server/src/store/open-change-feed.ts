import type { StoreConfig } from './create-store.js';
import { PostgresChangeFeed } from './postgres/postgres-change-feed.js';
import { postgresSchemaOf } from './postgres/postgres-store.js';

/**
 * The feed that carries cache invalidations between the nodes sharing the configured store:
 * PostgreSQL's `LISTEN/NOTIFY` on the store's schema (it starts connecting at once and does not
 * need the schema to exist yet), or `undefined` for SQLite, where one process owns the file and an
 * in-process feed is enough.
 */
export function nodesChangeFeed(
  config: StoreConfig,
  deps: { onError?: (error: unknown, context: string) => void } = {},
): PostgresChangeFeed | undefined {
  switch (config.kind) {
    case 'sqlite':
      return undefined;
    case 'postgres':
      return new PostgresChangeFeed({
        url: config.url,
        schema: postgresSchemaOf(config.url, config.schema),
        ...(config.timeoutMs !== undefined ? { timeoutMs: config.timeoutMs } : {}),
        ...(deps.onError ? { onError: deps.onError } : {}),
      });
  }
}
