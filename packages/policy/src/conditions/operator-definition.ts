/**
 * The shape every condition operator implements. One file per operator family, one registry.
 * @internal
 */
import type { ConditionOperatorName } from '../types.js';
import type { TemplatePart } from '../parse/policy-variables.js';
import type { RequestView } from '../compile/request-view.js';
import type { ContextScalar } from './context-value.js';

/** Compares one request value with one policy value (the positive form of the operator). */
export type ValueTest = (requestValue: ContextScalar, view: RequestView) => boolean;

/** A condition operator: how to check its policy values and how to compare. */
export interface OperatorDefinition {
  readonly name: ConditionOperatorName;
  /** A negated operator (StringNotEquals…) is true when no policy value matches (logical NOR). */
  readonly negated: boolean;
  /** Whether `${…}` in its values is a policy variable (AWS lists this per operator family). */
  readonly supportsVariables: boolean;
  /** A message when a policy value cannot be used with this operator. */
  checkValue(value: string): string | undefined;
  /**
   * Whether the operator can read a request value (a number, a date, an address, an ARN). Absent:
   * every value is readable. A negated operator in an Allow statement grants nothing on a value it
   * cannot read (fail closed), rather than counting it as "not equal".
   */
  readonly reads?: (requestValue: ContextScalar) => boolean;
  /** Builds the comparison for one policy value. */
  compileValue(parts: readonly TemplatePart[], hasVariables: boolean): ValueTest;
}
