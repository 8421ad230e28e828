import { StoreInvalidCursorError } from '../store-errors.js';

/** The page size when a caller gives none (AWS's default `MaxItems`). */
export const DEFAULT_MAX_ITEMS = 100;

/** A keyset position: the sort-key values of the last row of a page. */
export type MarkerKey = Array<string | number>;

/**
 * Encodes the sort key of a page's last row as an opaque marker (base64url JSON, prefixed with a
 * tag naming the listing so a marker from one listing is refused by another).
 *
 * @internal
 */
export function encodeMarker(tag: string, key: MarkerKey): string {
  return Buffer.from(JSON.stringify([tag, ...key]), 'utf8').toString('base64url');
}

/**
 * Decodes a marker from `encodeMarker(tag, …)` whose values have the given types.
 * Throws `StoreInvalidCursorError` for anything else.
 *
 * @internal
 */
export function decodeMarker(tag: string, marker: string, types: Array<'string' | 'number'>): MarkerKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(marker, 'base64url').toString('utf8'));
  } catch (cause) {
    throw new StoreInvalidCursorError({ cause });
  }
  if (!Array.isArray(parsed) || parsed.length !== types.length + 1 || parsed[0] !== tag) throw new StoreInvalidCursorError();
  const key = parsed.slice(1) as unknown[];
  key.forEach((value, i) => {
    if (typeof value !== types[i] || (typeof value === 'number' && !Number.isSafeInteger(value))) throw new StoreInvalidCursorError();
  });
  return key as MarkerKey;
}

/** Page size from a request, defaulting to 100 and never below 1. @internal */
export function pageSize(maxItems: number | undefined): number {
  return Math.max(1, Math.floor(maxItems ?? DEFAULT_MAX_ITEMS));
}

/**
 * Cuts `rows` (fetched with `limit + 1`) into a page: truncated when the extra row came back, with
 * the marker of the last row kept.
 *
 * @internal
 */
export function toPage<R, T>(rows: R[], limit: number, tag: string, keyOf: (row: R) => MarkerKey, map: (row: R) => T) {
  const isTruncated = rows.length > limit;
  const kept = isTruncated ? rows.slice(0, limit) : rows;
  const last = kept[kept.length - 1];
  return {
    items: kept.map(map),
    isTruncated,
    ...(isTruncated && last !== undefined ? { marker: encodeMarker(tag, keyOf(last)) } : {}),
  };
}
