import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BucketStore, type ObjectMeta } from './bucket-store.js';

let dataDir: string;
let store: BucketStore;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 's3-store-'));
  store = new BucketStore(dataDir);
  await store.createBucket({ name: 'bkt', ownerAccountId: '111111111111', createdAt: '' });
});
afterEach(() => rm(dataDir, { recursive: true, force: true }));

const meta = (key: string, size: number): ObjectMeta => ({ key, size, etag: 'e', lastModified: new Date().toISOString(), contentType: 'text/plain' });

async function put(key: string, data: string): Promise<void> {
  const w = await store.newObject('bkt');
  w.stream.write(data);
  await w.commit(meta(key, data.length));
}

describe('BucketStore', () => {
  it('reads an opened object whole though it is deleted meanwhile, and refuses to open one deleted before', async () => {
    await put('k', 'hello');
    const found = (await store.getObject('bkt', 'k'))!;
    const stream = await found.open();
    await store.deleteObject('bkt', 'k');
    expect(await text(stream)).toBe('hello');
    await put('k', 'hello');
    const again = (await store.getObject('bkt', 'k'))!;
    await store.deleteObject('bkt', 'k');
    await expect(again.open()).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
