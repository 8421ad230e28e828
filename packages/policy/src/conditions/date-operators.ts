/**
 * DateEquals, DateNotEquals, DateLessThan(Equals), DateGreaterThan(Equals). Values are ISO 8601
 * dates or epoch seconds; policy variables are not supported (AWS).
 */
import type { OperatorDefinition } from './operator-definition.js';
import { parseDate, scalarDate } from './context-value.js';
import type { ConditionOperatorName } from '../types.js';

type Compare = (request: number, policy: number) => boolean;

function def(name: ConditionOperatorName, negated: boolean, compare: Compare): OperatorDefinition {
  return {
    name,
    negated,
    supportsVariables: false,
    checkValue: (value) =>
      Number.isNaN(parseDate(value)) ? `\`${value}\` is not a date (ISO 8601, or seconds since the epoch)` : undefined,
    compileValue: (parts) => {
      const want = parseDate(parts.map((p) => (p as { text: string }).text).join(''));
      return (v) => {
        const t = scalarDate(v);
        return !Number.isNaN(t) && compare(t, want);
      };
    },
  };
}

/** The date operators. */
export const DATE_OPERATORS: readonly OperatorDefinition[] = [
  def('DateEquals', false, (a, b) => a === b),
  def('DateNotEquals', true, (a, b) => a === b),
  def('DateLessThan', false, (a, b) => a < b),
  def('DateLessThanEquals', false, (a, b) => a <= b),
  def('DateGreaterThan', false, (a, b) => a > b),
  def('DateGreaterThanEquals', false, (a, b) => a >= b),
];
