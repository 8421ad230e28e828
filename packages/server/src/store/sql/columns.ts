/**
 * Conversions between row fields and columns, the same on both dialects (see `schema.ts`).
 *
 * @internal
 * @module
 */

/** A time as its epoch-milliseconds column value; an invalid `Date` throws. */
export function ms(date: Date): number {
  const t = date.getTime();
  if (!Number.isFinite(t)) throw new TypeError('invalid date');
  return t;
}

/** A nullable time column as an optional `Date`. */
export function optionalDate(value: number | string | null): Date | undefined {
  return value === null ? undefined : new Date(Number(value));
}

/** A time column as a `Date` (PostgreSQL's int8 may arrive as text). */
export function date(value: number | string): Date {
  return new Date(Number(value));
}
