/**
 * The bounds of a name search over an IAM list (IAM's list calls cannot filter by name, so the
 * console reads pages and filters them): how far the read goes, and how many matches are drawn.
 */

/** A search reads at most this many entries: beyond it the user is asked to refine. */
export const SEARCH_READ_LIMIT = 10_000;
/** At most this many matching rows are drawn; the count of all matches is shown beside them. */
export const SEARCH_SHOW_LIMIT = 200;

/**
 * The next page size a search should ask for, or 0 when it should stop: the list is read to its end
 * (`marker` undefined) or `read` entries are already in hand. The last page is trimmed so the read
 * stops at `limit` rather than past it.
 */
export function nextSearchPage(read: number, marker: string | undefined, limit: number, pageSize: number): number {
  if (marker === undefined || read >= limit) return 0;
  return Math.min(pageSize, limit - read);
}

/** The first `max` entries that `matches`, and how many match in all (counted without copying the rest). */
export function firstMatches<T>(items: readonly T[], matches: (item: T) => boolean, max: number): { shown: T[]; total: number } {
  const shown: T[] = [];
  let total = 0;
  for (const item of items) {
    if (!matches(item)) continue;
    total++;
    if (shown.length < max) shown.push(item);
  }
  return { shown, total };
}
