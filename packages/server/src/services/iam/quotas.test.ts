import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iamQuotas } from '../../domain/quotas.js';
import { testDialects } from '../../store/testing.js';
import { ACCOUNT_ID, failure, identityFixture, type IdentityFixture } from './test-identity-fixture.js';
import { getAccountSummary } from './account.js';
import { createUser } from './users.js';

// The account quota that matters most at scale: AWS's default refuses the 5,001st user; a
// deployment that raised it (`quotas` setting) creates it and refuses past the new value.
describe.each(testDialects())('quotas (%s)', (dialect) => {
  let f: IdentityFixture;
  beforeAll(async () => {
    f = await identityFixture(dialect);
    const createDate = new Date('2026-01-01T00:00:00Z');
    await f.t.store.transaction(async (tx) => {
      for (let i = 0; i < 5000; i++) {
        const name = `seeded-${String(i).padStart(4, '0')}`;
        await tx.createUser({ accountId: ACCOUNT_ID, id: `AIDASEEDED${String(i).padStart(11, '0')}`, name, path: '/', arn: `arn:aws:iam::${ACCOUNT_ID}:user/${name}`, createDate });
      }
    });
  }, 120_000);
  afterAll(() => f?.dispose());

  it('refuses the 5,001st user with AWS\'s default quota', async () => {
    expect(await failure(() => createUser(f.deps, { userName: 'one-too-many' }, f.root()))).toEqual({ code: 'LimitExceeded', message: 'Cannot exceed quota for UsersPerAccount: 5000' });
    expect(await f.t.store.getUserByName(ACCOUNT_ID, 'one-too-many')).toBeUndefined();
  });

  it('creates it when the deployment raised the quota, and reports the raised quota', async () => {
    const deps = { ...f.deps, quotas: iamQuotas({ usersPerAccount: 5001 }) };
    const { user } = await createUser(deps, { userName: 'user-5001' }, f.root());
    expect(user.name).toBe('user-5001');
    expect(await failure(() => createUser(deps, { userName: 'user-5002' }, f.root()))).toEqual({ code: 'LimitExceeded', message: 'Cannot exceed quota for UsersPerAccount: 5001' });
    expect(await getAccountSummary(deps, {}, f.root())).toMatchObject({ Users: 5001, UsersQuota: 5001 });
  });
});
