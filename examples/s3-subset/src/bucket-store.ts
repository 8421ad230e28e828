/**
 * Buckets and objects on local disk: `<dataDir>/<bucket>/bucket.json` (owner, creation time,
 * policy) and `<dataDir>/<bucket>/objects/<encoded key>`, one file per object: the data, then the
 * metadata as JSON, then that JSON's length (4 bytes, big-endian). A file is written under a
 * temporary name and renamed, so one rename publishes data and metadata together, and a reader who
 * opened a file reads one version of both, however the object is replaced or deleted meanwhile.
 * Parts are kept the same way.
 *
 * @module
 */
import { createWriteStream, existsSync } from 'node:fs';
import { link, mkdir, open, readdir, readFile, rename, rm, writeFile, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { join } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import type { StoredChecksum } from './checksums.js';

/** A bucket's record. */
export interface Bucket {
  name: string;
  ownerAccountId: string;
  createdAt: string;
  policy?: string;
}

/** The bucket was deleted meanwhile (while an object was being written to it, or by a concurrent deletion or listing). */
export class NoSuchBucketError extends Error {
  constructor(readonly bucket: string) {
    super(`No bucket ${bucket}`);
  }
}

/** The upload was aborted or completed meanwhile (while one of its parts was being written). */
export class NoSuchUploadError extends Error {
  constructor(readonly uploadId: string) {
    super(`No upload ${uploadId}`);
  }
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

/**
 * The file name of a key: the hex of its UTF-8 bytes, safe for any key; a key above 100 bytes (whose
 * hex would pass the 255 bytes a file name may have) by its SHA-256 instead. The key itself is in
 * the object's metadata, which listings read.
 */
function fileOf(key: string): string {
  const bytes = Buffer.from(key, 'utf8');
  return bytes.length <= 100 ? bytes.toString('hex') : `sha256-${createHash('sha256').update(bytes).digest('hex')}`;
}

/** A file being written under a temporary name: `write` the data, then `commit` (or `abort`). */
export interface PendingFile<T> {
  /** Resolves once the file has taken the data (waiting while the disk is behind); rejects on a write error. */
  write(data: Buffer): Promise<void>;
  /** Finishes the file with `record` after the data and publishes it; rejects with any write error met before, or the publication's (the file is then removed). */
  commit(record: T): Promise<void>;
  abort(): Promise<void>;
}

/** `err`, or when it says a path is missing (ENOENT), the error `missing` makes. */
function orMissing(err: Error, missing: () => Error): Error {
  return (err as NodeJS.ErrnoException).code === 'ENOENT' ? missing() : err;
}

/** `missing` makes the error for a folder of the temporary file that is gone (ENOENT). */
function pendingFile<T>(tmp: string, publish: (record: T) => Promise<void>, missing?: () => Error): PendingFile<T> {
  const stream = createWriteStream(tmp);
  // The error is kept at once (a rejection nobody awaited yet would end the process) and given to
  // the next write or the commit.
  let failure: Error | undefined;
  stream.on('error', (err) => void (failure ??= missing ? orMissing(err, missing) : err));
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
      const json = Buffer.from(JSON.stringify(record), 'utf8');
      const length = Buffer.alloc(4);
      length.writeUInt32BE(json.length);
      stream.end(Buffer.concat([json, length]));
      await closed;
      try {
        if (failure) throw failure;
        await publish(record);
      } catch (err) {
        await rm(tmp, { force: true });
        throw err;
      }
    },
    abort: async () => {
      stream.destroy();
      await closed;
      await rm(tmp, { force: true });
    },
  };
}

/** An open file of this store: its record, and the size of the data before it. */
async function readRecord<T>(file: FileHandle): Promise<{ record: T; dataSize: number }> {
  const { size } = await file.stat();
  const length = Buffer.alloc(4);
  if (size >= 4) await file.read(length, 0, 4, size - 4);
  if (size < 4 || length.readUInt32BE() > size - 4) throw new Error('Not a file of this store: too short for its record');
  const json = Buffer.alloc(length.readUInt32BE());
  await file.read(json, 0, json.length, size - 4 - json.length);
  return { record: JSON.parse(json.toString('utf8')) as T, dataSize: size - 4 - json.length };
}

