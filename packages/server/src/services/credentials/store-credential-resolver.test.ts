import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, testDialects, type TestStore } from '../../store/testing.js';
import { StoreCredentialResolver } from './store-credential-resolver.js';

const ACCOUNT = '123456789012';
const now = new Date('2026-05-06T07:08:09.000Z');

describe.each(testDialects())('StoreCredentialResolver (%s)', (dialect) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await createTestStore(dialect);
    await t.store.createAccount({ id: ACCOUNT, createDate: now });
    await t.store.createUser({ accountId: ACCOUNT, id: 'AIDAUSER0000000000001', name: 'bob', path: '/dev/', arn: `arn:aws:iam::${ACCOUNT}:user/dev/bob`, createDate: now });
    await t.store.createAccessKey({ accountId: ACCOUNT, accessKeyId: 'AKIAROOT000000000001', owner: { kind: 'root' }, secretAccessKey: 'root-secret', status: 'Active', createDate: now });
    await t.store.createAccessKey({ accountId: ACCOUNT, accessKeyId: 'AKIABOB0000000000001', owner: { kind: 'user', userId: 'AIDAUSER0000000000001' }, secretAccessKey: 'bob-secret', status: 'Active', createDate: now });
    await t.store.createAccessKey({ accountId: ACCOUNT, accessKeyId: 'AKIABOB0000000000002', owner: { kind: 'user', userId: 'AIDAUSER0000000000001' }, secretAccessKey: 'bob-old', status: 'Inactive', createDate: now });
  }, 60_000);
  afterAll(() => t.dispose());

  it('resolves root and user keys to their secret and principal; inactive, unknown and token-bearing lookups fail', async () => {
    const r = new StoreCredentialResolver(t.store);
    expect(await r.resolve('AKIAROOT000000000001', undefined)).toEqual({
      status: 'active',
      secretAccessKey: 'root-secret',
      principal: { type: 'Root', accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, principalId: ACCOUNT, accessKeyId: 'AKIAROOT000000000001', mfaAuthenticated: false },
    });
    expect(await r.resolve('AKIABOB0000000000001', undefined)).toEqual({
      status: 'active',
      secretAccessKey: 'bob-secret',
      principal: { type: 'IAMUser', accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/dev/bob`, principalId: 'AIDAUSER0000000000001', userName: 'bob', accessKeyId: 'AKIABOB0000000000001', mfaAuthenticated: false },
    });
    expect(await r.resolve('AKIABOB0000000000002', undefined)).toEqual({ status: 'inactive', accountId: ACCOUNT });
    expect(await r.resolve('AKIANOPE000000000000', undefined)).toBeUndefined();
    expect(await r.resolve('AKIABOB0000000000001', 'some-session-token')).toBeUndefined();
    await r.close();
  });

  it('buffers uses in memory, keeps the latest per key, and writes them in one batch on flush and close', async () => {
    const r = new StoreCredentialResolver(t.store, { flushIntervalMs: 60_000 });
    const t1 = new Date('2026-05-06T08:00:00.000Z');
    const t2 = new Date('2026-05-06T08:00:05.000Z');
    r.recordUse('AKIABOB0000000000001', { at: t2, service: 'iam', region: 'eu-west-1' });
    r.recordUse('AKIABOB0000000000001', { at: t1, service: 'sts', region: 'us-east-1' });
    r.recordUse('AKIAROOT000000000001', { at: t1, service: 'sts', region: 'us-east-1' });
    expect((await t.store.getAccessKey('AKIABOB0000000000001'))?.lastUsedDate).toBeUndefined();
    await r.flush();
    expect(await t.store.getAccessKey('AKIABOB0000000000001')).toMatchObject({ lastUsedDate: t2, lastUsedServiceName: 'iam', lastUsedRegion: 'eu-west-1' });
    const t3 = new Date('2026-05-06T09:00:00.000Z');
    r.recordUse('AKIAROOT000000000001', { at: t3, service: 'iam', region: 'ap-south-1' });
    await r.close();
    expect(await t.store.getAccessKey('AKIAROOT000000000001')).toMatchObject({ lastUsedDate: t3, lastUsedRegion: 'ap-south-1' });
    r.recordUse('AKIAROOT000000000001', { at: new Date('2026-05-07T00:00:00Z'), service: 'iam', region: 'x' });
    await r.flush();
    expect((await t.store.getAccessKey('AKIAROOT000000000001'))?.lastUsedDate).toEqual(t3);
  });

  it('flushes by itself after the interval', async () => {
    const r = new StoreCredentialResolver(t.store, { flushIntervalMs: 20 });
    const at = new Date('2026-05-06T10:00:00.000Z');
    r.recordUse('AKIABOB0000000000001', { at, service: 'iam', region: 'eu-north-1' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await t.store.getAccessKey('AKIABOB0000000000001'))?.lastUsedRegion).toBe('eu-north-1');
    await r.close();
  });
});
