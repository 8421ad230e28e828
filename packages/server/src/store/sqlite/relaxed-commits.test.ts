import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SecretBox } from '../../crypto/secret-box.js';
import { ACCOUNT, at, newUser } from '../contract/fixtures.js';
import type { Database } from '../sql/schema.js';
import { RelaxedCommits } from './relaxed-commits.js';
import { SqliteStore } from './sqlite-store.js';

describe('RelaxedCommits', () => {
  let dir: string;
  let database: BetterSqlite3.Database;
  let db: Kysely<Database>;
  let relaxed: RelaxedCommits;
  const FULL = 2;
  const NORMAL = 1;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'castellan-relaxed-'));
    const filename = join(dir, 'db.sqlite');
    database = new BetterSqlite3(filename);
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = FULL');
    database.exec('create table t (n integer)');
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
    relaxed = new RelaxedCommits(db, database, `${filename}-wal`);
  });
  afterEach(async () => {
    await relaxed.settled();
    await relaxed.close();
    await db.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  it('commits the write with synchronous=NORMAL on the held connection, then sets FULL again', async () => {
    // When a write runs, Then it sees NORMAL; and once it resolved, the connection is back to FULL
    let during: unknown;
    await relaxed.run(async (connection) => {
      during = database.pragma('synchronous', { simple: true });
      await sql`insert into t (n) values (1)`.execute(connection);
    });
    expect(during).toBe(NORMAL);
    expect(database.pragma('synchronous', { simple: true })).toBe(FULL);
    expect(database.prepare('select n from t').all()).toEqual([{ n: 1 }]);
  });

  it('sets FULL again after a write that fails, and rejects with its error', async () => {
    await expect(relaxed.run(async (connection) => {
      await sql`insert into missing (n) values (1)`.execute(connection);
    })).rejects.toThrow(/no such table/);
    expect(database.pragma('synchronous', { simple: true })).toBe(FULL);
  });

  it('rolls back a transaction a failing write left open, so FULL is set again and the write\'s error is the one rejected', async () => {
    // SQLite refuses to change the level inside a transaction: the connection stayed on NORMAL.
    await expect(relaxed.run(async (connection) => {
      await sql`begin`.execute(connection);
      await sql`insert into t (n) values (1)`.execute(connection);
      throw new Error('the write failed');
    })).rejects.toThrow('the write failed');
    expect(database.inTransaction).toBe(false);
    expect(database.pragma('synchronous', { simple: true })).toBe(FULL);
    expect(database.prepare('select n from t').all()).toEqual([]);
  });

  it('keeps other statements out while it holds the connection: a query queued meanwhile runs after it, with FULL', async () => {
    // Given a write that yields while holding the connection, and a query queued meanwhile
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => { release = resolve; });
    const write = relaxed.run(async (connection) => {
      await held;
      await sql`insert into t (n) values (2)`.execute(connection);
      order.push('write');
    });
    const other = sql<{ s: number }>`pragma synchronous`.execute(db).then((r) => { order.push('other'); return r.rows[0]!; });
    await new Promise((resolve) => setImmediate(resolve));
    release();
    // Then the queued query ran after the write, on a connection back at FULL
    await write;
    expect(await other).toEqual({ synchronous: FULL });
    expect(order).toEqual(['write', 'other']);
  });
});

describe('last-used writes on a SQLite file store', () => {
  let dir: string;
  const secretBox = new SecretBox(randomBytes(32));
  beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'castellan-last-used-')); });
  afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

  it('are written while transactions run, and are all there after an orderly close and reopen', async () => {
    // Given last-used writes started together with transactions, and not awaited before close
    const filename = join(dir, 'castellan.db');
    const store = await SqliteStore.open({ filename, secretBox });
    await store.createAccount({ id: ACCOUNT, createDate: at(0) });
    const keys = ['AKIAEXAMPLE000000001', 'AKIAEXAMPLE000000002'];
    for (const id of keys) await store.createAccessKey({ accountId: ACCOUNT, accessKeyId: id, owner: { kind: 'root' }, secretAccessKey: 'secret', status: 'Active', createDate: at(0) });
    const writes = [
      ...keys.map((id, i) => store.recordAccessKeyUse([{ accessKeyId: id, usedAt: at(10 + i), serviceName: 's3', region: 'us-east-1' }])),
      store.recordActionUse([{ accountId: ACCOUNT, entity: { kind: 'user', id: 'AIDAEXAMPLE' }, action: 's3:GetObject', usedAt: at(12), region: 'us-east-1' }]),
      ...[1, 2, 3].map((i) => store.transaction(async (tx) => { await tx.createUser(newUser(`u${i}`)); })),
    ];
    await store.close();
    await Promise.all(writes);
    // Then a reopened store has every write
    const reopened = await SqliteStore.open({ filename, secretBox });
    try {
      expect((await reopened.getAccessKey(keys[0]!))?.lastUsedDate).toEqual(at(10));
      expect((await reopened.getAccessKey(keys[1]!))?.lastUsedDate).toEqual(at(11));
      expect((await reopened.listActionUses(['AIDAEXAMPLE'])).map((u) => u.action)).toEqual(['s3:GetObject']);
      expect(await reopened.getUserByName(ACCOUNT, 'u3')).toBeDefined();
    } finally {
      await reopened.close();
    }
  });
});
