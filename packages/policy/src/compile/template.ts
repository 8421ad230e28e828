/**
 * Resolving policy variables in compiled values.
 * @internal
 */
import { isVariable, type TemplatePart } from '../parse/policy-variables.js';
import type { GlobToken, PatternToken } from './glob.js';
import type { RequestView } from './request-view.js';

/** The text of a template with its variables resolved, or undefined when one cannot be. */
export function resolveText(parts: readonly TemplatePart[], view: RequestView): string | undefined {
  let out = '';
  for (const part of parts) {
    if (isVariable(part)) {
      const v = view.resolveVariable(part);
      if (v === undefined) return undefined;
      out += v;
    } else out += part.text;
  }
  return out;
}

/** Glob tokens with variables replaced by their (literal) values, or undefined when one cannot be. */
export function resolveTokens(tokens: readonly PatternToken[], hasVariables: boolean, view: RequestView): readonly GlobToken[] | undefined {
  if (!hasVariables) return tokens as readonly GlobToken[];
  const out: GlobToken[] = [];
  for (const t of tokens) {
    if (typeof t === 'object') {
      const v = view.resolveVariable(t);
      if (v === undefined) return undefined;
      // A resolved value is literal text: wildcard characters in it are not wildcards.
      const last = out[out.length - 1];
      if (typeof last === 'string') out[out.length - 1] = last + v;
      else if (v) out.push(v);
    } else {
      const last = out[out.length - 1];
      if (typeof t === 'string' && typeof last === 'string') out[out.length - 1] = last + t;
      else out.push(t);
    }
  }
  return out;
}
