/**
 * How CloudTrail renders API parameters: member names in camelCase (`UserName` -> `userName`),
 * tags as `{ key, value }`, and timestamps inside request parameters and response elements in
 * the Java `MMM d, yyyy h:mm:ss a` form real IAM records carry (`"createDate": "Oct 22, 2024
 * 3:21:35 PM"`: no comma after the year), in UTC.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** The last second formatted by `formatEventTime` (events come in bursts within one second). */
let lastSecond = NaN;
let lastEventTime = '';

/** CloudTrail's `eventTime` form: ISO 8601 in UTC without milliseconds (`2023-01-27T21:46:39Z`). */
export function formatEventTime(d: Date): string {
  const second = Math.floor(d.getTime() / 1000);
  if (second === lastSecond) return lastEventTime;
  const iso = d.toISOString();
  // `YYYY-MM-DDTHH:mm:ss.sssZ` has 24 characters; years past 9999 have a sign and six digits.
  lastEventTime = iso.length === 24 ? `${iso.slice(0, 19)}Z` : iso.replace(/\.\d{3}Z$/, 'Z');
  lastSecond = second;
  return lastEventTime;
}

/** A timestamp inside `requestParameters`/`responseElements`, as AWS renders IAM dates. */
export function formatElementDate(d: Date): string {
  const h24 = d.getUTCHours();
  const h12 = h24 % 12 === 0 ? 12 : h24 % 12;
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  const ss = String(d.getUTCSeconds()).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()} ${h12}:${mm}:${ss} ${h24 < 12 ? 'AM' : 'PM'}`;
}

/** `UserName` -> `userName`, `SAMLAssertion` -> `sAMLAssertion` (AWS lowers only the first letter). */
export function camelMemberName(name: string): string {
  return name.length === 0 ? name : name[0]!.toLowerCase() + name.slice(1);
}

/**
 * Members whose value is a map keyed by the caller's own words, which CloudTrail shows as written:
 * a chained AssumeRole's `"incomingTransitiveTags": {"Department": "Engineering"}`, a federation
 * call's `"principalTags": {"CostCenter": "987654"}` (the token's session tags).
 */
export const VERBATIM_KEY_MEMBERS: ReadonlySet<string> = new Set(['IncomingTransitiveTags', 'PrincipalTags']);

/**
 * Converts decoded AWS input or output (PascalCase members, `Date` timestamps, `Uint8Array`
 * blobs) into CloudTrail's JSON rendering. Undefined members are dropped; blobs become base64.
 * `keepKeys`: the keys of this object are data ({@link VERBATIM_KEY_MEMBERS}), not member names.
 */
export function toCloudTrailStyle(value: unknown, keepKeys = false): unknown {
  if (value === null || value === undefined) return value;
  if (value instanceof Date) return formatElementDate(value);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map((v) => toCloudTrailStyle(v));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined) continue;
      out[keepKeys ? k : camelMemberName(k)] = toCloudTrailStyle(v, !keepKeys && VERBATIM_KEY_MEMBERS.has(k));
    }
    return out;
  }
  if (typeof value === 'bigint') return Number(value);
  return value;
}
