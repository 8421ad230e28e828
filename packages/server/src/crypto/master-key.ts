import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { MASTER_KEY_BYTES, parseMasterKey } from '../domain/master-key-text.js';

export { parseMasterKey };

/** The file, inside the data directory, that holds a generated master key (base64, one line). */
export const MASTER_KEY_FILE = 'master.key';

/** Where the master key came from. */
export type MasterKeySource = 'env' | 'file' | 'generated';

/** The loaded master key. */
export interface MasterKey {
  key: Buffer;
  source: MasterKeySource;
  /** The key file's path, when the key lives in (or was just written to) a file. */
  path?: string;
  /** Problems worth logging that do not stop start-up (e.g. a key file readable by others). */
  warnings: string[];
}


/**
 * The master key that encrypts secrets at rest.
 *
 * `CASTELLAN_MASTER_KEY` (hex or base64) wins; otherwise `<dataDir>/master.key` is read, or created
 * with 32 random bytes and mode 0600 (exclusively, so two servers starting at once cannot write two
 * different keys). A key file that group or others can read is used but reported in `warnings`.
 *
 * @example
 * ```ts
 * const { key } = await loadOrCreateMasterKey('./data', process.env);
 * const secretBox = new SecretBox(key);
 * ```
 */
export async function loadOrCreateMasterKey(dataDir: string, env: Record<string, string | undefined>): Promise<MasterKey> {
  const fromEnv = env['CASTELLAN_MASTER_KEY'];
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    return { key: parseMasterKey(fromEnv, 'CASTELLAN_MASTER_KEY'), source: 'env', warnings: [] };
  }
  const path = join(dataDir, MASTER_KEY_FILE);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  // Written to a temporary file and hard-linked into place: link() fails if the name exists, so
  // two servers starting at once agree on one key and neither ever reads a half-written file.
  const key = randomBytes(MASTER_KEY_BYTES);
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(`${key.toString('base64')}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(temp, path);
    return { key, source: 'generated', path, warnings: [] };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(temp);
  }
  const warnings: string[] = [];
  const { mode } = await stat(path);
  if ((mode & 0o077) !== 0) {
    warnings.push(`master key file \`${path}\` is readable by group or others (mode ${(mode & 0o777).toString(8)}); chmod 600 it`);
  }
  return { key: parseMasterKey(await readFile(path, 'utf8'), `master key file \`${path}\``), source: 'file', path, warnings };
}

/** A fresh random master key, for `--ephemeral` servers and tests whose data dies with them. */
export function generateMasterKey(): Buffer {
  return randomBytes(MASTER_KEY_BYTES);
}
