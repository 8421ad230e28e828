import { describe, expect, it } from 'vitest';
import { runStoreContract } from '../contract/suite.js';
import { StoreConflictError, StoreReferenceError, StoreUnavailableError } from '../store-errors.js';
import { createTestStore, testDialects } from '../testing.js';
import { translatePostgresError } from './postgres-errors.js';

// Each test gets a fresh schema with a random name at CASTELLAN_TEST_POSTGRES_URL, dropped after it.
// An unreachable PostgreSQL makes every test fail: only CASTELLAN_TEST_DIALECTS can leave it out.
const selected = testDialects().includes('postgres');

if (selected) runStoreContract({ name: 'postgres', newStore: () => createTestStore('postgres') });
else describe.skip('store contract: postgres (deselected by CASTELLAN_TEST_DIALECTS)', () => it('deselected', () => {}));

(selected ? describe : describe.skip)('postgres specifics', () => {
  const errors: Array<{ name: string; error: object; expected: unknown }> = [
    { name: '23505 unique_violation', error: { code: '23505', table: 'users', constraint: 'users_account_name_uq' }, expected: StoreConflictError },
    { name: '23503 foreign_key_violation', error: { code: '23503', constraint: 'access_keys_user_id_fkey' }, expected: StoreReferenceError },
    { name: 'ECONNREFUSED', error: { code: 'ECONNREFUSED' }, expected: StoreUnavailableError },
    { name: '57P01 admin_shutdown', error: { code: '57P01' }, expected: StoreUnavailableError },
    { name: '08006 connection_failure', error: { code: '08006' }, expected: StoreUnavailableError },
  ];
  for (const { name, error, expected } of errors) {
    it(`translates ${name}`, () => {
      expect(translatePostgresError(Object.assign(new Error('driver error'), error))).toBeInstanceOf(expected);
    });
  }

  it('names the table and constraint of a unique violation and passes other errors through', () => {
    expect(translatePostgresError(Object.assign(new Error('dup'), { code: '23505', table: 'users', constraint: 'users_account_name_uq' })))
      .toMatchObject({ entity: 'users', constraint: 'users_account_name_uq' });
    const syntax = Object.assign(new Error('syntax error'), { code: '42601' });
    expect(translatePostgresError(syntax)).toBe(syntax);
  });

  it('a real unique violation surfaces with its constraint', async () => {
    const t = await createTestStore('postgres');
    try {
      await t.store.createAccount({ id: '123456789012', createDate: new Date(0) });
      const error = await t.store.createAccount({ id: '123456789012', createDate: new Date(0) }).catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: 'conflict', entity: 'accounts', constraint: 'accounts_pkey' });
    } finally {
      await t.dispose();
    }
  });
});
