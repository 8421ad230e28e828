/**
 * ArnEquals, ArnLike, ArnNotEquals, ArnNotLike. AWS documents ArnEquals and ArnLike alike: each
 * colon-separated part is compared case-sensitively and may hold `*` and `?`.
 */
import type { OperatorDefinition } from './operator-definition.js';
import { scalarText } from './context-value.js';
import { compileArnPattern, matchArnPattern } from '../compile/arn-pattern.js';
import type { ConditionOperatorName } from '../types.js';

function def(name: ConditionOperatorName, negated: boolean): OperatorDefinition {
  return {
    name,
    negated,
    supportsVariables: true,
    checkValue: () => undefined,
    compileValue: (parts) => {
      const pattern = compileArnPattern(parts);
      return (v, view) => matchArnPattern(pattern, scalarText(v), view) === true;
    },
  };
}

/** The ARN operators. */
export const ARN_OPERATORS: readonly OperatorDefinition[] = [
  def('ArnEquals', false),
  def('ArnLike', false),
  def('ArnNotEquals', true),
  def('ArnNotLike', true),
];
