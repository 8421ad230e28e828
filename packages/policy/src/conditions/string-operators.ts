/**
 * StringEquals, StringNotEquals, StringEqualsIgnoreCase, StringNotEqualsIgnoreCase, StringLike,
 * StringNotLike. Case-sensitive except the IgnoreCase forms; `*` and `?` only in the Like forms.
 */
import { globMatch, tokenize } from '../compile/glob.js';
import { resolveText, resolveTokens } from '../compile/template.js';
import type { OperatorDefinition, ValueTest } from './operator-definition.js';
import { scalarText } from './context-value.js';
import type { TemplatePart } from '../parse/policy-variables.js';
import type { ConditionOperatorName } from '../types.js';

function equalsTest(parts: readonly TemplatePart[], hasVariables: boolean, ignoreCase: boolean): ValueTest {
  if (!hasVariables) {
    const text = parts.map((p) => (p as { text: string }).text).join('');
    const want = ignoreCase ? text.toLowerCase() : text;
    return ignoreCase ? (v) => scalarText(v).toLowerCase() === want : (v) => scalarText(v) === want;
  }
  return (v, view) => {
    const want = resolveText(parts, view);
    if (want === undefined) return false;
    return ignoreCase ? scalarText(v).toLowerCase() === want.toLowerCase() : scalarText(v) === want;
  };
}

function likeTest(parts: readonly TemplatePart[], hasVariables: boolean): ValueTest {
  const tokens = tokenize(parts, true);
  return (v, view) => {
    const resolved = resolveTokens(tokens, hasVariables, view);
    return resolved !== undefined && globMatch(resolved, scalarText(v));
  };
}

const any = (): undefined => undefined;

function def(name: ConditionOperatorName, negated: boolean, kind: 'equals' | 'ignoreCase' | 'like'): OperatorDefinition {
  return {
    name,
    negated,
    supportsVariables: true,
    checkValue: any,
    compileValue: (parts, hasVariables) =>
      kind === 'like' ? likeTest(parts, hasVariables) : equalsTest(parts, hasVariables, kind === 'ignoreCase'),
  };
}

/** The string operators. */
export const STRING_OPERATORS: readonly OperatorDefinition[] = [
  def('StringEquals', false, 'equals'),
  def('StringNotEquals', true, 'equals'),
  def('StringEqualsIgnoreCase', false, 'ignoreCase'),
  def('StringNotEqualsIgnoreCase', true, 'ignoreCase'),
  def('StringLike', false, 'like'),
  def('StringNotLike', true, 'like'),
];
