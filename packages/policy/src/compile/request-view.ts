/**
 * What compiled matchers may ask of the request being evaluated.
 * @internal
 */
import type { ContextValue } from '../conditions/context-value.js';
import type { VariableRef } from '../parse/policy-variables.js';

/** The request as compiled matchers see it. */
export interface RequestView {
  /** The value of a condition key (case-insensitive), or undefined when the request lacks it. */
  lookup(keyLower: string, keyAsWritten: string): ContextValue | undefined;
  /**
   * The text of a policy variable, its default when the key is missing, or undefined when it
   * cannot be resolved (missing without default, or multivalued): the statement then does not match.
   */
  resolveVariable(ref: VariableRef): string | undefined;
}
