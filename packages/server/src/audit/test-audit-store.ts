/**
 * Test helper: a real store of each dialect under test (`CASTELLAN_TEST_DIALECTS`, default
 * `sqlite,postgres`), plus raw SQL access to tamper with its audit rows the way an attacker with
 * database access would. PostgreSQL tests run in a fresh schema each, dropped afterwards.
 * @internal
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { SecretBox } from '../crypto/secret-box.js';
import { PostgresStore } from '../store/postgres/postgres-store.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import type { Store } from '../store/store.js';

/** The dialects the tests run on. */
export const TEST_DIALECTS = (process.env['CASTELLAN_TEST_DIALECTS'] ?? 'sqlite,postgres').split(',').map((d) => d.trim()).filter(Boolean) as Array<'sqlite' | 'postgres'>;

const POSTGRES_URL = process.env['CASTELLAN_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A store under test with raw SQL access to its tables. */
export interface TamperableStore {
  store: Store;
  /** Runs one SQL statement with `?` placeholders on the store's database, outside the store. */
  exec(sql: string, params?: unknown[]): Promise<void>;
  /** Opens another store on the same database with the same key, as a second process (a running server) would; closed by `close`. */
  openAnother(): Promise<Store>;
  close(): Promise<void>;
  /** Where the store is and its master key (hex), for another process to open the same store. */
  location: { dialect: 'sqlite'; filename: string; masterKey: string } | { dialect: 'postgres'; url: string; schema: string; masterKey: string };
}

/** Opens a fresh store of `dialect`. */
export async function openTamperableStore(dialect: 'sqlite' | 'postgres'): Promise<TamperableStore> {
  const masterKey = randomBytes(32);
  const secretBox = new SecretBox(masterKey);
  if (dialect === 'sqlite') {
    const dir = await mkdtemp(join(tmpdir(), 'castellan-audit-'));
    const filename = join(dir, 'castellan.db');
    const store = await SqliteStore.open({ filename, secretBox });
    const raw = new BetterSqlite3(filename);
    raw.pragma('busy_timeout = 5000');
    const others: Store[] = [];
    return {
      store,
      location: { dialect, filename, masterKey: masterKey.toString('hex') },
      async exec(sql, params = []) {
        raw.prepare(sql).run(...(params as unknown[]));
      },
      async openAnother() {
        const other = await SqliteStore.open({ filename, secretBox });
        others.push(other);
        return other;
      },
      async close() {
        raw.close();
        for (const other of others) await other.close();
        await store.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `audit_test_${randomBytes(6).toString('hex')}`;
  const store = await PostgresStore.open({ url: POSTGRES_URL, schema, secretBox, maxConnections: 2 });
  const client = new pg.Client({ connectionString: POSTGRES_URL, options: `-c search_path="${schema}"` });
  await client.connect();
  const others: Store[] = [];
  return {
    store,
    location: { dialect, url: POSTGRES_URL, schema, masterKey: masterKey.toString('hex') },
    async exec(sql, params = []) {
      let i = 0;
      await client.query(sql.replace(/\?/g, () => `$${++i}`), params);
    },
    async openAnother() {
      const other = await PostgresStore.open({ url: POSTGRES_URL, schema, secretBox, maxConnections: 2 });
      others.push(other);
      return other;
    },
    async close() {
      for (const other of others) await other.close();
      await store.close();
      await client.query(`drop schema if exists "${schema}" cascade`);
      await client.end();
    },
  };
}
