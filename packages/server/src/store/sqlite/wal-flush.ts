import { open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * `fdatasync` of a WAL file on libuv's thread pool, for commits made with `synchronous = NORMAL`
 * (which do not sync the WAL themselves): once `flush()` resolves, every frame written before it
 * was called is on disk, as a FULL commit would have left it. The file stays open between flushes.
 * The first flush of each opened handle also syncs the folder, as SQLite does for a WAL file it has
 * just created (after a restart the first write makes it anew; without this its directory entry,
 * and so every frame in it, could be lost to a crash after the flush resolved).
 */
export class WalFlush {
  #handle: Promise<FileHandle> | undefined;

  constructor(private readonly walFile: string) {}

  async flush(): Promise<void> {
    this.#handle ??= openSyncingFolder(this.walFile);
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

/** Opens `file` for `datasync`, after syncing the folder that holds its directory entry. */
async function openSyncingFolder(file: string): Promise<FileHandle> {
  const folder = await open(dirname(file), 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
  return open(file, 'r');
}
