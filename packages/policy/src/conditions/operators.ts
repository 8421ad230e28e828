/**
 * The registry of condition operators, and the parser of operator names with their
 * `ForAllValues:`/`ForAnyValue:` qualifier and `IfExists` suffix.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 */
import type { ConditionOperatorName } from '../types.js';
import type { OperatorDefinition } from './operator-definition.js';
import { STRING_OPERATORS } from './string-operators.js';
import { NUMERIC_OPERATORS } from './numeric-operators.js';
import { DATE_OPERATORS } from './date-operators.js';
import { BOOL_OPERATOR } from './bool-operator.js';
import { BINARY_OPERATOR } from './binary-operator.js';
import { IP_ADDRESS_OPERATORS } from './ip-address-operators.js';
import { ARN_OPERATORS } from './arn-operators.js';

/** Every operator but Null (which tests presence and is compiled on its own), by name. */
export const OPERATORS: ReadonlyMap<string, OperatorDefinition> = new Map(
  [...STRING_OPERATORS, ...NUMERIC_OPERATORS, ...DATE_OPERATORS, BOOL_OPERATOR, BINARY_OPERATOR, ...IP_ADDRESS_OPERATORS, ...ARN_OPERATORS].map(
    (d) => [d.name, d],
  ),
);

/** An operator name taken apart. */
export interface OperatorName {
  base: ConditionOperatorName;
  qualifier?: 'ForAllValues' | 'ForAnyValue';
  ifExists: boolean;
}

/**
 * Splits `ForAnyValue:StringLikeIfExists` into its parts, or returns an error message.
 * Names are case-sensitive, as AWS spells them.
 */
export function parseOperatorName(name: string): OperatorName | { error: string } {
  let rest = name;
  let qualifier: OperatorName['qualifier'];
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    const q = rest.slice(0, colon);
    if (q !== 'ForAllValues' && q !== 'ForAnyValue') return { error: `unknown set operator \`${q}\` in \`${name}\`: use \`ForAllValues\` or \`ForAnyValue\`` };
    qualifier = q;
    rest = rest.slice(colon + 1);
  }
  let ifExists = false;
  if (rest.endsWith('IfExists')) {
    ifExists = true;
    rest = rest.slice(0, -'IfExists'.length);
  }
  if (rest === 'Null') {
    if (ifExists || qualifier) return { error: `\`${name}\` is not a condition operator: \`Null\` takes no qualifier and no \`IfExists\`` };
    return { base: 'Null', ifExists: false };
  }
  if (!OPERATORS.has(rest)) return { error: `unknown condition operator \`${name}\`` };
  return qualifier ? { base: rest as ConditionOperatorName, qualifier, ifExists } : { base: rest as ConditionOperatorName, ifExists };
}
