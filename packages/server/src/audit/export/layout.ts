/**
 * CloudTrail's object names for log and digest files, so that tools written for a CloudTrail
 * bucket read an export folder unchanged.
 *
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-examples.html
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html
 */

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

function dayPath(d: Date): string {
  return `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`;
}

/** `YYYYMMDDTHHmmZ`, the minute stamp of log file names. */
export function minuteStamp(d: Date): string {
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}Z`;
}

/** `YYYYMMDDTHHmmssZ`, the second stamp of digest file names. */
export function secondStamp(d: Date): string {
  return `${minuteStamp(d).slice(0, -1)}${pad(d.getUTCSeconds())}Z`;
}

/** The time a {@link secondStamp} names, or undefined if the text is not one. */
export function parseSecondStamp(stamp: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(stamp);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s));
}

/**
 * `AWSLogs/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHmmZ_UNIQUE.json.gz`,
 * dated by delivery time. `unique` is CloudTrail's 16-character string that prevents overwrites.
 */
export function logFileKey(accountId: string, region: string, deliveredAt: Date, unique: string): string {
  return `AWSLogs/${accountId}/CloudTrail/${region}/${dayPath(deliveredAt)}/${accountId}_CloudTrail_${region}_${minuteStamp(deliveredAt)}_${unique}.json.gz`;
}

/**
 * `AWSLogs/ACCOUNT/CloudTrail-Digest/REGION/YYYY/MM/DD/ACCOUNT_CloudTrail-Digest_REGION_TRAIL_HOMEREGION_YYYYMMDDTHHmmssZ.json.gz`,
 * dated by the digest's end time.
 */
export function digestFileKey(accountId: string, region: string, trailName: string, homeRegion: string, digestEnd: Date): string {
  return `AWSLogs/${accountId}/CloudTrail-Digest/${region}/${dayPath(digestEnd)}/${accountId}_CloudTrail-Digest_${region}_${trailName}_${homeRegion}_${secondStamp(digestEnd)}.json.gz`;
}

/**
 * The sidecar that holds a digest's signature. CloudTrail keeps it in the S3 object's
 * `x-amz-meta-signature` metadata, which a plain folder does not have; copy it there when
 * uploading an export to S3.
 */
export function signatureFileKey(digestKey: string): string {
  return `${digestKey}.sig`;
}

/** The parts of a log file name, or `undefined` if the name is not one. */
export function parseLogFileKey(key: string): { accountId: string; region: string } | undefined {
  const m = /^AWSLogs\/(\d{12})\/CloudTrail\/([a-z0-9-]+)\/\d{4}\/\d{2}\/\d{2}\/\1_CloudTrail_\2_\d{8}T\d{4}Z_[A-Za-z0-9]+\.json\.gz$/.exec(key);
  return m ? { accountId: m[1]!, region: m[2]! } : undefined;
}

/** The parts of a digest file name, or `undefined` if the name is not one. */
export function parseDigestFileKey(key: string): { accountId: string; region: string; stamp: string } | undefined {
  const m = /^AWSLogs\/(\d{12})\/CloudTrail-Digest\/([a-z0-9-]+)\/\d{4}\/\d{2}\/\d{2}\/\1_CloudTrail-Digest_\2_.+_(\d{8}T\d{6}Z)\.json\.gz$/.exec(key);
  return m ? { accountId: m[1]!, region: m[2]!, stamp: m[3]! } : undefined;
}

/** The body of a log file: CloudTrail's `{"Records":[...]}` around the stored record texts, unchanged. */
export function logFileBody(recordJsons: readonly string[]): string {
  return `{"Records":[${recordJsons.join(',')}]}`;
}
