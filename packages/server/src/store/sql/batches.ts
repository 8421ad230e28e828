/**
 * Splitting and folding the lists that methods take in one call.
 *
 * @internal
 * @module
 */

/** Rows per multi-row `INSERT` (well below either database's bound-parameter limit). */
export const INSERT_CHUNK = 200;
/** Values per `IN (…)` list. */
export const IN_CHUNK = 500;

/** The distinct values, in first-seen order. */
export function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

/** `values` cut into consecutive slices of at most `size`. */
export function chunks<T>(values: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}

/** `rows` grouped by `key`, each group in the order of `rows`. */
export function groupBy<R, T>(rows: R[], key: (row: R) => string, map: (row: R) => T, into = new Map<string, T[]>()): Map<string, T[]> {
  for (const row of rows) {
    const k = key(row);
    const list = into.get(k);
    if (list) list.push(map(row));
    else into.set(k, [map(row)]);
  }
  return into;
}

/** One entry per key, the one with the latest date. */
export function latestBy<T>(items: T[], key: (item: T) => string, date: (item: T) => Date): T[] {
  const latest = new Map<string, T>();
  for (const item of items) {
    const current = latest.get(key(item));
    if (!current || date(item).getTime() > date(current).getTime()) latest.set(key(item), item);
  }
  return [...latest.values()];
}
