/**
 * Reading the files the advisor commands take: whole folders of AWS exports, gzipped or not.
 * The advisor core is pure; this is its I/O edge.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** File access for the advisor commands, replaceable in tests. */
export interface AdvisorFiles {
  /** The file's text; gzip (by its magic bytes) is undone. */
  readText(path: string): Promise<string>;
  /** Every file under `dir` (recursively), sorted; `[dir]` when it is a file. */
  list(dir: string): Promise<string[]>;
}

export const NODE_ADVISOR_FILES: AdvisorFiles = {
  readText: async (path) => {
    const bytes = await readFile(path);
    return (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString('utf8');
  },
  list: async (dir) => {
    if (!(await stat(dir)).isDirectory()) return [dir];
    const names = await readdir(dir, { recursive: true, withFileTypes: true });
    return names
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath ?? (e as unknown as { path: string }).path, e.name))
      .sort();
  },
};

/**
 * CloudTrail's digest files and their signatures (`…/CloudTrail-Digest/…_CloudTrail-Digest_….json.gz[.sig]`):
 * they sit beside the log files in every trail folder (`AWSLogs/` as synced from S3, Castellan's
 * own export) and hold no events, so the commands skip them without naming each one.
 */
export function isTrailDigestFile(path: string): boolean {
  return /(^|[\\/])CloudTrail-Digest[\\/]|_CloudTrail-Digest_/.test(path);
}
