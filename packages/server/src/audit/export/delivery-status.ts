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
import { parseDigestFileKey, parseSecondStamp } from './layout.js';

/** When a trail last delivered log files and digest files (absent: never, in this folder). */
export interface TrailDeliveries {
  latestDelivery?: Date;
  latestDigestDelivery?: Date;
}

async function entries(dir: string, pattern: RegExp): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((n) => pattern.test(n)).sort().reverse();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/** The delivery time the digest at `key` (relative to the export folder) carries, or undefined if it is no digest's. */
function digestTime(key: string): Date | undefined {
  const parts = parseDigestFileKey(key);
  return parts ? parseSecondStamp(parts.stamp) : undefined;
}

/** The newest digest time under one region's `YYYY/MM/DD` folders (`regionKey` relative to the export folder). */
async function newestInRegion(exportDir: string, regionKey: string): Promise<Date | undefined> {
  const regionDir = join(exportDir, regionKey);
  for (const y of await entries(regionDir, /^\d{4}$/)) {
    for (const m of await entries(join(regionDir, y), /^\d{2}$/)) {
      for (const d of await entries(join(regionDir, y, m), /^\d{2}$/)) {
        const day = `${regionKey}/${y}/${m}/${d}`;
        const times = (await entries(join(exportDir, day), /\.json\.gz$/)).map((name) => digestTime(`${day}/${name}`)).filter((t): t is Date => t !== undefined);
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
  const digestRoot = `AWSLogs/${accountId}/CloudTrail-Digest`;
  let newest: Date | undefined;
  for (const region of await entries(join(exportDir, digestRoot), /^[a-z0-9-]+$/)) {
    const t = await newestInRegion(exportDir, `${digestRoot}/${region}`);
    if (t && (!newest || t > newest)) newest = t;
  }
  return newest ? { latestDelivery: newest, latestDigestDelivery: newest } : {};
}
