import { open, type FileHandle } from 'node:fs/promises';

/**
 * `fdatasync` of a WAL file on libuv's thread pool, for commits made with `synchronous = NORMAL`
 * (which do not sync the WAL themselves): once `flush()` resolves, every frame written before it
 * was called is on disk, as a FULL commit would have left it. The file stays open between flushes.
 */
export class WalFlush {
  #handle: Promise<FileHandle> | undefined;

  constructor(private readonly walFile: string) {}

  async flush(): Promise<void> {
    this.#handle ??= open(this.walFile, 'r');
    try {
      await (await this.#handle).datasync();
    } catch (err) {
      this.#handle = undefined;
      throw err;
    }
  }

  /** Closes the file handle (Node warns about handles left to the garbage collector). */
  async close(): Promise<void> {
    const handle = this.#handle;
    this.#handle = undefined;
    await (await handle?.catch(() => undefined))?.close();
  }
}
