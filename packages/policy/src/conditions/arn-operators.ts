/**
 * ArnEquals, ArnLike, ArnNotEquals, ArnNotLike. AWS documents ArnEquals and ArnLike alike: each
 * colon-separated part is compared case-sensitively and may hold `*` and `?`. AWS compares "each of
 * the six colon-delimited components of the ARN" separately, so a request value that is not an ARN
 * (`111122223333` for `aws:PrincipalAccount`) is a value these operators cannot read: it matches no
 * pattern, even `1111*`, and a negated form in an Allow grants nothing on it.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
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
    reads: (v) => isArn(scalarText(v)),
    checkValue: () => undefined,
    compileValue: (parts) => {
      const pattern = compileArnPattern(parts);
      return (v, view) => {
        const text = scalarText(v);
        return isArn(text) && matchArnPattern(pattern, text, view) === true;
      };
    },
  };
}

/** `arn:` and at least five more colons: the six components AWS compares. */
function isArn(text: string): boolean {
  if (!text.startsWith('arn:')) return false;
  let colons = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 58 && ++colons === 5) return true;
  return false;
}

/** The ARN operators. */
export const ARN_OPERATORS: readonly OperatorDefinition[] = [
  def('ArnEquals', false),
  def('ArnLike', false),
  def('ArnNotEquals', true),
  def('ArnNotLike', true),
];
