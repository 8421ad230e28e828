/**
 * NumericEquals, NumericNotEquals, NumericLessThan(Equals), NumericGreaterThan(Equals).
 * Policy variables are not supported (AWS); a request value that is not a number never matches.
 */
import { parseNumber, scalarNumber } from './context-value.js';
import { orderedOperators } from './ordered-operators.js';

/** The numeric operators. */
export const NUMERIC_OPERATORS = orderedOperators({
  prefix: 'Numeric',
  parse: parseNumber,
  scalar: scalarNumber,
  notAValue: (value) => `\`${value}\` is not a number`,
});
