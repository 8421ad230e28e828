/**
 * Buckets and objects on local disk: `<dataDir>/<bucket>/bucket.json` (owner, creation time,
 * policy) and `<dataDir>/<bucket>/objects/<encoded key>` with a `.meta.json` beside each object.
 * Object files are written to a temporary name and renamed, so a reader never sees half an object.
 *
 * @module
 */
import { createReadStream, createWriteStream, type ReadStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** A bucket's record. */
export interface Bucket {
  name: string;
  ownerAccountId: string;
  createdAt: string;
  policy?: string;
}

/** An object's metadata. */
export interface ObjectMeta {
  key: string;
  size: number;
  etag: string;
  lastModified: string;
  contentType: string;
}

/** The file name of a key: the hex of its UTF-8 bytes, safe for any key. */
const fileOf = (key: string): string => Buffer.from(key, 'utf8').toString('hex');

/** The on-disk store of the example server. */
export class BucketStore {
  constructor(private readonly dataDir: string) {}

  private dir(bucket: string): string {
    return join(this.dataDir, bucket);
  }

  async getBucket(name: string): Promise<Bucket | undefined> {
    try {
      return JSON.parse(await readFile(join(this.dir(name), 'bucket.json'), 'utf8')) as Bucket;
    } catch {
      return undefined;
    }
  }

  async createBucket(bucket: Bucket): Promise<void> {
    await mkdir(join(this.dir(bucket.name), 'objects'), { recursive: true });
    await writeFile(join(this.dir(bucket.name), 'bucket.json'), JSON.stringify(bucket));
  }

  async putBucket(bucket: Bucket): Promise<void> {
    const tmp = join(this.dir(bucket.name), `bucket.json.${randomBytes(6).toString('hex')}`);
    await writeFile(tmp, JSON.stringify(bucket));
    await rename(tmp, join(this.dir(bucket.name), 'bucket.json'));
  }

  /** A writer for a new object: write the data, then `commit` (or `abort`). */
  async newObject(bucket: string): Promise<{ stream: NodeJS.WritableStream; commit(meta: ObjectMeta): Promise<void>; abort(): Promise<void> }> {
    const tmp = join(this.dir(bucket), `upload-${randomBytes(8).toString('hex')}`);
    const stream = createWriteStream(tmp);
    const closed = new Promise<void>((resolve, reject) => {
      stream.on('close', resolve);
      stream.on('error', reject);
    });
    return {
      stream,
      commit: async (meta) => {
        stream.end();
        await closed;
        const file = join(this.dir(bucket), 'objects', fileOf(meta.key));
        await writeFile(`${file}.meta.json`, JSON.stringify(meta));
        await rename(tmp, file);
      },
      abort: async () => {
        stream.destroy();
        await closed.catch(() => undefined);
        await rm(tmp, { force: true });
      },
    };
  }

  async getObject(bucket: string, key: string): Promise<{ meta: ObjectMeta; open(): ReadStream } | undefined> {
    const file = join(this.dir(bucket), 'objects', fileOf(key));
    try {
      await stat(file);
      const meta = JSON.parse(await readFile(`${file}.meta.json`, 'utf8')) as ObjectMeta;
      return { meta, open: () => createReadStream(file) };
    } catch {
      return undefined;
    }
  }

  async deleteObject(bucket: string, key: string): Promise<void> {
    const file = join(this.dir(bucket), 'objects', fileOf(key));
    await rm(file, { force: true });
    await rm(`${file}.meta.json`, { force: true });
  }

  /** Every object of a bucket, sorted by key. */
  async listObjects(bucket: string): Promise<ObjectMeta[]> {
    const files = await readdir(join(this.dir(bucket), 'objects'));
    const out: ObjectMeta[] = [];
    for (const f of files) {
      if (f.endsWith('.meta.json')) continue;
      try {
        out.push(JSON.parse(await readFile(join(this.dir(bucket), 'objects', `${f}.meta.json`), 'utf8')) as ObjectMeta);
      } catch {
        // An object being replaced: its metadata is rewritten before the rename.
      }
    }
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
}
