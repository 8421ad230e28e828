import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { SecretBox } from '../crypto/secret-box.js';
import { generateMasterKey } from '../crypto/master-key.js';
import { PostgresStore } from './postgres/postgres-store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

/** A database the tests can run on. */
export type TestDialect = 'sqlite' | 'postgres';

/** The PostgreSQL tests use: `CASTELLAN_TEST_POSTGRES_URL`, default the local trust-auth server. */
export const TEST_POSTGRES_URL = process.env['CASTELLAN_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * The dialects to test, from `CASTELLAN_TEST_DIALECTS` (comma-separated). Default is both. An
 * unknown name throws, so a typo cannot silently skip a dialect.
 */
export function testDialects(env: Record<string, string | undefined> = process.env): TestDialect[] {
  const raw = env['CASTELLAN_TEST_DIALECTS']?.trim();
  if (!raw) return ['sqlite', 'postgres'];
  return raw.split(',').map((s) => s.trim()).filter(Boolean).map((name) => {
    if (name !== 'sqlite' && name !== 'postgres') throw new Error(`CASTELLAN_TEST_DIALECTS: unknown dialect \`${name}\``);
    return name;
  });
}

/** An isolated store for one test (or one test file), and what the test needs around it. */
export interface TestStore {
  readonly dialect: TestDialect;
  /** The open store. After `reopen()`, the new one. */
  readonly store: Store;
  /** The box the store encrypts with (same key across `reopen`). */
  readonly secretBox: SecretBox;
  /** For SQLite: the database file. For PostgreSQL: the schema. */
  readonly location: string;
  /** Closes the store and opens the same database again, as a server restart does. */
  reopen(): Promise<Store>;
  /**
   * Whether `needle` occurs anywhere in the stored data: SQLite's database, WAL and journal
   * files byte for byte; every row of every table of the PostgreSQL schema as text.
   */
  rawDatabaseContains(needle: string): Promise<boolean>;
  /** Closes the store and deletes the database (temporary folder or schema). Idempotent. */
  dispose(): Promise<void>;
}

/**
 * Opens a fresh, isolated store: SQLite in a new temporary folder (a real file, so WAL and
 * restarts are exercised), or PostgreSQL in a new schema with a random name at
 * `TEST_POSTGRES_URL`. An unreachable PostgreSQL throws: tests fail, they never skip.
 *
 * @example
 * ```ts
 * const t = await createTestStore('postgres');
 * try { await t.store.createAccount({ id: '123456789012', createDate: new Date() }); }
 * finally { await t.dispose(); }
 * ```
 */
export async function createTestStore(dialect: TestDialect): Promise<TestStore> {
  const secretBox = new SecretBox(generateMasterKey());
  return dialect === 'sqlite' ? createSqliteTestStore(secretBox) : createPostgresTestStore(secretBox);
}

async function createSqliteTestStore(secretBox: SecretBox): Promise<TestStore> {
  const dir = await mkdtemp(join(tmpdir(), 'castellan-store-'));
  const filename = join(dir, 'castellan.db');
  let store: Store = await SqliteStore.open({ filename, secretBox });
  let disposed = false;
  return {
    dialect: 'sqlite',
    get store() { return store; },
    secretBox,
    location: filename,
    async reopen() {
      await store.close();
      store = await SqliteStore.open({ filename, secretBox });
      return store;
    },
    async rawDatabaseContains(needle) {
      const bytes = Buffer.from(needle, 'utf8');
      for (const name of await readdir(dir)) {
        if ((await readFile(join(dir, name))).includes(bytes)) return true;
      }
      return false;
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A fresh PostgreSQL schema for a test that starts a real server, and how to remove it. */
export interface TestPostgresSchema {
  /** The random schema name. */
  schema: string;
  /** `TEST_POSTGRES_URL` with `?schema=<schema>`: pass it as `CASTELLAN_DATABASE_URL`. */
  url: string;
  /** Drops the schema and everything in it. Idempotent. */
  drop(): Promise<void>;
}

/**
 * Reserves a fresh schema name for an end-to-end test (the server creates and migrates it on
 * start) and drops it afterwards. Fails, never skips, when PostgreSQL is unreachable.
 *
 * @example
 * ```ts
 * const pgSchema = await createTestPostgresSchema();
 * const server = await startServer({ env: { CASTELLAN_DATABASE_URL: pgSchema.url } });
 * // …
 * await pgSchema.drop();
 * ```
 */
export async function createTestPostgresSchema(): Promise<TestPostgresSchema> {
  const schema = `castellan_test_${randomBytes(6).toString('hex')}`;
  // Connect once now, so an unreachable PostgreSQL fails the test at setup with a clear error.
  await withPostgresClient(async () => undefined);
  const url = new URL(TEST_POSTGRES_URL);
  url.searchParams.set('schema', schema);
  let dropped = false;
  return {
    schema,
    url: url.toString(),
    async drop() {
      if (dropped) return;
      dropped = true;
      await withPostgresClient((client) => client.query(`drop schema if exists "${schema}" cascade`));
    },
  };
}

async function withPostgresClient<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function createPostgresTestStore(secretBox: SecretBox): Promise<TestStore> {
  const schema = `castellan_test_${randomBytes(6).toString('hex')}`;
  let store: Store = await PostgresStore.open({ url: TEST_POSTGRES_URL, schema, secretBox, maxConnections: 5 });
  let disposed = false;
  const withClient = withPostgresClient;
  return {
    dialect: 'postgres',
    get store() { return store; },
    secretBox,
    location: schema,
    async reopen() {
      await store.close();
      store = await PostgresStore.open({ url: TEST_POSTGRES_URL, schema, secretBox, maxConnections: 5 });
      return store;
    },
    async rawDatabaseContains(needle) {
      return withClient(async (client) => {
        const tables = await client.query<{ table_name: string }>(
          'select table_name from information_schema.tables where table_schema = $1', [schema]);
        for (const { table_name } of tables.rows) {
          const ident = `"${schema}"."${table_name.replace(/"/g, '""')}"`;
          const hit = await client.query(`select 1 from ${ident} t where strpos(t::text, $1) > 0 limit 1`, [needle]);
          if (hit.rowCount) return true;
        }
        return false;
      });
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await store.close();
      await withClient((client) => client.query(`drop schema if exists "${schema}" cascade`));
    },
  };
}
