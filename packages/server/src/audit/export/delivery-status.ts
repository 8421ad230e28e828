/**
 * When an account's trail last delivered, read from the export folder itself (the exporter's own
 * state): the newest digest file name of the account, over its regions. Every export run that
 * writes log files for an account and region signs a digest for them in the same run, named after
 * the run's delivery second, so the newest digest's time is also when its newest log files were
 * delivered (to the second; a second run within the same second names its digest one second later).
 *
 * Only the newest day folders are read, so the cost does not grow with the trail's history.
 *
 * @module
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** When a trail last delivered log files and digest files (absent: never, in this folder). */
export interface TrailDeliveries {
  latestDelivery?: Date;
  latestDigestDelivery?: Date;
}

const DIGEST_NAME = /_CloudTrail-Digest_[a-z0-9-]+_.+_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z\.json\.gz$/;

async function entries(dir: string, pattern: RegExp): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((n) => pattern.test(n)).sort().reverse();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/** The delivery time a digest's name carries, or undefined if the name is not a digest's. */
function digestTime(fileName: string): Date | undefined {
  const m = DIGEST_NAME.exec(fileName);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s));
}

/** The newest digest time under one region's `YYYY/MM/DD` folders. */
async function newestInRegion(regionDir: string): Promise<Date | undefined> {
  for (const y of await entries(regionDir, /^\d{4}$/)) {
    for (const m of await entries(join(regionDir, y), /^\d{2}$/)) {
      for (const d of await entries(join(regionDir, y, m), /^\d{2}$/)) {
        const times = (await entries(join(regionDir, y, m, d), DIGEST_NAME)).map(digestTime).filter((t): t is Date => t !== undefined);
        if (times.length > 0) return new Date(Math.max(...times.map((t) => t.getTime())));
      }
    }
  }
  return undefined;
}

/**
 * The latest deliveries of `accountId`'s trail in the export folder `exportDir` (nothing when the
 * folder holds none of its files).
 *
 * @example
 * ```ts
 * const { latestDigestDelivery } = await readDeliveryStatus(join(dataDir, 'trail'), '123456789012');
 * ```
 */
export async function readDeliveryStatus(exportDir: string, accountId: string): Promise<TrailDeliveries> {
  if (!/^\d{12}$/.test(accountId)) return {};
  const digestRoot = join(exportDir, 'AWSLogs', accountId, 'CloudTrail-Digest');
  let newest: Date | undefined;
  for (const region of await entries(digestRoot, /^[a-z0-9-]+$/)) {
    const t = await newestInRegion(join(digestRoot, region));
    if (t && (!newest || t > newest)) newest = t;
  }
  return newest ? { latestDelivery: newest, latestDigestDelivery: newest } : {};
}
