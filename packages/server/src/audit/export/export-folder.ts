/**
 * The export folder as an object store: keys are CloudTrail's object names relative to the folder,
 * objects are gzip files written atomically (temporary file, fsync, rename) so a crash never
 * leaves half a log file behind.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat, utimes } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import { gunzip as gunzipCb, gzip as gzipCb } from 'node:zlib';

const gzip = promisify(gzipCb);
const gunzip = promisify(gunzipCb);

/** Writes `content` gzipped (for `.gz` keys) or as is, atomically. */
export async function writeObject(root: string, key: string, content: string): Promise<void> {
  const path = join(root, ...key.split('/'));
  await mkdir(dirname(path), { recursive: true });
  const body = key.endsWith('.gz') ? await gzip(Buffer.from(content, 'utf8')) : Buffer.from(content, 'utf8');
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(tmp, 'wx', 0o644);
  try {
    await handle.writeFile(body);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, path);
  await syncDir(dirname(path));
}

/**
 * Syncs a folder, so the renames into it survive a power loss: the export journal is only worth
 * anything if it is on disk before the files it names.
 */
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch (err) {
    // Some file systems refuse to sync a folder; what they keep is then up to them.
    if (!['EINVAL', 'EISDIR', 'EPERM', 'EBADF'].includes((err as NodeJS.ErrnoException).code ?? '')) throw err;
  } finally {
    await handle.close();
  }
}

/** Removes the temporary files that interrupted writes of `key` left beside it. */
export async function removeTemporaries(root: string, key: string): Promise<void> {
  const path = join(root, ...key.split('/'));
  const prefix = `${basename(path)}.`;
  let names: string[];
  try {
    names = await readdir(dirname(path));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  for (const n of names) {
    if (n.startsWith(prefix) && /^[0-9a-f]{12}\.tmp$/.test(n.slice(prefix.length))) await rm(join(dirname(path), n), { force: true });
  }
}

/** Reads an object (gunzipped for `.gz` keys), or `undefined` if it does not exist. Throws on a corrupt gzip. */
export async function readObject(root: string, key: string): Promise<string | undefined> {
  let raw: Buffer;
  try {
    raw = await readFile(join(root, ...key.split('/')));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  return key.endsWith('.gz') ? (await gunzip(raw)).toString('utf8') : raw.toString('utf8');
}

/** Removes an object if present. */
export async function removeObject(root: string, key: string): Promise<void> {
  await rm(join(root, ...key.split('/')), { force: true });
}

/** Every object key under `AWSLogs/`, sorted. Temporary files of interrupted writes are skipped. */
export async function listObjects(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() && !e.name.endsWith('.tmp')) out.push(relative(root, p).split(sep).join('/'));
    }
  };
  await walk(join(root, 'AWSLogs'));
  return out.sort();
}

/**
 * Runs `fn` holding the folder's export lock, so the server's schedule and `castellan trail export`
 * never write the same digest chain at once. The lock names its holder (pid, host and a token of
 * this acquisition): one whose process is gone from this host (killed, crashed) is taken over at
 * once; any other lock only once it is older than `staleMs` (a holder on another host, or whose pid
 * was reused, may be alive; a live holder renews its lock's mtime). A waiter gives up after about
 * five seconds.
 */
export async function withExportLock<T>(root: string, fn: () => Promise<T>, staleMs = 10 * 60_000): Promise<T> {
  await mkdir(root, { recursive: true });
  const path = join(root, '.castellan-export.lock');
  const mine = `${process.pid} ${hostname()} ${randomBytes(8).toString('hex')}\n`;
  const abandoned = (text: string, mtimeMs: number) => Date.now() - mtimeMs > staleMs || holderIsGone(text);
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(path, 'wx', 0o644);
      await handle.writeFile(mine);
      await handle.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const st = await stat(path).catch(() => undefined);
      const holder = await readFile(path, 'utf8').catch(() => '');
      if (st && abandoned(holder, st.mtimeMs) && (await takeOver(path, abandoned))) continue;
      if (attempt >= 50) throw new Error(`export folder \`${root}\` is locked by another export (remove \`${path}\` if no export is running)`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  // The lock's age is its file's mtime: renewed while the export runs, however long it takes, so
  // only a holder that stopped (or hangs) lets its lock go stale.
  const beat = setInterval(() => {
    const now = new Date();
    utimes(path, now, now).catch(() => undefined);
  }, Math.max(10, Math.min(60_000, staleMs / 4)));
  beat.unref();
  try {
    return await fn();
  } finally {
    clearInterval(beat);
    // Only our own lock: one taken over from us as stale belongs to its new holder.
    if ((await readFile(path, 'utf8').catch(() => '')) === mine) await rm(path, { force: true });
  }
}

/**
 * Removes an abandoned lock while holding a takeover marker, after reading it again under the
 * marker: two waiters that both saw the dead holder's lock must not both remove it, or the second
 * would remove the lock the first has taken meanwhile. `false` when another waiter is taking over.
 */
async function takeOver(path: string, abandoned: (text: string, mtimeMs: number) => boolean): Promise<boolean> {
  const marker = `${path}.takeover`;
  try {
    await (await open(marker, 'wx', 0o644)).close();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    // A takeover takes milliseconds: a marker this old was left by a waiter that died in it.
    const st = await stat(marker).catch(() => undefined);
    if (st && Date.now() - st.mtimeMs > 10_000) await rm(marker, { force: true });
    return false;
  }
  try {
    const st = await stat(path).catch(() => undefined);
    const text = await readFile(path, 'utf8').catch(() => undefined);
    if (st && text !== undefined && abandoned(text, st.mtimeMs)) await rm(path, { force: true });
    return true;
  } finally {
    await rm(marker, { force: true });
  }
}

/** Whether a lock's `pid host [token]` text names a process of this host that no longer runs. */
function holderIsGone(text: string): boolean {
  const m = /^(\d+) (\S+)(?: \S+)?\n?$/.exec(text);
  if (!m || m[2] !== hostname() || Number(m[1]) === process.pid) return false;
  try {
    process.kill(Number(m[1]), 0); // signal 0: only asks whether the process exists
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH'; // EPERM: it exists, run by another user
  }
}
