/**
 * The names of every condition operator Castellan understands (without qualifier or IfExists).
 */
import type { ConditionOperatorName } from '../types.js';
import { OPERATORS } from './operators.js';

/** Every base operator name, `Null` included: for editors and documentation. */
export const CONDITION_OPERATOR_NAMES: readonly ConditionOperatorName[] = Object.freeze([
  ...(OPERATORS.keys() as IterableIterator<ConditionOperatorName>),
  'Null',
]);
