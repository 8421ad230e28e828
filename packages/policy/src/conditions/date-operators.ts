/**
 * DateEquals, DateNotEquals, DateLessThan(Equals), DateGreaterThan(Equals). Values are ISO 8601
 * dates or epoch seconds; policy variables are not supported (AWS).
 */
import { parseDate, scalarDate } from './context-value.js';
import { orderedOperators } from './ordered-operators.js';

/** The date operators. */
export const DATE_OPERATORS = orderedOperators({
  prefix: 'Date',
  parse: parseDate,
  scalar: scalarDate,
  notAValue: (value) => `\`${value}\` is not a date (ISO 8601, or seconds since the epoch)`,
});
