import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../store-errors.js';
import { withStoreDialect } from '../sql/translating-dialect.js';
import { sqliteAlreadyRolledBack, translateSqliteError } from './sqlite-errors.js';

// A full disk, as SQLite reports it: `max_page_count` caps the file, and a write past it fails with
// SQLITE_FULL and rolls the transaction back, as a full file system does.
describe('a transaction on a full SQLite database', () => {
  let dir: string;
  let database: BetterSqlite3.Database;
  let db: Kysely<any>;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'castellan-sqlite-full-'));
    database = new BetterSqlite3(join(dir, 'full.db'));
    database.pragma('journal_mode = WAL');
    database.exec('create table t (x text)');
    database.pragma(`max_page_count = ${(database.pragma('page_count', { simple: true }) as number) + 2}`);
    const dialect = withStoreDialect(new SqliteDialect({ database }), {
      translateError: translateSqliteError,
      alreadyRolledBack: sqliteAlreadyRolledBack,
      beginStatement: CompiledQuery.raw('begin immediate'),
    });
    db = new Kysely<any>({ dialect });
  });
  afterEach(async () => {
    await db.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  it('fails as unavailable, with the disk-full error and not the ROLLBACK that followed it', async () => {
    const failure = await db
      .transaction()
      .execute(async (trx) => {
        for (let i = 0; i < 100; i++) await sql`insert into t values (${'x'.repeat(5000)})`.execute(trx);
      })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StoreUnavailableError);
    expect(((failure as Error).cause as { code?: string }).code).toBe('SQLITE_FULL');
    // Nothing of it was kept, and the connection takes the next transaction.
    database.pragma('max_page_count = 1000000');
    await db.transaction().execute(async (trx) => sql`insert into t values ('after')`.execute(trx));
    expect(database.prepare('select x from t').pluck().all()).toEqual(['after']);
  });

  it('still reports a ROLLBACK that fails for another reason', () => {
    expect(sqliteAlreadyRolledBack(new Error('cannot rollback - no transaction is active'))).toBe(true);
    expect(sqliteAlreadyRolledBack(new Error('disk I/O error'))).toBe(false);
  });
});
