import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { generateMasterKey } from '../../crypto/master-key.js';
import { SecretBox } from '../../crypto/secret-box.js';
import { runStoreContract } from '../contract/suite.js';
import { MIGRATIONS } from '../sql/migrations/index.js';
import { StoreConflictError, StoreReferenceError, StoreUnavailableError } from '../store-errors.js';
import { createTestStore, testDialects } from '../testing.js';
import { translateSqliteError } from './sqlite-errors.js';
import { SqliteStore } from './sqlite-store.js';

const selected = testDialects().includes('sqlite');

if (selected) runStoreContract({ name: 'sqlite', newStore: () => createTestStore('sqlite') });
else describe.skip('store contract: sqlite (deselected by CASTELLAN_TEST_DIALECTS)', () => it('deselected', () => {}));

(selected ? describe : describe.skip)('sqlite specifics', () => {
  it('`:memory:` stores are migrated and independent (serve --ephemeral)', async () => {
    const secretBox = new SecretBox(generateMasterKey());
    const a = await SqliteStore.open({ filename: ':memory:', secretBox });
    const b = await SqliteStore.open({ filename: ':memory:', secretBox });
    try {
      await a.createAccount({ id: '123456789012', createDate: new Date(0) });
      expect(await a.getAccount('123456789012')).toBeDefined();
      expect(await b.getAccount('123456789012')).toBeUndefined();
    } finally {
      await a.close();
      await b.close();
      await a.close();
    }
  });

  it('the file is in WAL mode and a second open does not re-run migrations', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'castellan-sqlite-'));
    const filename = join(dir, 'sub', 'castellan.db');
    try {
      const secretBox = new SecretBox(generateMasterKey());
      await (await SqliteStore.open({ filename, secretBox })).close();
      await (await SqliteStore.open({ filename, secretBox })).close();
      const raw = new BetterSqlite3(filename, { readonly: true });
      try {
        expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
        // Each migration ran once.
        expect(raw.prepare('select count(*) as n from kysely_migration').get()).toEqual({ n: Object.keys(MIGRATIONS).length });
      } finally {
        raw.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  const errors: Array<{ name: string; code: string; message: string; expected: unknown }> = [
    { name: 'unique', code: 'SQLITE_CONSTRAINT_UNIQUE', message: 'UNIQUE constraint failed: users.account_id, users.name_lower', expected: StoreConflictError },
    { name: 'primary key', code: 'SQLITE_CONSTRAINT_PRIMARYKEY', message: 'UNIQUE constraint failed: accounts.id', expected: StoreConflictError },
    { name: 'foreign key', code: 'SQLITE_CONSTRAINT_FOREIGNKEY', message: 'FOREIGN KEY constraint failed', expected: StoreReferenceError },
    { name: 'busy', code: 'SQLITE_BUSY', message: 'database is locked', expected: StoreUnavailableError },
    // A full disk or a failing one is the operator's to fix: the audit log keeps such batches queued.
    { name: 'disk full', code: 'SQLITE_FULL', message: 'database or disk is full', expected: StoreUnavailableError },
    { name: 'I/O', code: 'SQLITE_IOERR_WRITE', message: 'disk I/O error', expected: StoreUnavailableError },
    { name: 'read-only', code: 'SQLITE_READONLY', message: 'attempt to write a readonly database', expected: StoreUnavailableError },
  ];
  for (const { name, code, message, expected } of errors) {
    it(`translates ${name} errors`, () => {
      const translated = translateSqliteError(Object.assign(new Error(message), { code }));
      expect(translated).toBeInstanceOf(expected);
    });
  }

  it('names the table of a unique violation and passes other errors through', () => {
    const conflict = translateSqliteError(Object.assign(new Error('UNIQUE constraint failed: users.account_id, users.name_lower'), { code: 'SQLITE_CONSTRAINT_UNIQUE' }));
    expect(conflict).toMatchObject({ entity: 'users', constraint: 'users.account_id, users.name_lower' });
    const other = new Error('no such table: x');
    expect(translateSqliteError(other)).toBe(other);
  });
});
