/**
 * One page of a bucket listing, as ListObjects and ListObjectsV2 compute it: keys under the prefix
 * after a starting point, keys that share a part up to the delimiter rolled up into one common
 * prefix, at most `maxKeys` entries (keys and common prefixes together).
 *
 * @module
 */
import type { ObjectMeta } from './bucket-store.js';

export interface ListingPage {
  contents: ObjectMeta[];
  commonPrefixes: string[];
  truncated: boolean;
  /** The last entry returned (a key or a common prefix): where the next page starts. */
  last?: string;
}

/**
 * `after` is exclusive; when it is a common prefix (a page ended on one), every key under it is
 * skipped too, so a prefix is never returned on two pages.
 */
export function listPage(sorted: ObjectMeta[], r: { prefix: string; delimiter?: string; maxKeys: number; after: string }): ListingPage {
  const { prefix, delimiter, maxKeys, after } = r;
  const rollUp = (key: string): string | undefined => {
    if (!delimiter) return undefined;
    const cut = key.indexOf(delimiter, prefix.length);
    return cut < 0 ? undefined : key.slice(0, cut + delimiter.length);
  };
  const afterIsPrefix = after !== '' && after.startsWith(prefix) && rollUp(after) === after;
  const page: ListingPage = { contents: [], commonPrefixes: [], truncated: false };
  // An empty page (max-keys=0) is not truncated: it has no last entry to continue from.
  if (maxKeys <= 0) return page;
  for (const o of sorted) {
    if (!o.key.startsWith(prefix) || o.key <= after || (afterIsPrefix && o.key.startsWith(after))) continue;
    const common = rollUp(o.key);
    if (common !== undefined && common === page.commonPrefixes[page.commonPrefixes.length - 1]) continue;
    if (page.contents.length + page.commonPrefixes.length >= maxKeys) {
      page.truncated = true;
      break;
    }
    if (common !== undefined) page.commonPrefixes.push(common);
    else page.contents.push(o);
    page.last = common ?? o.key;
  }
  return page;
}
