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

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?([Zz]|[+-]\d{2}:?\d{2})?$/;
const EPOCH = /^\d+(\.\d+)?$/;

/**
 * Milliseconds since the epoch for an ISO 8601 date (UTC when no zone is given) or epoch seconds,
 * or NaN. AWS accepts both forms in Date condition values.
 */
export function parseDate(text: string): number {
  const t = text.trim();
  if (EPOCH.test(t)) return Math.round(Number(t) * 1000);
  const m = ISO_DATE.exec(t);
  if (!m) return NaN;
  let iso = `${m[1]}-${m[2]}-${m[3]}T${m[4] ?? '00'}:${m[5] ?? '00'}:${m[6] ?? '00'}${m[7] ?? ''}`;
  const zone = m[8];
  iso += !zone || zone === 'z' ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
  const ms = Date.parse(iso);
  // Date.parse rolls impossible days over (`2020-02-30` is 1 March); a date that does not exist is
  // not a date. The calendar date is checked before the zone offset applies.
  const day = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (day.getUTCDate() !== Number(m[3]) || day.getUTCMonth() !== Number(m[2]) - 1) return NaN;
  return ms;
}

/** The time of a context value in milliseconds since the epoch, or NaN. Numbers are epoch seconds. */
export function scalarDate(v: ContextScalar): number {
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'number') return Number.isFinite(v) ? v * 1000 : NaN;
  if (typeof v === 'string') return parseDate(v);
  return NaN;
}
