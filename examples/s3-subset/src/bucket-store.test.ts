import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BucketStore, NoSuchBucketError, NoSuchUploadError, type ObjectMeta } from './bucket-store.js';

let dataDir: string;
let store: BucketStore;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 's3-store-'));
  store = new BucketStore(dataDir);
  await store.createBucket({ name: 'bkt', ownerAccountId: '111111111111', createdAt: '' });
});
afterEach(() => rm(dataDir, { recursive: true, force: true }));

const meta = (key: string, size: number): ObjectMeta => ({ key, size, etag: `e${size}`, lastModified: new Date().toISOString(), contentType: 'text/plain' });

async function put(key: string, data: string): Promise<void> {
  const w = await store.newObject('bkt');
  await w.write(Buffer.from(data));
  await w.commit(meta(key, data.length));
}

describe('BucketStore', () => {
  it('reads an opened object whole, of one version, though it is replaced or deleted meanwhile', async () => {
    await put('k', 'hello');
    const found = (await store.openObject('bkt', 'k'))!;
    await put('k', 'a longer replacement');
    await store.deleteObject('bkt', 'k');
    expect([found.meta.size, await text(found.read())]).toEqual([5, 'hello']);
    await found.close();
    expect(await store.openObject('bkt', 'k')).toBeUndefined();
  });

  it('reads a range no further than the data, never into the record after it', async () => {
    await put('k', 'hello');
    const found = (await store.openObject('bkt', 'k'))!;
    try {
      expect(await text(found.read({ start: 1, end: 1000 }))).toBe('ello');
    } finally {
      await found.close();
    }
  });

  it('queues an unconditional delete behind the bucket\'s other locked steps (a conditional write between its check and its rename)', async () => {
    await put('k', 'x');
    let release!: () => void;
    const held = (store as unknown as { locked(b: string, fn: () => Promise<void>): Promise<void> }).locked('bkt', () => new Promise<void>((r) => (release = r)));
    const deleted = store.deleteObject('bkt', 'k');
    try {
      await new Promise((r) => setTimeout(r, 50));
      expect(await store.headObject('bkt', 'k')).toBeDefined();
    } finally {
      release();
      await Promise.all([held, deleted]);
    }
    expect(await store.headObject('bkt', 'k')).toBeUndefined();
  });

  it('sees a bucket as not empty by its object files, without reading their records', async () => {
    await writeFile(join(dataDir, 'bkt', 'objects', Buffer.from('bad').toString('hex')), 'ab');
    expect(await store.deleteBucketIfEmpty('bkt')).toBe(false);
  });

  it('queues a bucket\'s creation behind the steps of that name (a deletion under way)', async () => {
    let release!: () => void;
    const held = (store as unknown as { locked(b: string, fn: () => Promise<void>): Promise<void> }).locked('nb', () => new Promise<void>((r) => (release = r)));
    const created = store.createBucket({ name: 'nb', ownerAccountId: '111111111111', createdAt: '' });
    try {
      await new Promise((r) => setTimeout(r, 50));
      expect(await store.getBucket('nb')).toBeUndefined();
    } finally {
      release();
      await held;
    }
    expect((await created).created).toBe(true);
  });

  it('deletes a bucket by first moving it out of sight: a folder being removed is neither listed nor found', async () => {
    await mkdir(join(dataDir, '.deleted-old'), { recursive: true });
    await writeFile(join(dataDir, '.deleted-old', 'bucket.json'), JSON.stringify({ name: 'old', ownerAccountId: '111111111111', createdAt: '' }));
    expect(await store.deleteBucketIfEmpty('bkt')).toBe(true);
    expect([await store.listBuckets(), await store.getBucket('.deleted-old'), await store.getBucket('bkt')]).toEqual([[], undefined, undefined]);
    expect((await readdir(dataDir)).filter((f) => f !== '.deleted-old')).toEqual([]);
  });

  it('answers the second of two concurrent deletions of a bucket with NoSuchBucketError', async () => {
    const outcomes = await Promise.allSettled([store.deleteBucketIfEmpty('bkt'), store.deleteBucketIfEmpty('bkt')]);
    expect(outcomes[0]).toEqual({ status: 'fulfilled', value: true });
    expect(outcomes[1]).toMatchObject({ status: 'rejected', reason: expect.any(NoSuchBucketError) });
    await expect(store.listObjects('bkt')).rejects.toBeInstanceOf(NoSuchBucketError);
  });

  it('keeps a write error for the commit instead of leaving a rejection nobody handles', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      const w = await store.newObject('gone'); // as when DeleteBucket removed the folder during an upload
      await new Promise((r) => setTimeout(r, 100));
      expect(unhandled).toEqual([]);
      await expect(w.write(Buffer.from('x'))).rejects.toBeInstanceOf(NoSuchBucketError);
      await expect(w.commit(meta('k', 1))).rejects.toBeInstanceOf(NoSuchBucketError);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('resolves a write once the file has taken it (backpressure)', async () => {
    const w = await store.newObject('bkt');
    const chunk = Buffer.alloc(1024 * 1024, 1);
    for (let i = 1; i <= 4; i++) {
      await w.write(chunk);
      const tmp = (await readdir(join(dataDir, 'bkt'))).find((f) => f.startsWith('upload-'))!;
      expect((await stat(join(dataDir, 'bkt', tmp))).size).toBe(i * chunk.length);
    }
    await w.abort();
    expect((await readdir(join(dataDir, 'bkt'))).filter((f) => f.startsWith('upload-'))).toEqual([]);
  });

  it('checks a precondition as the object is replaced: of two writers that found no object, the second is refused and leaves no file', async () => {
    const absent = (existing: ObjectMeta | undefined) => {
      if (existing) throw new Error('exists');
    };
    const first = await store.newObject('bkt', absent);
    const second = await store.newObject('bkt', absent);
    await first.write(Buffer.from('one'));
    await second.write(Buffer.from('two'));
    // Either may reach the queue first (their files close in either order): exactly one wins.
    const outcomes = await Promise.allSettled([first.commit(meta('k', 3)), second.commit(meta('k', 3))]);
    expect(outcomes.map((o) => (o.status === 'rejected' ? String(o.reason) : 'ok')).sort()).toEqual(['Error: exists', 'ok']);
    const found = (await store.openObject('bkt', 'k'))!;
    expect(await text(found.read())).toBe(outcomes[0]!.status === 'fulfilled' ? 'one' : 'two');
    await found.close();
    expect((await readdir(join(dataDir, 'bkt'))).filter((f) => f.startsWith('upload-'))).toEqual([]);
  });

  it('lets one of two concurrent creations of a bucket win, and tells the other whose it is', async () => {
    const made = await Promise.all(['1', '2'].map((a) => store.createBucket({ name: 'race', ownerAccountId: a.repeat(12), createdAt: '' })));
    expect(made.map((m) => m.created).sort()).toEqual([false, true]);
    const winner = made.find((m) => m.created)!.bucket.ownerAccountId;
    expect(made.map((m) => m.bucket.ownerAccountId)).toEqual([winner, winner]);
    expect((await store.getBucket('race'))!.ownerAccountId).toBe(winner);
  });

  it('never deletes a bucket with an object a commit acknowledged', async () => {
    for (let i = 0; i < 20; i++) {
      await store.createBucket({ name: 'gone', ownerAccountId: '111111111111', createdAt: '' });
      const w = await store.newObject('gone');
      await w.write(Buffer.from('x'));
      const [committed, deleted] = await Promise.all([w.commit(meta('k', 1)).then(() => true, (e: unknown) => (e instanceof NoSuchBucketError ? false : Promise.reject(e))), store.deleteBucketIfEmpty('gone')]);
      expect(committed).toBe(!deleted);
      if (committed) expect(await store.headObject('gone', 'k')).toBeDefined();
      await rm(join(dataDir, 'gone'), { recursive: true, force: true });
    }
  });

  it('gives a completion the records of the parts it copies: a part uploaded again after the caller looked is used whole', async () => {
    const upload = await store.createUpload('bkt', { key: 'k', contentType: '', metadata: {}, initiated: '' });
    const part = async (data: string, etag: string) => {
      const w = await store.newPart('bkt', upload.uploadId);
      await w.write(Buffer.from(data));
      await w.commit({ partNumber: 1, size: data.length, etag });
    };
    await part('aaa', 'old');
    await part('bbbbbb', 'new');
    const seen: unknown[] = [];
    await store.completeUpload('bkt', upload.uploadId, [1], () => undefined, (parts) => {
      seen.push(...parts);
      return meta('k', parts[0]!.size);
    });
    expect(seen).toEqual([{ partNumber: 1, size: 6, etag: 'new' }]);
    const found = (await store.openObject('bkt', 'k'))!;
    expect([found.meta.size, await text(found.read())]).toEqual([6, 'bbbbbb']);
    await found.close();
  });

  it('checks each part as it opens it: the first refused stops the completion before the next is opened, and every file is closed', async () => {
    const upload = await store.createUpload('bkt', { key: 'k', contentType: '', metadata: {}, initiated: '' });
    for (const n of [1, 2, 3]) {
      const w = await store.newPart('bkt', upload.uploadId);
      await w.write(Buffer.from('x'));
      await w.commit({ partNumber: n, size: 1, etag: `e${n}` });
    }
    const before = (await readdir('/proc/self/fd')).length;
    const checked: unknown[] = [];
    await expect(store.completeUpload('bkt', upload.uploadId, [1, 2, 3], (part, i) => {
      checked.push(part?.etag);
      if (i === 1) throw new Error('bad part');
    }, () => meta('k', 3))).rejects.toThrow('bad part');
    expect(checked).toEqual(['e1', 'e2']);
    expect((await readdir('/proc/self/fd')).length).toBe(before);
  });

  it('refuses to write a bucket record over a bucket deleted meanwhile, or deleted and created again', async () => {
    const old = (await store.getBucket('bkt'))!;
    expect(await store.deleteBucketIfEmpty('bkt')).toBe(true);
    await expect(store.putBucket({ ...old, policy: '{}' })).rejects.toBeInstanceOf(NoSuchBucketError);
    const again = { name: 'bkt', ownerAccountId: '222222222222', createdAt: 'later' };
    await store.createBucket(again);
    await expect(store.putBucket({ ...old, policy: '{}' })).rejects.toBeInstanceOf(NoSuchBucketError);
    expect(await store.getBucket('bkt')).toEqual(again);
    await store.putBucket({ ...again, policy: '{}' });
    expect((await store.getBucket('bkt'))?.policy).toBe('{}');
  });

  it('starts no upload in a bucket deleted meanwhile, and never makes its folder again', async () => {
    expect(await store.deleteBucketIfEmpty('bkt')).toBe(true);
    await expect(store.createUpload('bkt', { key: 'k', contentType: '', metadata: {}, initiated: '' })).rejects.toBeInstanceOf(NoSuchBucketError);
    expect(await readdir(dataDir)).toEqual([]);
  });

  it.each([
    ['before the part file opens, the upload aborted', 'open', 'upload'],
    ['before the part file opens, the bucket deleted', 'open', 'bucket'],
    ['before the part is published, the upload aborted', 'publish', 'upload'],
    ['before the part is published, the bucket deleted', 'publish', 'bucket'],
  ])('answers a part whose folder went %s with the missing upload or bucket', async (_name, when, gone) => {
    const upload = await store.createUpload('bkt', { key: 'k', contentType: '', metadata: {}, initiated: '' });
    const remove = () => rm(gone === 'upload' ? join(dataDir, 'bkt', 'uploads', upload.uploadId) : join(dataDir, 'bkt'), { recursive: true, force: true });
    if (when === 'open') await remove();
    const w = await store.newPart('bkt', upload.uploadId);
    await w.write(Buffer.from('x')).catch(() => undefined);
    if (when === 'publish') await remove();
    await expect(w.commit({ partNumber: 1, size: 1, etag: 'e' })).rejects.toBeInstanceOf(gone === 'upload' ? NoSuchUploadError : NoSuchBucketError);
  });

  it('removes the folders of deletions left half done when it starts, and nothing else', async () => {
    await mkdir(join(dataDir, '.deleted-old-123', 'objects'), { recursive: true });
    await writeFile(join(dataDir, '.deleted-old-123', 'objects', 'x'), 'x');
    await new BucketStore(dataDir).swept;
    expect(await readdir(dataDir)).toEqual(['bkt']);
    await new BucketStore(join(dataDir, 'none')).swept;
  });

  it('leaves the upload and no temporary file when a completion is refused or its commit fails', async () => {
    const upload = await store.createUpload('bkt', { key: 'k', contentType: '', metadata: {}, initiated: '' });
    await expect(store.completeUpload('bkt', upload.uploadId, [1], (part) => {
      expect(part).toBeUndefined();
      throw new Error('no such part');
    }, () => meta('k', 0))).rejects.toThrow('no such part');
    await rm(join(dataDir, 'bkt', 'bucket.json'));
    await expect(store.completeUpload('bkt', upload.uploadId, [], () => undefined, () => meta('k', 0))).rejects.toBeInstanceOf(NoSuchBucketError);
    expect((await readdir(join(dataDir, 'bkt'))).filter((f) => f.startsWith('upload-'))).toEqual([]);
  });

  it.each([['shorter than a length', 'ab'], ['a length past its size', 'CHECKED']])('refuses a file that is not one of its own (%s) with a plain error', async (_name, content) => {
    await writeFile(join(dataDir, 'bkt', 'objects', Buffer.from('bad').toString('hex')), content);
    await expect(store.openObject('bkt', 'bad')).rejects.toThrow('Not a file of this store');
  });

  it('refuses an object whose record gives another size than its data, and closes the file', async () => {
    const json = Buffer.from(JSON.stringify(meta('bad', 10)));
    const length = Buffer.alloc(4);
    length.writeUInt32BE(json.length);
    const path = join(dataDir, 'bkt', 'objects', Buffer.from('bad').toString('hex'));
    await writeFile(path, Buffer.concat([Buffer.from('abc'), json, length]));
    const before = (await readdir('/proc/self/fd')).length;
    await expect(store.openObject('bkt', 'bad')).rejects.toThrow('Not a file of this store');
    expect((await readdir('/proc/self/fd')).length).toBe(before);
  });
});
