/**
 * NumericEquals, NumericNotEquals, NumericLessThan(Equals), NumericGreaterThan(Equals).
 * Policy variables are not supported (AWS); a request value that is not a number never matches.
 */
import type { OperatorDefinition } from './operator-definition.js';
import { parseNumber, scalarNumber } from './context-value.js';
import type { ConditionOperatorName } from '../types.js';

type Compare = (request: number, policy: number) => boolean;

function def(name: ConditionOperatorName, negated: boolean, compare: Compare): OperatorDefinition {
  return {
    name,
    negated,
    supportsVariables: false,
    checkValue: (value) => (Number.isNaN(parseNumber(value)) ? `\`${value}\` is not a number` : undefined),
    compileValue: (parts) => {
      const want = parseNumber(parts.map((p) => (p as { text: string }).text).join(''));
      return (v) => {
        const n = scalarNumber(v);
        return !Number.isNaN(n) && compare(n, want);
      };
    },
  };
}

/** The numeric operators. */
export const NUMERIC_OPERATORS: readonly OperatorDefinition[] = [
  def('NumericEquals', false, (a, b) => a === b),
  def('NumericNotEquals', true, (a, b) => a === b),
  def('NumericLessThan', false, (a, b) => a < b),
  def('NumericLessThanEquals', false, (a, b) => a <= b),
  def('NumericGreaterThan', false, (a, b) => a > b),
  def('NumericGreaterThanEquals', false, (a, b) => a >= b),
];
