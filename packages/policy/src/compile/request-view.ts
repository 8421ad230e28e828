/**
 * What compiled matchers may ask of the request being evaluated.
 * @internal
 */
import type { ContextValue } from '../conditions/context-value.js';
import type { VariableRef } from '../parse/policy-variables.js';

/** Keys AWS fills in from the principal, the resource and the clock when the context lacks them. */
export const DerivedKey = {
  None: 0,
  CurrentTime: 1,
  EpochTime: 2,
  PrincipalArn: 3,
  PrincipalAccount: 4,
  PrincipalType: 5,
  Username: 6,
  UserId: 7,
  ResourceAccount: 8,
  PrincipalTag: 9,
} as const;
/** One of the {@link DerivedKey} values. */
export type DerivedKey = (typeof DerivedKey)[keyof typeof DerivedKey];

/** A condition key prepared once at compile time, so lookups do no string work. */
export interface KeyRef {
  /** The key as written in the policy (tried first: the context usually spells it alike). */
  readonly written: string;
  readonly lower: string;
  readonly derived: DerivedKey;
  /** For `aws:PrincipalTag/<key>`: the tag key, lowercased. */
  readonly tag: string;
}

const DERIVED: Record<string, DerivedKey> = {
  'aws:currenttime': DerivedKey.CurrentTime,
  'aws:epochtime': DerivedKey.EpochTime,
  'aws:principalarn': DerivedKey.PrincipalArn,
  'aws:principalaccount': DerivedKey.PrincipalAccount,
  'aws:principaltype': DerivedKey.PrincipalType,
  'aws:username': DerivedKey.Username,
  'aws:userid': DerivedKey.UserId,
  'aws:resourceaccount': DerivedKey.ResourceAccount,
};
const TAG_PREFIX = 'aws:principaltag/';

/** Prepares a condition key for lookups. */
export function keyRef(written: string): KeyRef {
  const lower = written.toLowerCase();
  if (lower.startsWith(TAG_PREFIX)) return Object.freeze({ written, lower, derived: DerivedKey.PrincipalTag, tag: lower.slice(TAG_PREFIX.length) });
  return Object.freeze({ written, lower, derived: DERIVED[lower] ?? DerivedKey.None, tag: '' });
}

/** The request as compiled matchers see it. */
export interface RequestView {
  /** The value of a condition key (case-insensitive), or undefined when the request lacks it. */
  lookup(key: KeyRef): ContextValue | undefined;
  /**
   * The text of a policy variable, its default when the key is missing, or undefined when it has no
   * value (missing without default, or multivalued). The policy value holding it is then
   * effectively null: no request value equals it or is like it, so a positive operator does not
   * match on it and a negated one does; a Resource entry holding it matches no resource.
   * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html ("Policy variables with no value")
   */
  resolveVariable(ref: VariableRef): string | undefined;
}
