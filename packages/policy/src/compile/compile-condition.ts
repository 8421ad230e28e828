/**
 * Compiles one condition clause into a test, applying AWS's rules for missing keys, `…IfExists`,
 * negated operators, `ForAllValues:`/`ForAnyValue:` and `Null`.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
 */
import type { ConditionClause } from '../types.js';
import type { ContextScalar, ContextValue } from '../conditions/context-value.js';
import { OPERATORS } from '../conditions/operators.js';
import type { ValueTest } from '../conditions/operator-definition.js';
import { parseTemplate } from '../parse/policy-variables.js';
import { keyRef, type RequestView } from './request-view.js';

/** A compiled clause: true when the condition holds for the request. */
export type ClauseTest = (view: RequestView) => boolean;

/** The result of compiling a clause the parser never produces (an unknown operator). */
export interface ClauseError {
  readonly error: string;
}

function present(v: ContextValue | undefined): v is ContextValue {
  return v !== undefined && !(Array.isArray(v) && v.length === 0);
}

/**
 * Compiles a clause of an Allow or Deny statement. Semantics, from AWS's condition operator reference:
 * - a key missing from the request (or an empty list) makes the clause false, except that it is
 *   true for negated operators (StringNotEquals, ArnNotLike…), for `…IfExists`, and for
 *   `ForAllValues:`; `ForAnyValue:` is false (and so on an empty string, an empty data set to AWS), with or without `IfExists` (AWS ignores `IfExists` on
 *   set operators: a public re:Post question reports AWS denying with `ForAnyValue:StringLikeIfExists`
 *   on a missing key, and https://iam.cloudcopilot.io/resources/operators/ForAnyValue:StringNotEqualsIfExists
 *   documents the same from tests against AWS);
 * - several values of one key are OR-ed, and NOR-ed for a negated operator;
 * - `ForAllValues:` is true when every request value matches (for a negated operator: matches no
 *   policy value); `ForAnyValue:` when at least one does;
 * - a condition without a set operator on a multivalued request value (a list, e.g. `aws:TagKeys`):
 *   AWS documents that "multivalued context keys require a condition set operator" and not what it
 *   decides without one, so the clause takes the answer that grants less: false in an Allow, true
 *   in a Deny. https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
 * - a negated operator on a request value it cannot read (`NumericNotEquals` on `ten`) is false in
 *   an Allow (fail closed: it must not grant on what it could not compare) and true in a Deny.
 */
export function compileClause(clause: ConditionClause, variablesEnabled: boolean, effect: 'Allow' | 'Deny' = 'Allow'): ClauseTest | ClauseError {
  const key = keyRef(clause.key);
  // AWS stores a key with an empty value list and does not say what it decides: grant less.
  if (clause.values.length === 0) {
    const holds = effect === 'Deny';
    return () => holds;
  }
  if (clause.base === 'Null') {
    const wantAbsent = clause.values.map((v) => v.toLowerCase() === 'true');
    return (view) => {
      // AWS pairs `Null: false` with ForAllValues "to check if the context key in the request
      // exists and its value is not null": an empty string counts as null there too.
      const v = view.lookup(key);
      const absent = !present(v) || v === '';
      return wantAbsent.some((w) => w === absent);
    };
  }
  const definition = OPERATORS.get(clause.base);
  if (!definition) return { error: `unknown condition operator \`${clause.operator}\`` };
  const tests: ValueTest[] = clause.values.map((value) => {
    const t = parseTemplate(value, variablesEnabled && definition.supportsVariables);
    // The parser has rejected malformed variables; treat any that slipped through as literal text.
    const parts = t.ok ? t.parts : [{ text: value, escaped: false }];
    return definition.compileValue(parts, t.ok && t.hasVariables);
  });
  const negated = definition.negated;
  const deny = effect === 'Deny';
  const { qualifier, ifExists } = clause;
  // Only a negated operator in an Allow statement has to know whether a value was readable.
  const reads = negated && !deny ? definition.reads : undefined;

  const matchesAny = (v: ContextScalar, view: RequestView): boolean => {
    for (let i = 0; i < tests.length; i++) if (tests[i]!(v, view)) return true;
    return false;
  };
  const unreadable = (raw: ContextValue): boolean => {
    if (!Array.isArray(raw)) return !reads!(raw as ContextScalar);
    for (const v of raw as readonly ContextScalar[]) if (!reads!(v)) return true;
    return false;
  };

  return (view) => {
    const raw = view.lookup(key);
    if (!present(raw)) {
      if (qualifier === 'ForAllValues') return true;
      if (qualifier === 'ForAnyValue') return false;
      return ifExists || negated;
    }
    if (qualifier === 'ForAllValues') {
      // AWS: ForAllValues "also returns true if ... the context key value resolves to a null
      // dataset, such as an empty string".
      // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition_examples-multi-valued-context-keys.html
      if (raw === '') return true;
      if (reads && unreadable(raw)) return false;
      if (Array.isArray(raw)) {
        for (const v of raw as readonly ContextScalar[]) if (matchesAny(v, view) === negated) return false;
        return true;
      }
      return matchesAny(raw as ContextScalar, view) !== negated;
    }
    if (qualifier === 'ForAnyValue') {
      // AWS: "If the key values in the request resolve to an empty data set (for example, an empty
      // string), a condition operator modified by ForAllValues returns true, and a condition
      // operator modified by ForAnyValue returns false."
      // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_multi-value-conditions.html
      if (raw === '') return false;
      if (reads && unreadable(raw)) return false;
      if (Array.isArray(raw)) {
        for (const v of raw as readonly ContextScalar[]) if (matchesAny(v, view) !== negated) return true;
        return false;
      }
      return matchesAny(raw as ContextScalar, view) !== negated;
    }
    if (reads && unreadable(raw)) return false;
    if (Array.isArray(raw)) return deny;
    return matchesAny(raw as ContextScalar, view) !== negated;
  };
}
