import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../../store/testing.js';
import { createAccessKey, deleteAccessKey, getAccessKeyLastUsed, listAccessKeys, updateAccessKey } from './access-keys.js';
import { ACCOUNT_ID, failure, identityFixture, type IdentityFixture } from './test-identity-fixture.js';
import { createUser } from './users.js';

describe.each(testDialects())('access keys (%s)', (dialect) => {
  let f: IdentityFixture;
  // Opening a store and loading the catalogue can be slow while the whole suite runs.
  beforeAll(async () => {
    f = await identityFixture(dialect);
  }, 60_000);
  afterAll(() => f?.dispose());

  it('creates AKIA keys with a 40-character secret that is stored encrypted, at most 2 per user', async () => {
    await createUser(f.deps, { userName: 'kim' }, f.root());
    const a = await createAccessKey(f.deps, { userName: 'kim' }, f.root());
    expect(a).toMatchObject({ userName: 'kim', status: 'Active' });
    expect(a.accessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(a.secretAccessKey).toMatch(/^[A-Za-z0-9+/]{40}$/);
    expect(await f.t.rawDatabaseContains(a.secretAccessKey)).toBe(false);
    await createAccessKey(f.deps, { userName: 'kim' }, f.root());
    expect(await failure(() => createAccessKey(f.deps, { userName: 'kim' }, f.root()))).toEqual({ code: 'LimitExceeded', message: 'Cannot exceed quota for AccessKeysPerUser: 2' });
    const listed = await listAccessKeys(f.deps, { userName: 'kim' }, f.root());
    expect(listed.items).toHaveLength(2);
    expect(JSON.stringify(listed)).not.toContain(a.secretAccessKey);
    const page = await listAccessKeys(f.deps, { userName: 'kim', maxItems: 1 }, f.root());
    expect(page.isTruncated).toBe(true);
    expect((await listAccessKeys(f.deps, { userName: 'kim', maxItems: 1, marker: page.marker }, f.root())).items).toHaveLength(1);
  });

  it("without UserName acts on the caller's own keys: an IAM user's, or the root's", async () => {
    const { user } = await createUser(f.deps, { userName: 'selfish' }, f.root());
    const own = await createAccessKey(f.deps, {}, f.as(user));
    expect(own.userName).toBe('selfish');
    expect((await listAccessKeys(f.deps, {}, f.as(user))).items.map((k) => k.accessKeyId)).toEqual([own.accessKeyId]);
    const rootKey = await createAccessKey(f.deps, {}, f.root());
    expect(rootKey.userName).toBeUndefined();
    expect((await f.t.store.getAccessKey(rootKey.accessKeyId))?.owner).toEqual({ kind: 'root' });
    expect((await listAccessKeys(f.deps, {}, f.root())).items.map((k) => k.accessKeyId)).toEqual([rootKey.accessKeyId]);
  });

  it('updates status and deletes only keys of the named user', async () => {
    const { user } = await createUser(f.deps, { userName: 'owner' }, f.root());
    await createUser(f.deps, { userName: 'other' }, f.root());
    const k = await createAccessKey(f.deps, { userName: 'owner' }, f.root());
    const missing = { code: 'NoSuchEntity', message: `The Access Key with id ${k.accessKeyId} cannot be found.` };
    expect(await failure(() => updateAccessKey(f.deps, { userName: 'other', accessKeyId: k.accessKeyId, status: 'Inactive' }, f.root()))).toEqual(missing);
    expect(await failure(() => updateAccessKey(f.deps, { accessKeyId: k.accessKeyId, status: 'Inactive' }, f.root()))).toEqual(missing);
    await updateAccessKey(f.deps, { userName: 'owner', accessKeyId: k.accessKeyId, status: 'Inactive' }, f.root());
    expect((await f.t.store.getAccessKey(k.accessKeyId))?.status).toBe('Inactive');
    await updateAccessKey(f.deps, { accessKeyId: k.accessKeyId, status: 'Active' }, f.as(user));
    expect(await failure(() => deleteAccessKey(f.deps, { userName: 'other', accessKeyId: k.accessKeyId }, f.root()))).toEqual(missing);
    await deleteAccessKey(f.deps, { userName: 'owner', accessKeyId: k.accessKeyId }, f.root());
    expect(await failure(() => deleteAccessKey(f.deps, { userName: 'owner', accessKeyId: k.accessKeyId }, f.root()))).toEqual(missing);
  });

  it("GetAccessKeyLastUsed reports N/A until a use is recorded, then the latest use; other accounts' keys are unknown", async () => {
    await createUser(f.deps, { userName: 'used' }, f.root());
    const k = await createAccessKey(f.deps, { userName: 'used' }, f.root());
    expect(await getAccessKeyLastUsed(f.deps, { accessKeyId: k.accessKeyId }, f.root())).toEqual({ userName: 'used', serviceName: 'N/A', region: 'N/A' });
    const at = new Date('2026-05-06T08:00:00.000Z');
    await f.t.store.recordAccessKeyUse([{ accessKeyId: k.accessKeyId, usedAt: at, serviceName: 'iam', region: 'eu-west-1' }]);
    expect(await getAccessKeyLastUsed(f.deps, { accessKeyId: k.accessKeyId }, f.root())).toEqual({ userName: 'used', lastUsedDate: at, serviceName: 'iam', region: 'eu-west-1' });
    const otherAccount = f.ctx({ type: 'Root', accountId: '210987654321', arn: 'arn:aws:iam::210987654321:root', principalId: '210987654321', mfaAuthenticated: false });
    expect(await failure(() => getAccessKeyLastUsed(f.deps, { accessKeyId: k.accessKeyId }, otherAccount))).toMatchObject({ code: 'NoSuchEntity' });
    expect(ACCOUNT_ID).not.toBe('210987654321');
  });
});
