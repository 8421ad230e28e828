import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadIamDataCatalog } from '../catalog/iam-data-catalog.js';
import { DeterministicIds } from '../domain/ids.js';
import { createTestStore, type TestStore } from '../store/testing.js';
import { bootstrapAccount, type BootstrapDeps } from './bootstrap.js';

const now = new Date('2026-05-06T07:08:09.000Z');
let catalog: Awaited<ReturnType<typeof loadIamDataCatalog>>;

describe('bootstrapAccount', () => {
  let t: TestStore | undefined;
  beforeAll(async () => {
    catalog = await loadIamDataCatalog();
  }, 60_000);
  const open = async () => {
    t = await createTestStore('sqlite');
    return t;
  };
  const deps = async (store: TestStore): Promise<BootstrapDeps & { catalog: typeof catalog }> => ({ store: store.store, ids: new DeterministicIds('boot'), catalog });
  afterEach(async () => {
    await t?.dispose();
  });

  it('generates a 12-digit account and an AKIA root key once, and reports the secret only then', async () => {
    const s = await open();
    const first = await bootstrapAccount(await deps(s), { now });
    expect(first.accountId).toMatch(/^\d{12}$/);
    expect(first.rootAccessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(first.rootSecretAccessKey).toMatch(/^[A-Za-z0-9+/]{40}$/);
    expect(first).toMatchObject({ createdAccount: true, createdKey: true });
    const key = await s.store.getAccessKeyWithSecret(first.rootAccessKeyId!);
    expect(key).toMatchObject({ owner: { kind: 'root' }, status: 'Active', secretAccessKey: first.rootSecretAccessKey });

    await s.reopen();
    const second = await bootstrapAccount(await deps(s), { now });
    expect(second).toEqual({ accountId: first.accountId, rootAccessKeyId: first.rootAccessKeyId, createdAccount: false, createdKey: false });
  });

  it('uses fixed credentials from the configuration, and follows them when they change', async () => {
    const s = await open();
    const d = await deps(s);
    const first = await bootstrapAccount(d, { now, accountId: '111122223333', rootAccessKeyId: 'minio-root', rootSecretAccessKey: 'secret-one' });
    expect(first).toEqual({ accountId: '111122223333', rootAccessKeyId: 'minio-root', createdAccount: true, createdKey: false });
    expect((await s.store.getAccessKeyWithSecret('minio-root'))?.secretAccessKey).toBe('secret-one');

    // A root key made through CreateAccessKey survives config changes.
    await s.store.createAccessKey({ accountId: '111122223333', accessKeyId: 'AKIAOTHERROOTKEY0001', owner: { kind: 'root' }, secretAccessKey: 'x'.repeat(40), status: 'Active', createDate: now });
    await s.store.updateAccessKeyStatus('minio-root', 'Inactive');
    await bootstrapAccount(d, { now, rootAccessKeyId: 'minio-root', rootSecretAccessKey: 'secret-two' });
    expect(await s.store.getAccessKeyWithSecret('minio-root')).toMatchObject({ secretAccessKey: 'secret-two', status: 'Active' });

    await bootstrapAccount(d, { now, rootAccessKeyId: 'new-root', rootSecretAccessKey: 'secret-three' });
    expect(await s.store.getAccessKey('minio-root')).toBeUndefined();
    expect((await s.store.getAccessKeyWithSecret('new-root'))?.secretAccessKey).toBe('secret-three');
    expect(await s.store.getAccessKey('AKIAOTHERROOTKEY0001')).toBeDefined();
  });

  it('refuses to change the account id of a bootstrapped database, and half-given credentials', async () => {
    const s = await open();
    const d = await deps(s);
    await bootstrapAccount(d, { now, accountId: '111122223333' });
    await expect(bootstrapAccount(d, { now, accountId: '444455556666' })).rejects.toThrow(/belongs to account 111122223333/);
    await expect(bootstrapAccount(d, { now, rootAccessKeyId: 'only-id' })).rejects.toThrow(/together/);
  });

  it('makes no root key again once every root key was deleted after the first start (best practice 1), and says root is keyless', async () => {
    const s = await open();
    const d = await deps(s);
    const first = await bootstrapAccount(d, { now });
    await s.store.deleteAccessKey(first.rootAccessKeyId!);
    for (let start = 0; start < 2; start++) {
      expect(await bootstrapAccount(d, { now })).toEqual({ accountId: first.accountId, createdAccount: false, createdKey: false, rootKeyless: true });
    }
    expect((await s.store.listAccessKeys({ accountId: first.accountId, owner: { kind: 'root' }, maxItems: 10 })).items).toEqual([]);
  });

  it('names a root key the operator made later (castellan root create-access-key) on the next start', async () => {
    const s = await open();
    const d = await deps(s);
    const first = await bootstrapAccount(d, { now });
    await s.store.deleteAccessKey(first.rootAccessKeyId!);
    await s.store.createAccessKey({ accountId: first.accountId, accessKeyId: 'AKIAOPERATORMADE0001', owner: { kind: 'root' }, secretAccessKey: 'x'.repeat(40), status: 'Active', createDate: now, maxPerOwner: 2 });
    expect(await bootstrapAccount(d, { now })).toEqual({ accountId: first.accountId, rootAccessKeyId: 'AKIAOPERATORMADE0001', createdAccount: false, createdKey: false });
  });

  it('keeps a deactivated root key and says it is inactive, so a start neither revives it nor makes another', async () => {
    const s = await open();
    const d = await deps(s);
    const first = await bootstrapAccount(d, { now });
    await s.store.updateAccessKeyStatus(first.rootAccessKeyId!, 'Inactive');
    const again = await bootstrapAccount(d, { now });
    expect(again).toEqual({ accountId: first.accountId, rootAccessKeyId: first.rootAccessKeyId, createdAccount: false, createdKey: false, rootAccessKeyInactive: true });
    expect((await s.store.getAccessKey(first.rootAccessKeyId!))?.status).toBe('Inactive');
  });

  it('names an active root key the operator made beside the deactivated one it recorded', async () => {
    const s = await open();
    const d = await deps(s);
    const first = await bootstrapAccount(d, { now });
    await s.store.updateAccessKeyStatus(first.rootAccessKeyId!, 'Inactive');
    await s.store.createAccessKey({ accountId: first.accountId, accessKeyId: 'AKIAOPERATORMADE0002', owner: { kind: 'root' }, secretAccessKey: 'x'.repeat(40), status: 'Active', createDate: now, maxPerOwner: 2 });
    expect(await bootstrapAccount(d, { now })).toEqual({ accountId: first.accountId, rootAccessKeyId: 'AKIAOPERATORMADE0002', createdAccount: false, createdKey: false });
  });
});
