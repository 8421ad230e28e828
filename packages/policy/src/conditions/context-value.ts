/**
 * Conversions of request context values to what each operator family compares.
 */

/** One value of a context key. */
export type ContextScalar = string | number | boolean | Date;
/** A context key's value as the caller supplies it: one value or a list. */
export type ContextValue = ContextScalar | readonly ContextScalar[];

/** The text of a context value, as AWS renders it (dates in ISO 8601, booleans lowercase). */
export function scalarText(v: ContextScalar): string {
  if (typeof v === 'string') return v;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString();
  return String(v);
}

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** A number, or NaN when the text is not a decimal number. */
export function parseNumber(text: string): number {
  return DECIMAL.test(text.trim()) ? Number(text) : NaN;
}

/** The numeric value of a context value, or NaN. */
export function scalarNumber(v: ContextScalar): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return parseNumber(v);
  return NaN;
}

/**
 * AWS reads Date condition values with a Java ISO 8601 parser (Joda-Time's): a year with an optional
 * month and day, then optionally `T` (either case), an optional time of 1-2 digit fields with up to
 * nine fraction digits, and an optional offset (`Z`, `+HH`, `+HH:mm`, `+HHmm`). So partial dates
 * (`2020`, `2020-06`, `01T`), negative years (`-292275054`) and lowercase `t` are dates; an offset of
 * one digit (`+1`) or ten fraction digits are not. A value without `T`/`t` or `-` is seconds since
 * the epoch: digits only, at most Java's Long.MAX_VALUE (`1.5` and `9223372036854775808` are not).
 * Cases recorded against AWS: getmoto/moto tests/test_iam/test_iam_policies.py ("The policy failed
 * legacy parsing" for `234-13`, `2016-12-13t2:00:00.593194+1`, `9223372036854775808`; accepted:
 * `01T`, `2016-12-13t2:00:00.593194+23`, `-292275054`).
 */
const ISO_DATE =
  /^(-?\d{1,9})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[Tt](?:(\d{1,2})(?::(\d{1,2})(?::(\d{1,2})(?:[.,](\d{1,9}))?)?)?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;
const EPOCH = /^\d{1,19}$/;
const LONG_MAX = '9223372036854775807';
/** Joda-Time's year range. */
const MIN_YEAR = -292275054;
const MAX_YEAR = 292278993;
/** Years JavaScript's Date can hold; a valid year outside them is before or after any request. */
const JS_MIN_YEAR = -271820;
const JS_MAX_YEAR = 275759;

/**
 * Milliseconds since the epoch for a Date condition value (see {@link ISO_DATE}), or NaN when AWS
 * would not read it. A year beyond what JavaScript's Date holds is -Infinity or +Infinity.
 */
export function parseDate(text: string): number {
  if (EPOCH.test(text)) {
    if (text.length === 19 && text > LONG_MAX) return NaN;
    return Number(text) * 1000;
  }
  const m = ISO_DATE.exec(text);
  if (!m) return NaN;
  const year = Number(m[1]);
  const month = m[2] === undefined ? 1 : Number(m[2]);
  const day = m[3] === undefined ? 1 : Number(m[3]);
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return NaN;
  let offsetMinutes = 0;
  const zone = m[8];
  if (zone !== undefined && zone !== 'Z' && zone !== 'z') {
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = digits.length > 2 ? Number(digits.slice(2)) : 0;
    if (oh > 23 || om > 59) return NaN;
    offsetMinutes = (zone[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  // A day that the month does not have is refused, as Joda-Time's parser does (`2020-02-30`).
  const probe = new Date(0);
  probe.setUTCFullYear(year < JS_MIN_YEAR || year > JS_MAX_YEAR ? 2000 : year, month - 1, day);
  if (day < 1 || probe.getUTCDate() !== day) return NaN;
  if (year < JS_MIN_YEAR) return -Infinity;
  if (year > JS_MAX_YEAR) return Infinity;
  probe.setUTCHours(hour, minute, second, 0);
  const fraction = m[7] === undefined ? 0 : Number(`0.${m[7]}`) * 1000;
  return probe.getTime() + fraction - offsetMinutes * 60_000;
}

/** The time of a context value in milliseconds since the epoch, or NaN. Numbers are epoch seconds. */
export function scalarDate(v: ContextScalar): number {
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'number') return Number.isFinite(v) ? v * 1000 : NaN;
  if (typeof v === 'string') return parseDate(v);
  return NaN;
}