/** A file's record, or undefined when there is no such file. */
async function recordOf<T>(path: string): Promise<T | undefined> {
  let file: FileHandle;
  try {
    file = await open(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    return (await readRecord<T>(file)).record;
  } finally {
    await file.close();
  }
}

/** An object opened for reading: its metadata, its data (by range) and `close`, which the caller owes. */
export interface OpenedObject {
  meta: ObjectMeta;
  /** The data; the file stays open until `close`. */
  read(range?: { start: number; end: number }): Readable;
  close(): Promise<void>;
}

/** The on-disk store of the example server. */
export class BucketStore {
  /** Per bucket, the end of the queue of its publications (see {@link locked}). */
  private readonly queues = new Map<string, Promise<void>>();

  /** Resolves once the folders of deletions a stopped process left half done are removed (best effort: never rejects). */
  readonly swept: Promise<void>;

  constructor(private readonly dataDir: string) {
    // A `.deleted-*` folder is a bucket already gone (see deleteBucketIfEmpty): nothing else removes it.
    this.swept = readdir(dataDir)
      .then((names) => Promise.allSettled(names.filter((n) => n.startsWith('.deleted-')).map((n) => rm(join(dataDir, n), { recursive: true, force: true }))))
      .then(() => undefined, () => undefined);
  }

  /**
   * Runs `fn` alone among the bucket's other locked steps (an object's publication with its
   * precondition, the bucket's deletion with its emptiness check). One process owns the folder,
   * so an in-process queue is enough; only these short steps wait in it, never a body.
   */
  private locked<T>(bucket: string, fn: () => Promise<T>): Promise<T> {
    const run = (this.queues.get(bucket) ?? Promise.resolve()).then(fn);
    const tail = run.then(() => undefined, () => undefined);
    this.queues.set(bucket, tail);
    void tail.then(() => {
      if (this.queues.get(bucket) === tail) this.queues.delete(bucket);
    });
    return run;
  }

  private dir(bucket: string): string {
    return join(this.dataDir, bucket);
  }

  async getBucket(name: string): Promise<Bucket | undefined> {
    // A dot-name is a bucket being deleted (see deleteBucketIfEmpty), never one to find.
    if (name.startsWith('.')) return undefined;
    try {
      return JSON.parse(await readFile(join(this.dir(name), 'bucket.json'), 'utf8')) as Bucket;
    } catch (err) {
      // Only a missing record means no bucket: a disk or permission error is a failure, not a 404.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  /**
   * Creates a bucket unless one of that name exists: `created` says which, `bucket` is the one that
   * holds the name. The record is linked into place, which fails if another is there: of two
   * concurrent creations exactly one wins, and nobody reads a half-written record. Queued under the
   * name, so it never interleaves with a deletion of the bucket of that name.
   */
  createBucket(bucket: Bucket): Promise<{ created: boolean; bucket: Bucket }> {
    return this.locked(bucket.name, () => this.createBucketNow(bucket));
  }

  private async createBucketNow(bucket: Bucket): Promise<{ created: boolean; bucket: Bucket }> {
    await mkdir(join(this.dir(bucket.name), 'objects'), { recursive: true });
    const tmp = join(this.dir(bucket.name), `bucket.json.${randomBytes(6).toString('hex')}`);
    await writeFile(tmp, JSON.stringify(bucket));
    try {
      await link(tmp, join(this.dir(bucket.name), 'bucket.json'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const existing = await this.getBucket(bucket.name);
      if (!existing) throw err;
      return { created: false, bucket: existing };
    } finally {
      await rm(tmp, { force: true });
    }
    return { created: true, bucket };
  }

  /**
   * Replaces a bucket's record (its policy), in the bucket's queue: a bucket deleted meanwhile, or
   * deleted and created again (another owner or creation time), is NoSuchBucketError, never given
   * the stale record.
   */
  putBucket(bucket: Bucket): Promise<void> {
    return this.locked(bucket.name, async () => {
      const current = await this.getBucket(bucket.name);
      if (!current || current.ownerAccountId !== bucket.ownerAccountId || current.createdAt !== bucket.createdAt) throw new NoSuchBucketError(bucket.name);
      const tmp = join(this.dir(bucket.name), `bucket.json.${randomBytes(6).toString('hex')}`);
      await writeFile(tmp, JSON.stringify(bucket));
      await rename(tmp, join(this.dir(bucket.name), 'bucket.json'));
    });
  }

  /** Every bucket, sorted by name. */
  async listBuckets(): Promise<Bucket[]> {
    let names: string[];
    try {
      names = await readdir(this.dataDir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const out: Bucket[] = [];
    for (const name of names.sort()) {
      const b = await this.getBucket(name);
      if (b) out.push(b);
    }
    return out;
  }

  /**
   * Removes a bucket if it holds no object, and says whether it did. Checked and removed in the
   * bucket's queue: an object published before is seen, one published after finds no bucket. The
   * folder is first renamed to a dot-name (one step: the bucket is there whole or not at all), then
   * removed outside the queue.
   */
  async deleteBucketIfEmpty(name: string): Promise<boolean> {
    const doomed = await this.locked(name, async () => {
      // Any object file is an object: counted, not read (the queue waits for this step). A folder
      // gone is a bucket another deletion removed first.
      const objects = await readdir(join(this.dir(name), 'objects')).catch((err: Error) => Promise.reject(orMissing(err, () => new NoSuchBucketError(name))));
      if (objects.length > 0) return undefined;
      const to = join(this.dataDir, `.deleted-${name}-${randomBytes(6).toString('hex')}`);
      await rename(this.dir(name), to);
      return to;
    });
    if (doomed === undefined) return false;
    await rm(doomed, { recursive: true, force: true });
    return true;
  }

  /**
   * A writer for a new object: write the data, then `commit` (or `abort`). `precondition` is given
   * the object the commit would replace, at the moment it replaces it, and may throw to refuse.
   */
  async newObject(bucket: string, precondition?: (existing: ObjectMeta | undefined) => void): Promise<PendingFile<ObjectMeta>> {
    const tmp = join(this.dir(bucket), `upload-${randomBytes(8).toString('hex')}`);
    return pendingFile(tmp, (meta) =>
      this.locked(bucket, async () => {
        if (!(await this.getBucket(bucket))) throw new NoSuchBucketError(bucket);
        const file = join(this.dir(bucket), 'objects', fileOf(meta.key));
        if (precondition) precondition(await recordOf<ObjectMeta>(file));
        await rename(tmp, file);
      }),
      // The bucket's folder went while the file was being made (DeleteBucket).
      () => new NoSuchBucketError(bucket),
    );
  }

  /**
   * Opens an object, or undefined when there is none: the metadata and the data are of one version
   * (the file is open), so the caller answers headers only for data it holds.
   */
  async openObject(bucket: string, key: string): Promise<OpenedObject | undefined> {
    let file: FileHandle;
    try {
      file = await open(join(this.dir(bucket), 'objects', fileOf(key)), 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    try {
      const { record: meta, dataSize } = await readRecord<ObjectMeta>(file);
      // A record whose size is not its data's would send headers the body cannot keep (a length,
      // a range past the data): refused before any header goes out.
      if (meta.size !== dataSize) throw new Error(`Not a file of this store: its record says ${meta.size} bytes, its data is ${dataSize}`);
      return {
        meta,
        read: (range) => {
          // The record follows the data: a range is never read past the data, whatever the metadata says.
          const end = Math.min(range?.end ?? dataSize - 1, dataSize - 1);
          return end < 0 ? Readable.from([]) : file.createReadStream({ start: range?.start ?? 0, end, autoClose: false });
        },
        close: () => file.close(),
      };
    } catch (err) {
      await file.close();
      throw err;
    }
  }

  /** An object's metadata, or undefined when there is none. */
  async headObject(bucket: string, key: string): Promise<ObjectMeta | undefined> {
    return recordOf<ObjectMeta>(join(this.dir(bucket), 'objects', fileOf(key)));
  }

  /**
   * Deletes an object (none is no error); `precondition` is given the object as it is deleted, and
   * may throw to refuse. Queued even without one: it must not land between a conditional write's
   * check and its rename.
   */
  async deleteObject(bucket: string, key: string, precondition?: (existing: ObjectMeta | undefined) => void): Promise<void> {
    const file = join(this.dir(bucket), 'objects', fileOf(key));
    await this.locked(bucket, async () => {
      if (precondition) precondition(await recordOf<ObjectMeta>(file));
      await rm(file, { force: true });
    });
  }

  /** Every object of a bucket, sorted by key. */
  async listObjects(bucket: string): Promise<ObjectMeta[]> {
    const dir = join(this.dir(bucket), 'objects');
    const out: ObjectMeta[] = [];
    const files = await readdir(dir).catch((err: Error) => Promise.reject(orMissing(err, () => new NoSuchBucketError(bucket))));
    for (const f of files) {
      // An object deleted since the folder was read is left out.
      const meta = await recordOf<ObjectMeta>(join(dir, f));
      if (meta) out.push(meta);
    }
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  private uploadDir(bucket: string, uploadId: string): string {
    // Upload ids are ours (hex); anything else names no upload rather than a path.
    return join(this.dir(bucket), 'uploads', /^[0-9a-f]{32}$/.test(uploadId) ? uploadId : 'none');
  }

  /** Starts an upload, in the bucket's queue: a bucket deleted meanwhile is NoSuchBucketError, its folder never made again. */
  createUpload(bucket: string, record: Omit<UploadRecord, 'uploadId'>): Promise<UploadRecord> {
    return this.locked(bucket, async () => {
      if (!(await this.getBucket(bucket))) throw new NoSuchBucketError(bucket);
      const upload = { uploadId: randomBytes(16).toString('hex'), ...record };
      await mkdir(this.uploadDir(bucket, upload.uploadId), { recursive: true });
      await writeFile(join(this.uploadDir(bucket, upload.uploadId), 'upload.json'), JSON.stringify(upload));
      return upload;
    });
  }

  async getUpload(bucket: string, uploadId: string): Promise<UploadRecord | undefined> {
    try {
      return JSON.parse(await readFile(join(this.uploadDir(bucket, uploadId), 'upload.json'), 'utf8')) as UploadRecord;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  /** A writer for one part, replacing an earlier part of the same number on commit. */
  async newPart(bucket: string, uploadId: string): Promise<PendingFile<PartRecord>> {
    const dir = this.uploadDir(bucket, uploadId);
    const tmp = join(dir, `tmp-${randomBytes(8).toString('hex')}`);
    // The upload's folder gone (AbortMultipartUpload, a completion, DeleteBucket) is the upload or
    // the bucket gone, never a 500. Checked synchronously, on this error path only.
    const missing = () => (existsSync(join(this.dir(bucket), 'bucket.json')) ? new NoSuchUploadError(uploadId) : new NoSuchBucketError(bucket));
    return pendingFile(tmp, (part) => rename(tmp, join(dir, `part-${part.partNumber}`)).catch((err: Error) => Promise.reject(orMissing(err, missing))), missing);
  }

  /**
   * Joins the parts `partNumbers` into one object and removes the upload. Each part is opened and
   * its record (undefined for a part not there) given at once to `check` (which may throw to refuse:
   * no further part is opened), then `build` is given them all to make the object's metadata from:
   * the records seen are those of the data copied, however a part is uploaded again meanwhile.
   */
  async completeUpload(
    bucket: string,
    uploadId: string,
    partNumbers: number[],
    check: (part: PartRecord | undefined, index: number) => void,
    build: (parts: PartRecord[]) => ObjectMeta,
  ): Promise<ObjectMeta> {
    const dir = this.uploadDir(bucket, uploadId);
    const opened: { file: FileHandle; record: PartRecord; dataSize: number }[] = [];
    const handles: FileHandle[] = [];
    try {
      for (const [i, n] of partNumbers.entries()) {
        let file: FileHandle;
        try {
          file = await open(join(dir, `part-${n}`), 'r');
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
          check(undefined, i);
          throw new Error(`Part ${n} is missing and was not refused`);
        }
        handles.push(file);
        const part = { file, ...(await readRecord<PartRecord>(file)) };
        check(part.record, i);
        opened.push(part);
      }
      const meta = build(opened.map((p) => p.record));
      const upload = await this.newObject(bucket);
      try {
        for (const p of opened) {
          if (p.dataSize > 0) for await (const chunk of p.file.createReadStream({ start: 0, end: p.dataSize - 1, autoClose: false })) await upload.write(chunk as Buffer);
        }
      } catch (err) {
        await upload.abort();
        throw err;
      }
      await upload.commit(meta);
      await rm(dir, { recursive: true, force: true });
      return meta;
    } finally {
      // Every file is closed, whichever close fails; a failed close never hides the error thrown above.
      await Promise.allSettled(handles.map((file) => file.close()));
    }
  }

  async abortUpload(bucket: string, uploadId: string): Promise<void> {
    await rm(this.uploadDir(bucket, uploadId), { recursive: true, force: true });
  }
}
