/**
 * Timestamps as the Query and JSON protocols receive them. Anything JavaScript cannot represent as a
 * valid `Date` (beyond ±8.64e15 ms, i.e. years past ±275760) is refused here, so an invalid Date never
 * reaches validation, a service or the store (where `toISOString` would throw and answer 500).
 */

/** Epoch seconds (fractions allowed) -> Date, or `undefined` when not finite or out of range. */
export function fromEpochSeconds(seconds: number): Date | undefined {
  if (!Number.isFinite(seconds)) return undefined;
  const d = new Date(seconds * 1000);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** Query: epoch seconds as digits, or ISO 8601 (see `parseIsoTimestamp`) -> Date; `undefined` otherwise. */
export function parseTimestamp(raw: string): Date | undefined {
  if (/^\d{1,20}(\.\d{1,20})?$/.test(raw)) return fromEpochSeconds(Number(raw));
  return parseIsoTimestamp(raw);
}

/**
 * ISO 8601 as the SDKs send it (`2023-11-14T22:13:20Z`, `2023-11-14`) -> Date; `undefined` for anything
 * else (`Date.parse` alone would also take `Dec 5` or `1`).
 */
export function parseIsoTimestamp(raw: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}/.test(raw)) return undefined;
  const ms = Date.parse(raw);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}
