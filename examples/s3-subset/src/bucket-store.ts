/**
 * Buckets and objects on local disk: `<dataDir>/<bucket>/bucket.json` (owner, creation time,
 * policy) and `<dataDir>/<bucket>/objects/<encoded key>` with a `.meta.json` beside each object.
 * Object files are written to a temporary name and renamed, so a reader never sees half an object.
 *
 * @module
 */
import { createReadStream, createWriteStream, type ReadStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { StoredChecksum } from './checksums.js';

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
  /** The flexible checksum the upload declared (verified), returned on request as S3 does. */
  checksum?: StoredChecksum;
  /** User metadata (`x-amz-meta-*`), by lower-case name without the prefix. */
  metadata?: Record<string, string>;
}

/** A multipart upload in progress: `<dataDir>/<bucket>/uploads/<uploadId>/`. */
export interface UploadRecord {
  uploadId: string;
  key: string;
  contentType: string;
  metadata: Record<string, string>;
  initiated: string;
}

/** An uploaded part's record. */
export interface PartRecord {
  partNumber: number;
  size: number;
  etag: string;
  checksum?: StoredChecksum;
}

/** The file name of a key: the hex of its UTF-8 bytes, safe for any key. */
const fileOf = (key: string): string => Buffer.from(key, 'utf8').toString('hex');

/** A file being written under a temporary name: `write` the data, then `commit` (or `abort`). */
export interface PendingFile<T> {
  /** Resolves once the file has taken the data (waiting while the disk is behind); rejects on a write error. */
  write(data: Buffer): Promise<void>;
  /** Finishes the file and publishes it with `record`; rejects with any write error met before. */
  commit(record: T): Promise<void>;
  abort(): Promise<void>;
}

function pendingFile<T>(tmp: string, publish: (record: T) => Promise<void>): PendingFile<T> {
  const stream = createWriteStream(tmp);
  // The error is kept at once (a rejection nobody awaited yet would end the process) and given to
  // the next write or the commit.
  let failure: Error | undefined;
  stream.on('error', (err) => void (failure ??= err));
  const closed = new Promise<void>((resolve) => stream.on('close', resolve));
  return {
    write: async (data) => {
      if (failure || stream.destroyed) throw failure ?? new Error('The file was closed');
      if (!stream.write(data)) {
        await new Promise<void>((resolve) => {
          const done = () => {
            stream.off('drain', done).off('close', done);
            resolve();
          };
          stream.on('drain', done).on('close', done);
        });
      }
      if (failure) throw failure;
    },
    commit: async (record) => {
      stream.end();
      await closed;
      if (failure) throw failure;
      await publish(record);
    },
    abort: async () => {
      stream.destroy();
      await closed;
      await rm(tmp, { force: true });
    },
  };
}

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

  /** Every bucket, sorted by name. */
  async listBuckets(): Promise<Bucket[]> {
    let names: string[];
    try {
      names = await readdir(this.dataDir);
    } catch {
      return [];
    }
    const out: Bucket[] = [];
    for (const name of names.sort()) {
      const b = await this.getBucket(name);
      if (b) out.push(b);
    }
    return out;
  }

  /** Removes a bucket (the caller checked it holds no object). */
  async deleteBucket(name: string): Promise<void> {
    await rm(this.dir(name), { recursive: true, force: true });
  }

  /** A writer for a new object: write the data, then `commit` (or `abort`). */
  async newObject(bucket: string): Promise<PendingFile<ObjectMeta>> {
    const tmp = join(this.dir(bucket), `upload-${randomBytes(8).toString('hex')}`);
    return pendingFile(tmp, async (meta) => {
      const file = join(this.dir(bucket), 'objects', fileOf(meta.key));
      await writeFile(`${file}.meta.json`, JSON.stringify(meta));
      await rename(tmp, file);
    });
  }

  /**
   * An object's metadata, and `open` for its data: it opens the file before it resolves, so a
   * caller answers headers only for data it holds (an object deleted meanwhile rejects, ENOENT).
   */
  async getObject(bucket: string, key: string): Promise<{ meta: ObjectMeta; open(range?: { start: number; end: number }): Promise<ReadStream> } | undefined> {
    const file = join(this.dir(bucket), 'objects', fileOf(key));
    try {
      await stat(file);
      const meta = JSON.parse(await readFile(`${file}.meta.json`, 'utf8')) as ObjectMeta;
      return { meta, open: async (range) => (await open(file, 'r')).createReadStream(range ?? {}) };
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

  private uploadDir(bucket: string, uploadId: string): string {
    // Upload ids are ours (hex); anything else names no upload rather than a path.
    return join(this.dir(bucket), 'uploads', /^[0-9a-f]{32}$/.test(uploadId) ? uploadId : 'none');
  }

  async createUpload(bucket: string, record: Omit<UploadRecord, 'uploadId'>): Promise<UploadRecord> {
    const upload = { uploadId: randomBytes(16).toString('hex'), ...record };
    await mkdir(this.uploadDir(bucket, upload.uploadId), { recursive: true });
    await writeFile(join(this.uploadDir(bucket, upload.uploadId), 'upload.json'), JSON.stringify(upload));
    return upload;
  }

  async getUpload(bucket: string, uploadId: string): Promise<UploadRecord | undefined> {
    try {
      return JSON.parse(await readFile(join(this.uploadDir(bucket, uploadId), 'upload.json'), 'utf8')) as UploadRecord;
    } catch {
      return undefined;
    }
  }

  /** A writer for one part, replacing an earlier part of the same number on commit. */
  async newPart(bucket: string, uploadId: string): Promise<PendingFile<PartRecord>> {
    const dir = this.uploadDir(bucket, uploadId);
    const tmp = join(dir, `tmp-${randomBytes(8).toString('hex')}`);
    return pendingFile(tmp, async (part) => {
      await writeFile(join(dir, `part-${part.partNumber}.json`), JSON.stringify(part));
      await rename(tmp, join(dir, `part-${part.partNumber}`));
    });
  }

  async getPart(bucket: string, uploadId: string, partNumber: number): Promise<PartRecord | undefined> {
    try {
      return JSON.parse(await readFile(join(this.uploadDir(bucket, uploadId), `part-${partNumber}.json`), 'utf8')) as PartRecord;
    } catch {
      return undefined;
    }
  }

  /** Joins the listed parts into the object `meta.key` and removes the upload. */
  async completeUpload(bucket: string, uploadId: string, partNumbers: number[], meta: ObjectMeta): Promise<void> {
    const dir = this.uploadDir(bucket, uploadId);
    const upload = await this.newObject(bucket);
    for (const n of partNumbers) for await (const chunk of createReadStream(join(dir, `part-${n}`))) await upload.write(chunk as Buffer);
    await upload.commit(meta);
    await rm(dir, { recursive: true, force: true });
  }

  async abortUpload(bucket: string, uploadId: string): Promise<void> {
    await rm(this.uploadDir(bucket, uploadId), { recursive: true, force: true });
  }
}
