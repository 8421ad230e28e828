/**
 * The six ordered comparisons shared by the Numeric* and Date* families: Equals, NotEquals,
 * LessThan(Equals), GreaterThan(Equals). A family differs only in how it reads a value; policy
 * variables are not supported (AWS), and a request value that does not parse never matches.
 */
import type { OperatorDefinition } from './operator-definition.js';
import type { ContextScalar } from './context-value.js';
import type { ConditionOperatorName } from '../types.js';

/** How one family reads values. */
export interface OrderedFamily {
  /** `Numeric` or `Date`: the operator names' prefix. */
  prefix: 'Numeric' | 'Date';
  /** Parses a policy value; `NaN` when it is not one. */
  parse(text: string): number;
  /** Reads a request value; `NaN` when it is not one. */
  scalar(value: ContextScalar): number;
  /** The validation message for a policy value that does not parse. */
  notAValue(text: string): string;
}

const COMPARISONS: ReadonlyArray<[suffix: string, negated: boolean, compare: (request: number, policy: number) => boolean]> = [
  ['Equals', false, (a, b) => a === b],
  ['NotEquals', true, (a, b) => a === b],
  ['LessThan', false, (a, b) => a < b],
  ['LessThanEquals', false, (a, b) => a <= b],
  ['GreaterThan', false, (a, b) => a > b],
  ['GreaterThanEquals', false, (a, b) => a >= b],
];

/** The six operators of a family. */
export function orderedOperators(family: OrderedFamily): readonly OperatorDefinition[] {
  return COMPARISONS.map(([suffix, negated, compare]): OperatorDefinition => ({
    name: `${family.prefix}${suffix}` as ConditionOperatorName,
    negated,
    supportsVariables: false,
    reads: (v) => !Number.isNaN(family.scalar(v)),
    checkValue: (value) => (Number.isNaN(family.parse(value)) ? family.notAValue(value) : undefined),
    compileValue: (parts) => {
      const want = family.parse(parts.map((p) => (p as { text: string }).text).join(''));
      return (v) => {
        const n = family.scalar(v);
        return !Number.isNaN(n) && compare(n, want);
      };
    },
  }));
}
